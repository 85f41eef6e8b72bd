import { command } from '../../spec.js';
import { base, writeKeys } from './_shared.js';

export const COMMAND_GETKEYSANDFLAGS = command(
  {
    ...base,
    name: 'command|getkeysandflags',
    summary: 'Extracts the key names and how the command uses them (access flags) from an arbitrary command.',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of arguments to the command',
    arity: -4,
    flags: ['loading', 'stale'],
    arguments: [
      { name: 'command', type: 'string' },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
    reply: {
      resp2:
        'Array: per key, an array of the key and the array of its flags (RO, RW, OW, RM, access, update, …).',
      resp3:
        'Array: per key, an array of the key and the set of its flags (RO, RW, OW, RM, access, update, …).',
    },
    errors: ['getKeysInvalidCommand', 'getKeysNoKeys', 'getKeysArity', 'getKeysInvalidArguments'],
    example: [
      '> COMMAND GETKEYSANDFLAGS LMOVE a b LEFT LEFT',
      '1) 1) "a"',
      '   2) 1) RW',
      '      2) access',
      '      3) delete',
      '2) 1) "b"',
      '   2) 1) RW',
      '      2) insert',
    ],
  },
  (c) => writeKeys(c, true),
);
