import { command } from '../spec.js';
import { zrange } from './_range.js';
import { oneKey } from './_shared.js';

export const ZREVRANGEBYLEX = command(
  {
    ...oneKey,
    name: 'zrevrangebylex',
    summary:
      'Returns the members of a sorted set within a range of members, all scores being equal, highest first.',
    since: '2.8.9',
    complexity: 'O(log(N)+M): N is the number of members in the set, M the number returned.',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'max', type: 'string' },
      { name: 'min', type: 'string' },
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
      resp2: 'Array: the members in the range, in order.',
      resp3: 'Array: the members in the range, in order.',
    },
    errors: ['wrongType', 'syntax', 'notInteger', 'minMaxNotLex', 'zrangeWithscoresByLex'],
    example: ['> ZADD names 0 ada 0 alan 0 bob', '(integer) 3', '> ZREVRANGEBYLEX names + (alan', '1) "bob"'],
  },
  (c) => zrange(c, 1, false, 'lex', 'reverse'),
);
