import { command } from '../spec.js';
import { zrange } from './_range.js';
import { base } from './_shared.js';

export const ZRANGESTORE = command(
  {
    ...base,
    name: 'zrangestore',
    summary:
      'Stores the members of a sorted set in a range of ranks, scores (BYSCORE) or members (BYLEX) as a new sorted set under the destination key, replacing what it held.',
    since: '6.2.0',
    complexity: 'O(log(N)+M): N is the number of members in the source set, M the number stored.',
    arity: -5,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'dst', type: 'key' },
      { name: 'src', type: 'key' },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
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
    ],
    reply: {
      resp2: 'Integer: the number of members stored (0: the destination was deleted).',
      resp3: 'Integer: the number of members stored (0: the destination was deleted).',
    },
    errors: ['wrongType', 'syntax', 'notInteger', 'minMaxNotFloat', 'minMaxNotLex', 'zrangeLimitByRank'],
    example: [
      '> ZADD board 10 ada 7 alan 3 bob',
      '(integer) 3',
      '> ZRANGESTORE top board 0 1 REV',
      '(integer) 2',
    ],
  },
  (c) => zrange(c, 2, true, 'auto', 'auto'),
);
