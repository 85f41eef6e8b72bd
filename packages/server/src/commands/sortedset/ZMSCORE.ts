import { command } from '../spec.js';
import { oneKey, replyScore, scoreAt, zsetAt } from './_shared.js';

export const ZMSCORE = command(
  {
    ...oneKey,
    name: 'zmscore',
    summary: 'Returns the scores of members of a sorted set.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of members asked for.',
    arity: -3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    reply: {
      resp2: "Array: each member's score as a bulk string, or a null bulk string for one not in the set.",
      resp3: "Array: each member's score as a double, or null for one not in the set.",
    },
    errors: ['wrongType'],
    example: ['> ZADD board 10 ada', '(integer) 1', '> ZMSCORE board ada bob', '1) "10"', '2) (nil)'],
  },
  (c) => {
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    const a = c.args;
    c.out.arrayHeader(a.argc - 2);
    for (let i = 2; i < a.argc; i++) {
      const score = z === null ? undefined : scoreAt(c, z, i);
      if (score === undefined) c.out.nullBulk();
      else replyScore(c, score);
    }
  },
);
