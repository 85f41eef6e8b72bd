import type { OpenCollection } from '../_collection.js';
import { command } from '../spec.js';
import { intersection } from './_operations.js';
import { base, openSets, replySet } from './_shared.js';

export const SINTER = command(
  {
    ...base,
    name: 'sinter',
    summary: 'Returns the members common to every given set.',
    since: '1.0.0',
    complexity:
      'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    arity: -2,
    flags: ['readonly'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2:
        "Array of bulk strings: the intersection, in the smallest set's order (ascending for an intset); empty if a key is missing.",
      resp3:
        "Set of bulk strings: the intersection, in the smallest set's order (ascending for an intset); empty if a key is missing.",
    },
    errors: ['wrongType'],
    example: [
      '> SADD a 1 2 3',
      '(integer) 3',
      '> SADD b 2 3 4',
      '(integer) 3',
      '> SINTER a b',
      '1) "2"',
      '2) "3"',
    ],
  },
  (c) => {
    const sets = openSets(c, 1, c.args.argc);
    if (sets === undefined) return;
    // A missing key is an empty set, and so is the intersection.
    if (sets.includes(null)) return replySet(c, []);
    replySet(c, intersection(c, sets as OpenCollection[]).names);
  },
);
