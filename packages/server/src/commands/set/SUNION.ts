import { command } from '../spec.js';
import { union } from './_operations.js';
import { base, openSets, replySet } from './_shared.js';

export const SUNION = command(
  {
    ...base,
    name: 'sunion',
    summary: 'Returns the members of any of the given sets.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of members in all given sets.',
    arity: -2,
    flags: ['readonly'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2:
        'Array of bulk strings: the union (missing keys are empty sets), in ascending order when it could be an intset.',
      resp3:
        'Set of bulk strings: the union (missing keys are empty sets), in ascending order when it could be an intset.',
    },
    errors: ['wrongType'],
    example: [
      '> SADD a 1 2',
      '(integer) 2',
      '> SADD b 2 3',
      '(integer) 2',
      '> SUNION a b',
      '1) "1"',
      '2) "2"',
      '3) "3"',
    ],
  },
  (c) => {
    const sets = openSets(c, 1, c.args.argc);
    if (sets === undefined) return;
    replySet(c, union(c, sets).names);
  },
);
