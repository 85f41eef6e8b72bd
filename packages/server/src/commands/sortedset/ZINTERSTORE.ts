import { command } from '../spec.js';
import { zsetOperation } from './_operations.js';
import { base } from './_shared.js';

export const ZINTERSTORE = command(
  {
    ...base,
    name: 'zinterstore',
    summary:
      'Stores the intersection of the given sorted sets (or sets, whose members score 1) as a sorted set under the destination key, scores weighted and aggregated (summed by default), replacing what it held.',
    since: '2.0.0',
    complexity:
      'O(N*K)+O(M*log(M)) worst case: N is the size of the smallest input, K the number of inputs, M the number of members of the result.',
    arity: -4,
    flags: ['write', 'denyoom', 'movablekeys'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'destination', type: 'key' },
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
    ],
    reply: {
      resp2:
        'Integer: the number of members of the stored set (the intersection; 0: the destination was deleted).',
      resp3:
        'Integer: the number of members of the stored set (the intersection; 0: the destination was deleted).',
    },
    errors: ['wrongType', 'notInteger', 'inputKeysNeeded', 'syntax', 'weightNotFloat'],
    example: [
      '> ZADD a 1 x 2 y',
      '(integer) 2',
      '> ZADD b 10 y 20 z',
      '(integer) 2',
      '> ZINTERSTORE both 2 a b',
      '(integer) 1',
    ],
  },
  (c) => zsetOperation(c, { op: 'inter', name: 'zinterstore', store: true }),
);
