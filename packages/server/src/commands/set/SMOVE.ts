import { TYPE_SET } from '../../keyspace/collections.js';
import { collectionWritesAllowed, deleteElement, newCollection, openAt, saveAt } from '../_collection.js';
import { NOTIFY_SET, notify, notifyCollection } from '../_notify.js';
import { command } from '../spec.js';
import { addMember, base, isMember } from './_shared.js';

export const SMOVE = command(
  {
    ...base,
    name: 'smove',
    summary: 'Moves a member from one set to another, creating the destination set when missing.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 4,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key' },
      { name: 'member', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: 1 if the member was in the source set (and is now in the destination), else 0.',
      resp3: 'Integer: 1 if the member was in the source set (and is now in the destination), else 0.',
    },
    errors: ['wrongType'],
    example: ['> SADD todo write', '(integer) 1', '> SMOVE todo done write', '(integer) 1'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const a = c.args;
    const src = openAt(c, 1, TYPE_SET);
    if (src === undefined) return;
    // A missing source: 0, whatever the destination holds.
    if (src === null) return c.out.integer(0);
    const dst = openAt(c, 2, TYPE_SET);
    if (dst === undefined) return;
    if (dst?.id.equals(src.id)) return c.out.integer(isMember(c, src, a.arg(3)) ? 1 : 0);
    if (!deleteElement(c, src, a.buffer, a.argStart(3), a.argEnd(3))) return c.out.integer(0);
    saveAt(c, 1, src);
    notifyCollection(c, NOTIFY_SET, 'srem', 1, src);
    // A new destination starts as an intset if the member is an integer (setTypeCreate).
    const target = dst ?? newCollection(c, TYPE_SET);
    if (addMember(c, target, 3)) {
      saveAt(c, 2, target);
      notify(c, NOTIFY_SET, 'sadd', 2);
    }
    c.out.integer(1);
  },
);
