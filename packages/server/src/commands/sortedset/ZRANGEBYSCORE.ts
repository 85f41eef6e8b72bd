import { command } from '../spec.js';
import { zrange } from './_range.js';
import { oneKey } from './_shared.js';

export const ZRANGEBYSCORE = command(
  {
    ...oneKey,
    name: 'zrangebyscore',
    summary: 'Returns the members of a sorted set whose scores are in a range, lowest first.',
    since: '1.0.5',
    complexity: 'O(log(N)+M): N is the number of members in the set, M the number returned.',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
      {
        name: 'limit',
        type: 'block',
        token: 'LIMIT',
        optional: true,
        arguments: [
          { name: 'offset', type: 'integer' },
          { name: 'count', type: 'integer' },
        ],
      },
    ],
    reply: {
      resp2:
        'Array: the members in the range, in order; with WITHSCORES each member followed by its score (a bulk string).',
      resp3:
        'Array: the members in the range, in order; with WITHSCORES an array of [member, score] pairs (scores as doubles).',
    },
    errors: ['wrongType', 'syntax', 'notInteger', 'minMaxNotFloat'],
    example: [
      '> ZADD board 10 ada 7 alan 3 bob',
      '(integer) 3',
      '> ZRANGEBYSCORE board (3 10 LIMIT 0 1',
      '1) "alan"',
    ],
  },
  (c) => zrange(c, 1, false, 'score', 'forward'),
);
