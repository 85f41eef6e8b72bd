import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_ZSET, notifyCollection } from '../_notify.js';
import { command } from '../spec.js';
import { oneKey, removeMember, saveZset, scoreAt, zsetAt } from './_shared.js';

export const ZREM = command(
  {
    ...oneKey,
    name: 'zrem',
    summary: 'Removes members from a sorted set, deleting the key when none is left.',
    since: '1.2.0',
    complexity: 'O(M*log(N)): N is the number of members in the set, M the number removed.',
    arity: -3,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: the number of members removed.',
      resp3: 'Integer: the number of members removed.',
    },
    errors: ['wrongType'],
    example: ['> ZADD board 10 ada 7 alan', '(integer) 2', '> ZREM board ada bob', '(integer) 1'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    if (z === null) return c.out.integer(0);
    const a = c.args;
    let removed = 0;
    for (let i = 2; i < a.argc && z.count > 0; i++) {
      const score = scoreAt(c, z, i);
      if (score === undefined) continue;
      removeMember(c, z, a.arg(i), score);
      removed++;
    }
    saveZset(c, 1, z);
    // redis-server announces the removal before it replies.
    if (removed > 0) notifyCollection(c, NOTIFY_ZSET, 'zrem', 1, z);
    c.out.integer(removed);
  },
);
