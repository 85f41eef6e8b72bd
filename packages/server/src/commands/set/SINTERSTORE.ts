import type { OpenCollection } from '../_collection.js';
import { collectionWritesAllowed } from '../_collection.js';
import { command } from '../spec.js';
import { intersection } from './_operations.js';
import { base, openSets, storeSet } from './_shared.js';

export const SINTERSTORE = command(
  {
    ...base,
    name: 'sinterstore',
    summary:
      'Stores the members common to every given set under the destination key, replacing what it held (or deleting it when the result is empty).',
    since: '1.0.0',
    complexity:
      'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'key', type: 'key', multiple: true },
    ],
    reply: {
      resp2: 'Integer: the number of members of the stored set.',
      resp3: 'Integer: the number of members of the stored set.',
    },
    errors: ['wrongType'],
    example: [
      '> SADD a 1 2 3',
      '(integer) 3',
      '> SADD b 2 3 4',
      '(integer) 3',
      '> SINTERSTORE both a b',
      '(integer) 2',
    ],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const sets = openSets(c, 2, c.args.argc);
    if (sets === undefined) return;
    if (sets.includes(null)) return storeSet(c, [], false, 'sinterstore');
    const { names, large } = intersection(c, sets as OpenCollection[]);
    storeSet(c, names, large, 'sinterstore');
  },
);
