import { expiryOf, withExpiry } from '../../keyspace/encoding.js';
import { NOTIFY_GENERIC, notify } from '../_notify.js';
import { command } from '../spec.js';

export const PERSIST = command(
  {
    name: 'persist',
    group: 'generic',
    summary: 'Removes the expiry of a key.',
    since: '2.2.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: 1 if the expiry was removed, 0 if the key does not exist or has no expiry.',
      resp3: 'Integer: 1 if the expiry was removed, 0 if the key does not exist or has no expiry.',
    },
    errors: [],
    example: ['> SET k v EX 100', 'OK', '> PERSIST k', '(integer) 1', '> TTL k', '(integer) -1'],
  },
  (c) => {
    const a = c.args;
    const s = a.argStart(1);
    const e = a.argEnd(1);
    const record = c.db.get(a.buffer, s, e, c.now);
    if (record === undefined || expiryOf(record) === 0) return c.out.integer(0);
    c.db.put(a.buffer, s, e, withExpiry(record, 0));
    notify(c, NOTIFY_GENERIC, 'persist', 1);
    c.out.integer(1);
  },
);
