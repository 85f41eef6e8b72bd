import { command } from '../../spec.js';
import { base, writeKeys } from './_shared.js';

export const COMMAND_GETKEYS = command(
  {
    ...base,
    name: 'command|getkeys',
    summary: 'Extracts the key names from an arbitrary command.',
    since: '2.8.13',
    complexity: 'O(N) where N is the number of arguments to the command',
    arity: -4,
    flags: ['loading', 'stale'],
    arguments: [
      { name: 'command', type: 'string' },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
    reply: {
      resp2: 'Array of bulk strings: the keys of the command, in the order its key specifications find them.',
      resp3: 'Array of bulk strings: the keys of the command, in the order its key specifications find them.',
    },
    errors: ['getKeysInvalidCommand', 'getKeysNoKeys', 'getKeysArity', 'getKeysInvalidArguments'],
    example: ['> COMMAND GETKEYS MSET a 1 b 2', '1) "a"', '2) "b"'],
  },
  (c) => writeKeys(c, false),
);
