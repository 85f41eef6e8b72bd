import { command } from '../spec.js';
import { oneKey, replyScore, scoreAt, zsetAt } from './_shared.js';

export const ZSCORE = command(
  {
    ...oneKey,
    name: 'zscore',
    summary: 'Returns the score of a member of a sorted set.',
    since: '1.2.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string' },
    ],
    reply: {
      resp2: 'Bulk string: the score, or a null bulk string when the member or the key does not exist.',
      resp3: 'Double: the score, or null when the member or the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> ZADD board 10 ada', '(integer) 1', '> ZSCORE board ada', '"10"'],
  },
  (c) => {
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    const score = z === null ? undefined : scoreAt(c, z, 2);
    if (score === undefined) c.out.nullBulk();
    else replyScore(c, score);
  },
);
