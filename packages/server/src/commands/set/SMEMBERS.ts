import { TYPE_SET } from '../../keyspace/collections.js';
import { openAt } from '../_collection.js';
import { command } from '../spec.js';
import { members, oneKey, replySet } from './_shared.js';

export const SMEMBERS = command(
  {
    ...oneKey,
    name: 'smembers',
    summary: 'Returns every member of a set.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of members.',
    arity: 2,
    flags: ['readonly'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2:
        'Array of bulk strings: the members, in ascending numeric order while the set is an intset, in no particular order once a hashtable; empty for a missing key.',
      resp3:
        'Set of bulk strings: the members, in ascending numeric order while the set is an intset, in no particular order once a hashtable; empty for a missing key.',
    },
    errors: ['wrongType'],
    example: ['> SADD primes 7 3 5', '(integer) 3', '> SMEMBERS primes', '1) "3"', '2) "5"', '3) "7"'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    replySet(c, coll === null ? [] : members(c, coll));
  },
);
