import { TYPE_SET } from '../../keyspace/collections.js';
import { collectionWritesAllowed, openOrCreateAt, saveAt } from '../_collection.js';
import { NOTIFY_SET, notify } from '../_notify.js';
import { command } from '../spec.js';
import { addMember, oneKey } from './_shared.js';

export const SADD = command(
  {
    ...oneKey,
    name: 'sadd',
    summary: 'Adds members to a set, creating the set when the key is missing.',
    since: '1.0.0',
    complexity: 'O(1) for each member added, so O(N) to add N members.',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: how many of the members were not in the set before.',
      resp3: 'Integer: how many of the members were not in the set before.',
    },
    errors: ['wrongType'],
    example: ['> SADD colors red green', '(integer) 2', '> SADD colors red blue', '(integer) 1'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const coll = openOrCreateAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    let added = 0;
    for (let i = 2; i < c.args.argc; i++) if (addMember(c, coll, i)) added++;
    if (added > 0) {
      saveAt(c, 1, coll);
      notify(c, NOTIFY_SET, 'sadd', 1);
    }
    c.out.integer(added);
  },
);
