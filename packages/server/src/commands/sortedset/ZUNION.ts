import { command } from '../spec.js';
import { zsetOperation } from './_operations.js';
import { base } from './_shared.js';

export const ZUNION = command(
  {
    ...base,
    name: 'zunion',
    summary:
      'Returns the members of any of the given sorted sets (or sets, whose members score 1), their scores weighted and aggregated (summed by default).',
    since: '6.2.0',
    complexity:
      'O(N)+O(M*log(M)): N is the total number of members of the inputs, M the number of members of the result.',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      { name: 'weight', type: 'double', token: 'WEIGHTS', optional: true, multiple: true },
      {
        name: 'aggregate',
        type: 'oneof',
        token: 'AGGREGATE',
        optional: true,
        arguments: [
          { name: 'sum', type: 'pure-token', token: 'SUM' },
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
    reply: {
      resp2:
        'Array: the members of the union, by score then member; with WITHSCORES each member followed by its score (a bulk string).',
      resp3:
        'Array: the members of the union, by score then member; with WITHSCORES an array of [member, score (a double)] pairs.',
    },
    errors: ['wrongType', 'notInteger', 'inputKeysNeeded', 'syntax', 'weightNotFloat'],
    example: [
      '> ZADD a 1 x 2 y',
      '(integer) 2',
      '> ZADD b 10 y 20 z',
      '(integer) 2',
      '> ZUNION 2 a b WITHSCORES',
      '1) "x"',
      '2) "1"',
      '3) "y"',
      '4) "12"',
      '5) "z"',
      '6) "20"',
    ],
  },
  (c) => zsetOperation(c, { op: 'union', name: 'zunion' }),
);
