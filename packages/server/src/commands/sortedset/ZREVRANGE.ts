import { command } from '../spec.js';
import { zrange } from './_range.js';
import { oneKey } from './_shared.js';

export const ZREVRANGE = command(
  {
    ...oneKey,
    name: 'zrevrange',
    summary: 'Returns the members of a sorted set in a range of ranks counted from the highest score.',
    since: '1.2.0',
    complexity: 'O(log(N)+M): N is the number of members in the set, M the number returned.',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
    reply: {
      resp2:
        'Array: the members in the range, in order; with WITHSCORES each member followed by its score (a bulk string).',
      resp3:
        'Array: the members in the range, in order; with WITHSCORES an array of [member, score] pairs (scores as doubles).',
    },
    errors: ['wrongType', 'syntax', 'notInteger'],
    example: ['> ZADD board 10 ada 7 alan 3 bob', '(integer) 3', '> ZREVRANGE board 0 0', '1) "ada"'],
  },
  (c) => zrange(c, 1, false, 'rank', 'reverse'),
);
