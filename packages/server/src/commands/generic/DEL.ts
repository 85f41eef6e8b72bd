import { expiryOf } from '../../keyspace/encoding.js';
import { NOTIFY_GENERIC, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';

/** DEL and UNLINK: the same deletion (Sluice frees memory at commit either way). */
export function deleteKeys(c: CommandContext): void {
  DEL.run(c);
}

export const DEL = command(
  {
    name: 'del',
    group: 'generic',
    summary: 'Deletes one or more keys.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys.',
    arity: -2,
    flags: ['write'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2: 'Integer: the number of keys that were deleted.',
      resp3: 'Integer: the number of keys that were deleted.',
    },
    errors: [],
    example: ['> SET a 1', 'OK', '> DEL a b', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    let deleted = 0;
    for (let i = 1; i < a.argc; i++) {
      const s = a.argStart(i);
      const e = a.argEnd(i);
      const record = c.db.getIncludingExpired(a.buffer, s, e);
      if (record === undefined) continue;
      const expiresAt = expiryOf(record);
      // An expired key is removed but, as in redis-server, not counted: its expiry is announced instead.
      const live = expiresAt === 0 || expiresAt > c.now;
      if (!live) c.db.get(a.buffer, s, e, c.now);
      c.db.delete(a.buffer, s, e);
      if (live) {
        deleted++;
        notify(c, NOTIFY_GENERIC, 'del', i);
      }
    }
    c.out.integer(deleted);
  },
);
