import { collectionWritesAllowed } from '../_collection.js';
import { command } from '../spec.js';
import { difference } from './_operations.js';
import { base, openSets, storeSet } from './_shared.js';

export const SDIFFSTORE = command(
  {
    ...base,
    name: 'sdiffstore',
    summary:
      'Stores the members of the first set that are in none of the others under the destination key, replacing what it held (or deleting it when the result is empty).',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of members in all given sets.',
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
      '> SADD b 2',
      '(integer) 1',
      '> SDIFFSTORE rest a b',
      '(integer) 2',
    ],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const sets = openSets(c, 2, c.args.argc);
    if (sets === undefined) return;
    const { names, large } = difference(c, sets);
    storeSet(c, names, large, 'sdiffstore');
  },
);
