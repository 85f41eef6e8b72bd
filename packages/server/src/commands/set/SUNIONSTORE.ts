import { collectionWritesAllowed } from '../_collection.js';
import { command } from '../spec.js';
import { union } from './_operations.js';
import { base, openSets, storeSet } from './_shared.js';

export const SUNIONSTORE = command(
  {
    ...base,
    name: 'sunionstore',
    summary:
      'Stores the members of any of the given sets under the destination key, replacing what it held (or deleting it when the result is empty).',
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
      '> SADD a 1 2',
      '(integer) 2',
      '> SADD b 2 3',
      '(integer) 2',
      '> SUNIONSTORE all a b',
      '(integer) 3',
    ],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const sets = openSets(c, 2, c.args.argc);
    if (sets === undefined) return;
    const { names, large } = union(c, sets);
    storeSet(c, names, large, 'sunionstore');
  },
);
