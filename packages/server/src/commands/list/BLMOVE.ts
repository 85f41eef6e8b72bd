import { command } from '../spec.js';
import { moveCommand } from './_move.js';
import { base } from './_shared.js';

export const BLMOVE = command(
  {
    ...base,
    name: 'blmove',
    summary: 'LMOVE, waiting for the source list to have an element when it is empty.',
    since: '6.2.0',
    complexity: 'O(1)',
    arity: 6,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key' },
      {
        name: 'wherefrom',
        type: 'oneof',
        arguments: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      {
        name: 'whereto',
        type: 'oneof',
        arguments: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      { name: 'timeout', type: 'double' },
    ],
    reply: {
      resp2:
        'Bulk string: the element moved; a null array when the timeout passed, or a null bulk string inside MULTI/EXEC when the source is empty.',
      resp3:
        'Bulk string: the element moved; null when the timeout passed, or inside MULTI/EXEC when the source is empty.',
    },
    errors: ['wrongType', 'syntax', 'timeoutNotFloat', 'timeoutNegative', 'unblocked'],
    example: ['> BLMOVE jobs working LEFT RIGHT 0.5', '(nil)'],
  },
  (c) => moveCommand(c, [3, 4], 5),
);
