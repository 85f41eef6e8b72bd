import { command } from '../spec.js';
import { moveCommand } from './_move.js';
import { base } from './_shared.js';

export const RPOPLPUSH = command(
  {
    ...base,
    name: 'rpoplpush',
    summary:
      'Pops the last element of a list and pushes it at the head of another (or the same) list: LMOVE … RIGHT LEFT.',
    since: '1.2.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key' },
    ],
    reply: {
      resp2: 'Bulk string: the element moved; a null bulk string when the source does not exist.',
      resp3: 'Bulk string: the element moved; null when the source does not exist.',
    },
    errors: ['wrongType'],
    example: ['> RPUSH q a b', '(integer) 2', '> RPOPLPUSH q q', '"b"'],
  },
  (c) => moveCommand(c, null, null),
);
