import { command } from '../spec.js';
import { zsetOperation } from './_operations.js';
import { base } from './_shared.js';

export const ZINTERCARD = command(
  {
    ...base,
    name: 'zintercard',
    summary:
      'Returns the number of members common to all the given sorted sets (or sets), counting up to a limit if given.',
    since: '7.0.0',
    complexity: 'O(N*K) worst case: N is the size of the smallest input, K the number of inputs.',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      { name: 'limit', type: 'integer', token: 'LIMIT', optional: true },
    ],
    reply: {
      resp2:
        'Integer: the size of the intersection, or the limit if it is reached first (LIMIT 0: no limit).',
      resp3:
        'Integer: the size of the intersection, or the limit if it is reached first (LIMIT 0: no limit).',
    },
    errors: ['wrongType', 'notInteger', 'inputKeysNeeded', 'syntax', 'limitNegative'],
    example: [
      '> ZADD a 1 x 2 y 3 z',
      '(integer) 3',
      '> SADD b x y z w',
      '(integer) 4',
      '> ZINTERCARD 2 a b LIMIT 2',
      '(integer) 2',
    ],
  },
  (c) => zsetOperation(c, { op: 'inter', name: 'zintercard', cardinality: true }),
);
