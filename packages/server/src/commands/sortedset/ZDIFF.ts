import { command } from '../spec.js';
import { zsetOperation } from './_operations.js';
import { base } from './_shared.js';

export const ZDIFF = command(
  {
    ...base,
    name: 'zdiff',
    summary:
      'Returns the members of the first sorted set (or set, whose members score 1) that none of the other given keys holds, with their scores.',
    since: '6.2.0',
    complexity:
      'O(L+(N-K)log(N)) worst case: L is the total number of members of the inputs, N the size of the first input, K the size of the result.',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
    reply: {
      resp2:
        'Array: the members of the first input in none of the others, by score then member; with WITHSCORES each member followed by its score (a bulk string).',
      resp3:
        'Array: the members of the first input in none of the others, by score then member; with WITHSCORES an array of [member, score (a double)] pairs.',
    },
    errors: ['wrongType', 'notInteger', 'inputKeysNeeded', 'syntax'],
    example: [
      '> ZADD a 1 x 2 y',
      '(integer) 2',
      '> ZADD b 10 y 20 z',
      '(integer) 2',
      '> ZDIFF 2 a b WITHSCORES',
      '1) "x"',
      '2) "1"',
    ],
  },
  (c) => zsetOperation(c, { op: 'diff', name: 'zdiff' }),
);
