import { command } from '../spec.js';
import { zrange } from './_range.js';
import { oneKey } from './_shared.js';

export const ZRANGE = command(
  {
    ...oneKey,
    name: 'zrange',
    summary:
      'Returns the members of a sorted set in a range of ranks, scores (BYSCORE) or members (BYLEX), lowest first or, with REV, highest first.',
    since: '1.2.0',
    complexity: 'O(log(N)+M): N is the number of members in the set, M the number returned.',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'string' },
      { name: 'stop', type: 'string' },
      {
        name: 'sortby',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
          { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
        ],
      },
      { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
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
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
    reply: {
      resp2:
        'Array: the members in the range, in order; with WITHSCORES each member followed by its score (a bulk string).',
      resp3:
        'Array: the members in the range, in order; with WITHSCORES an array of [member, score] pairs (scores as doubles).',
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'minMaxNotFloat',
      'minMaxNotLex',
      'zrangeLimitByRank',
      'zrangeWithscoresByLex',
    ],
    example: [
      '> ZADD board 10 ada 7 alan 3 bob',
      '(integer) 3',
      '> ZRANGE board 0 1',
      '1) "bob"',
      '2) "alan"',
      '> ZRANGE board +inf 5 BYSCORE REV',
      '1) "ada"',
      '2) "alan"',
    ],
  },
  (c) => zrange(c, 1, false, 'auto', 'auto'),
);
