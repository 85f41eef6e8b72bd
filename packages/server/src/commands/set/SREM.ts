import { TYPE_SET } from '../../keyspace/collections.js';
import { collectionWritesAllowed, deleteElement, openAt, saveAt } from '../_collection.js';
import { NOTIFY_SET, notifyCollection } from '../_notify.js';
import { command } from '../spec.js';
import { oneKey } from './_shared.js';

export const SREM = command(
  {
    ...oneKey,
    name: 'srem',
    summary: 'Removes members from a set, deleting the key once the set is empty.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of members to remove.',
    arity: -3,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: how many of the members were in the set and are removed (0 for a missing key).',
      resp3: 'Integer: how many of the members were in the set and are removed (0 for a missing key).',
    },
    errors: ['wrongType'],
    example: ['> SADD colors red green', '(integer) 2', '> SREM colors red pink', '(integer) 1'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    if (coll === null) return c.out.integer(0);
    const a = c.args;
    let removed = 0;
    for (let i = 2; i < a.argc; i++) {
      if (!deleteElement(c, coll, a.buffer, a.argStart(i), a.argEnd(i))) continue;
      removed++;
      // Once empty the key is gone, and the members after are not looked at (as redis-server).
      if (coll.count === 0) break;
    }
    if (removed > 0) {
      saveAt(c, 1, coll);
      notifyCollection(c, NOTIFY_SET, 'srem', 1, coll);
    }
    c.out.integer(removed);
  },
);
