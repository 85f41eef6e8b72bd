import { command } from '../spec.js';
import { zsetOperation } from './_operations.js';
import { base } from './_shared.js';

export const ZUNIONSTORE = command(
  {
    ...base,
    name: 'zunionstore',
    summary:
      'Stores the union of the given sorted sets (or sets, whose members score 1) as a sorted set under the destination key, scores weighted and aggregated (summed by default), replacing what it held.',
    since: '2.0.0',
    complexity:
      'O(N)+O(M*log(M)): N is the total number of members of the inputs, M the number of members of the result.',
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
      resp2: 'Integer: the number of members of the stored set (the union; 0: the destination was deleted).',
      resp3: 'Integer: the number of members of the stored set (the union; 0: the destination was deleted).',
    },
    errors: ['wrongType', 'notInteger', 'inputKeysNeeded', 'syntax', 'weightNotFloat'],
    example: [
      '> ZADD a 1 x 2 y',
      '(integer) 2',
      '> ZADD b 10 y 20 z',
      '(integer) 2',
      '> ZUNIONSTORE all 2 a b WEIGHTS 2 1',
      '(integer) 3',
    ],
  },
  (c) => zsetOperation(c, { op: 'union', name: 'zunionstore', store: true }),
);
