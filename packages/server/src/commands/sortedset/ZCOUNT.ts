import { command } from '../spec.js';
import { oneKey, scoreRangeAt, scoreRanks, treeOf, zsetAt } from './_shared.js';

export const ZCOUNT = command(
  {
    ...oneKey,
    name: 'zcount',
    summary: 'Counts the members of a sorted set whose scores are within a range.',
    since: '2.0.0',
    complexity: 'O(log(N)) where N is the number of members in the set.',
    arity: 4,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
    ],
    reply: {
      resp2: 'Integer: the number of members with a score in the range.',
      resp3: 'Integer: the number of members with a score in the range.',
    },
    errors: ['wrongType', 'minMaxNotFloat'],
    example: ['> ZADD board 10 ada 7 alan 3 bob', '(integer) 3', '> ZCOUNT board (3 +inf', '(integer) 2'],
  },
  (c) => {
    const range = scoreRangeAt(c, 2, 3);
    if (range === null) return;
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    if (z === null) return c.out.integer(0);
    const { first, end } = scoreRanks(treeOf(c, z), range);
    c.out.integer(end - first);
  },
);
