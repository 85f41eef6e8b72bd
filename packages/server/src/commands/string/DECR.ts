import { command } from '../spec.js';
import { incrBy } from './_shared.js';

export const DECR = command(
  {
    name: 'decr',
    group: 'string',
    summary:
      "Subtracts one from a key's integer value, creating the key at 0 when missing; keeps its expiry.",
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the value after the decrement.',
      resp3: 'Integer: the value after the decrement.',
    },
    errors: ['notInteger', 'overflow', 'wrongType'],
    example: ['> SET stock 10', 'OK', '> DECR stock', '(integer) 9', '> DECR fresh', '(integer) -1'],
  },
  (c) => incrBy(c, -1),
);
