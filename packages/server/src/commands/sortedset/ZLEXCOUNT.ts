import { command } from '../spec.js';
import { lexRangeAt, lexRanks, oneKey, treeOf, zsetAt } from './_shared.js';

export const ZLEXCOUNT = command(
  {
    ...oneKey,
    name: 'zlexcount',
    summary: 'Counts the members of a sorted set within a range of members (all scores being equal).',
    since: '2.8.9',
    complexity: 'O(log(N)) where N is the number of members in the set.',
    arity: 4,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the number of members in the range.',
      resp3: 'Integer: the number of members in the range.',
    },
    errors: ['wrongType', 'minMaxNotLex'],
    example: ['> ZADD names 0 ada 0 alan 0 bob', '(integer) 3', '> ZLEXCOUNT names [a (b', '(integer) 2'],
  },
  (c) => {
    const range = lexRangeAt(c, 2, 3);
    if (range === null) return;
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    if (z === null) return c.out.integer(0);
    const { first, end } = lexRanks(treeOf(c, z), range);
    c.out.integer(end - first);
  },
);
