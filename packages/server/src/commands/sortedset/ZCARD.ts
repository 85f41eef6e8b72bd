import { command } from '../spec.js';
import { oneKey, zsetAt } from './_shared.js';

export const ZCARD = command(
  {
    ...oneKey,
    name: 'zcard',
    summary: 'Returns the number of members of a sorted set.',
    since: '1.2.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the number of members, 0 when the key does not exist.',
      resp3: 'Integer: the number of members, 0 when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> ZADD board 10 ada 7 alan', '(integer) 2', '> ZCARD board', '(integer) 2'],
  },
  (c) => {
    const z = zsetAt(c, 1);
    if (z !== undefined) c.out.integer(z === null ? 0 : z.count);
  },
);
