import { command } from '../spec.js';
import { moveCommand } from './_move.js';
import { base } from './_shared.js';

export const LMOVE = command(
  {
    ...base,
    name: 'lmove',
    summary: 'Pops an element from one end of a list and pushes it at one end of another (or the same) list.',
    since: '6.2.0',
    complexity: 'O(1)',
    arity: 5,
    flags: ['write', 'denyoom'],
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
    ],
    reply: {
      resp2: 'Bulk string: the element moved; a null bulk string when the source does not exist.',
      resp3: 'Bulk string: the element moved; null when the source does not exist.',
    },
    errors: ['wrongType', 'syntax'],
    example: ['> RPUSH todo a b', '(integer) 2', '> LMOVE todo done LEFT RIGHT', '"a"'],
  },
  (c) => moveCommand(c, [3, 4], null),
);
