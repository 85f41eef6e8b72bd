import { command } from '../spec.js';
import { zrank } from './_rank.js';
import { oneKey } from './_shared.js';

export const ZREVRANK = command(
  {
    ...oneKey,
    name: 'zrevrank',
    summary: "Returns a member's rank in a sorted set, from 0 for the highest score.",
    since: '2.0.0',
    complexity: 'O(log(N))',
    arity: 3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the rank, or a null bulk string when the member or the key does not exist.',
      resp3: 'Integer: the rank, or null when the member or the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> ZADD board 10 ada 7 alan', '(integer) 2', '> ZREVRANK board alan', '(integer) 1'],
  },
  (c) => zrank(c, true),
);
