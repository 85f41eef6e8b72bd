import { command } from '../spec.js';
import { blockingZpopCommand } from './_pop.js';
import { base } from './_shared.js';

export const BZPOPMIN = command(
  {
    ...base,
    name: 'bzpopmin',
    summary:
      'Removes and returns the member with the lowest score of the first non-empty sorted set among the keys, waiting for one when all are empty.',
    since: '5.0.0',
    complexity: 'O(log(N)): N is the number of members in the set popped from.',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    keys: { first: 1, last: -2, step: 1 },
    arguments: [
      { name: 'key', type: 'key', multiple: true },
      { name: 'timeout', type: 'double' },
    ],
    reply: {
      resp2:
        'Array: the key, the member and its score (a bulk string); a null array when the timeout passed (or, inside MULTI/EXEC, at once when every set is empty).',
      resp3:
        'Array: the key, the member and its score (a double); null when the timeout passed (or, inside MULTI/EXEC, at once when every set is empty).',
    },
    errors: ['wrongType', 'timeoutNotFloat', 'timeoutNegative', 'unblocked'],
    example: [
      '> ZADD board 1 a 2 b',
      '(integer) 2',
      '> BZPOPMIN empty board 5',
      '1) "board"',
      '2) "a"',
      '3) "1"',
    ],
  },
  (c) => blockingZpopCommand(c, false),
);
