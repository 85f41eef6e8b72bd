import type { CommandSpec } from '../../spec.js';

/** What FUNCTION's subcommands share. */
export const base = {
  group: 'scripting',
  since: '7.0.0',
} as const satisfies Partial<CommandSpec>;
