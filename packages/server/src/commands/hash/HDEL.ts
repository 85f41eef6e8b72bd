import { TYPE_HASH } from '../../keyspace/collections.js';
import { collectionWritesAllowed, deleteElement, openAt, saveAt } from '../_collection.js';
import { NOTIFY_HASH, notifyCollection } from '../_notify.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HDEL = command(
  {
    ...base,
    name: 'hdel',
    summary: 'Deletes fields of a hash; the hash goes once it has no field left.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields to be removed.',
    arity: -3,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: the number of fields that were removed.',
      resp3: 'Integer: the number of fields that were removed.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HDEL user:1 name lang', '(integer) 1'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const coll = openAt(c, 1, TYPE_HASH);
    if (coll === undefined) return;
    if (coll === null) {
      c.out.integer(0);
      return;
    }
    const a = c.args;
    let removed = 0;
    for (let i = 2; i < a.argc; i++)
      if (deleteElement(c, coll, a.buffer, a.argStart(i), a.argEnd(i))) removed++;
    if (removed > 0) {
      saveAt(c, 1, coll);
      notifyCollection(c, NOTIFY_HASH, 'hdel', 1, coll);
    }
    c.out.integer(removed);
  },
);
