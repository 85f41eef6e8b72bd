import { command } from '../spec.js';
import { zadd } from './_add.js';
import { oneKey } from './_shared.js';

export const ZADD = command(
  {
    ...oneKey,
    name: 'zadd',
    summary:
      'Adds members with scores to a sorted set, or updates their scores, creating the set when missing.',
    since: '1.2.0',
    complexity: 'O(log(N)) for each member added or updated, where N is the number of members in the set.',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      {
        name: 'comparison',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'gt', type: 'pure-token', token: 'GT' },
          { name: 'lt', type: 'pure-token', token: 'LT' },
        ],
      },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true },
      { name: 'increment', type: 'pure-token', token: 'INCR', optional: true },
      {
        name: 'data',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'score', type: 'double' },
          { name: 'member', type: 'string' },
        ],
      },
    ],
    reply: {
      resp2:
        'Integer: the number of members added (with CH: added or whose score changed); with INCR, a bulk string of the new score, or a null bulk string when NX, XX, GT or LT stopped it.',
      resp3:
        'Integer: the number of members added (with CH: added or whose score changed); with INCR, a double (the new score), or null when NX, XX, GT or LT stopped it.',
    },
    errors: ['wrongType', 'syntax', 'notFloat', 'zaddNxXx', 'zaddGtLtNx', 'zaddIncrPairs', 'scoreNan'],
    example: ['> ZADD board 10 ada 7 alan', '(integer) 2', '> ZADD board XX CH 12 ada', '(integer) 1'],
  },
  (c) => zadd(c, false),
);
