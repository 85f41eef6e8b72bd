import type { CommandSpec } from '../../spec.js';

/** What SCRIPT's subcommands share. */
export const base = {
  group: 'scripting',
  errors: [],
} as const satisfies Partial<CommandSpec>;
