import { command } from '../spec.js';
import { zsetOperation } from './_operations.js';
import { base } from './_shared.js';

export const ZDIFFSTORE = command(
  {
    ...base,
    name: 'zdiffstore',
    summary:
      'Stores the members of the first sorted set (or set, whose members score 1) that none of the other given keys holds, with their scores, as a sorted set under the destination key, replacing what it held.',
    since: '6.2.0',
    complexity:
      'O(L+(N-K)log(N)) worst case: L is the total number of members of the inputs, N the size of the first input, K the size of the result.',
    arity: -4,
    flags: ['write', 'denyoom', 'movablekeys'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
    ],
    reply: {
      resp2:
        'Integer: the number of members of the stored set (the difference; 0: the destination was deleted).',
      resp3:
        'Integer: the number of members of the stored set (the difference; 0: the destination was deleted).',
    },
    errors: ['wrongType', 'notInteger', 'inputKeysNeeded', 'syntax'],
    example: [
      '> ZADD a 1 x 2 y',
      '(integer) 2',
      '> ZADD b 10 y 20 z',
      '(integer) 2',
      '> ZDIFFSTORE only 2 a b',
      '(integer) 1',
    ],
  },
  (c) => zsetOperation(c, { op: 'diff', name: 'zdiffstore', store: true }),
);
