import { errorReply } from '../../errors.js';
import { expiryOf, withExpiry } from '../../keyspace/encoding.js';
import { isToken, stringAt } from '../_args.js';
import { NOTIFY_GENERIC, notify } from '../_notify.js';
import { command } from '../spec.js';
import { expireAtOrReply, replyValue } from './_shared.js';

const EX = 1;
const PX = 2;
const EXAT = 4;
const PXAT = 8;
const PERSIST = 16;
const ANY = EX | PX | EXAT | PXAT | PERSIST;

export const GETEX = command(
  {
    name: 'getex',
    group: 'string',
    summary: 'Returns the string value of a key, optionally setting or removing its expiry.',
    since: '6.2.0',
    complexity: 'O(1)',
    arity: -2,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'expiration',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX' },
          { name: 'milliseconds', type: 'integer', token: 'PX' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
          { name: 'persist', type: 'pure-token', token: 'PERSIST' },
        ],
      },
    ],
    reply: {
      resp2: 'Bulk string: the value, or a null bulk string ($-1) when the key does not exist.',
      resp3: 'Bulk string: the value, or null (_) when the key does not exist.',
    },
    errors: ['syntax', 'notInteger', 'invalidExpire', 'wrongType'],
    example: [
      '> SET k v',
      'OK',
      '> GETEX k EX 100',
      '"v"',
      '> TTL k',
      '(integer) 100',
      '> GETEX k PERSIST',
      '"v"',
      '> TTL k',
      '(integer) -1',
    ],
  },
  (c) => {
    const a = c.args;
    let flags = 0;
    let expireArg = 0;
    // As in redis-server: the same option may repeat (the last value wins), two different ones conflict.
    for (let j = 2; j < a.argc; j++) {
      const more = j + 1 < a.argc;
      if (isToken(c, j, 'persist') && !(flags & (ANY & ~PERSIST))) flags |= PERSIST;
      else if (isToken(c, j, 'ex') && !(flags & (ANY & ~EX)) && more) {
        flags |= EX;
        expireArg = ++j;
      } else if (isToken(c, j, 'px') && !(flags & (ANY & ~PX)) && more) {
        flags |= PX;
        expireArg = ++j;
      } else if (isToken(c, j, 'exat') && !(flags & (ANY & ~EXAT)) && more) {
        flags |= EXAT;
        expireArg = ++j;
      } else if (isToken(c, j, 'pxat') && !(flags & (ANY & ~PXAT)) && more) {
        flags |= PXAT;
        expireArg = ++j;
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }

    const record = stringAt(c, 1);
    if (record === null) return;
    if (record === undefined) {
      // A missing key is null before the expire time is even looked at.
      c.out.nullBulk();
      return;
    }
    let expiresAt = 0;
    if (expireArg !== 0) {
      const at = expireAtOrReply(
        c,
        expireArg,
        (flags & (EX | EXAT)) !== 0,
        (flags & (EX | PX)) !== 0,
        'getex',
      );
      if (at === null) return;
      expiresAt = at;
    }
    replyValue(c.out, record);
    const ks = a.argStart(1);
    const ke = a.argEnd(1);
    if (flags & (EXAT | PXAT) && expiresAt <= c.now) {
      // A time already past deletes the key, as redis-server does.
      c.db.delete(a.buffer, ks, ke);
      notify(c, NOTIFY_GENERIC, 'del', 1);
    } else if (expireArg !== 0) {
      c.db.put(a.buffer, ks, ke, withExpiry(record, expiresAt));
      notify(c, NOTIFY_GENERIC, 'expire', 1);
    } else if (flags & PERSIST && expiryOf(record) !== 0) {
      c.db.put(a.buffer, ks, ke, withExpiry(record, 0));
      notify(c, NOTIFY_GENERIC, 'persist', 1);
    }
  },
);
