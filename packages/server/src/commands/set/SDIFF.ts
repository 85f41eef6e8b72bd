import { command } from '../spec.js';
import { difference } from './_operations.js';
import { base, openSets, replySet } from './_shared.js';

export const SDIFF = command(
  {
    ...base,
    name: 'sdiff',
    summary: 'Returns the members of the first set that are in none of the other given sets.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of members in all given sets.',
    arity: -2,
    flags: ['readonly'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2:
        'Array of bulk strings: the difference (missing keys are empty sets), in ascending order when it could be an intset.',
      resp3:
        'Set of bulk strings: the difference (missing keys are empty sets), in ascending order when it could be an intset.',
    },
    errors: ['wrongType'],
    example: [
      '> SADD a 1 2 3',
      '(integer) 3',
      '> SADD b 2',
      '(integer) 1',
      '> SDIFF a b',
      '1) "1"',
      '2) "3"',
    ],
  },
  (c) => {
    const sets = openSets(c, 1, c.args.argc);
    if (sets === undefined) return;
    replySet(c, difference(c, sets).names);
  },
);
