import type { CommandSpec } from '../../spec.js';

export const base = { group: 'server', errors: [] } as const satisfies Partial<CommandSpec>;
