import { errorReply } from '../../errors.js';
import { TYPE_STRING, typeOf } from '../../keyspace/collections.js';
import { encodeRecord, expiryOf } from '../../keyspace/encoding.js';
import { isToken } from '../_args.js';
import { NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_NEW, NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { expireAtOrReply, replyValue } from './_shared.js';

const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const EX = 16;
const PX = 32;
const EXAT = 64;
const PXAT = 128;
const ANY_EXPIRY = EX | PX | EXAT | PXAT;

export const SET = command(
  {
    name: 'set',
    group: 'string',
    summary: 'Sets the string value of a key, ignoring its type, with optional expiry and conditions.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'value', type: 'string' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true },
      {
        name: 'expiration',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX' },
          { name: 'milliseconds', type: 'integer', token: 'PX' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL' },
        ],
      },
    ],
    reply: {
      resp2:
        'Simple string OK; a null bulk string when NX or XX prevented the write. With GET: the old value as a bulk string, or a null bulk string.',
      resp3: 'Simple string OK; null when NX or XX prevented the write. With GET: the old value, or null.',
    },
    errors: ['wrongType', 'syntax', 'notInteger', 'invalidExpire'],
    example: [
      '> SET k v EX 60',
      'OK',
      '> SET k other NX',
      '(nil)',
      '> SET k new GET',
      '"v"',
      '> TTL k',
      '(integer) -1',
    ],
  },
  (c) => {
    const a = c.args;
    let flags = 0;
    let expireArg = 0;
    for (let j = 3; j < a.argc; j++) {
      const more = j + 1 < a.argc;
      if (isToken(c, j, 'nx') && !(flags & XX)) flags |= NX;
      else if (isToken(c, j, 'xx') && !(flags & NX)) flags |= XX;
      else if (isToken(c, j, 'get')) flags |= GET;
      else if (isToken(c, j, 'keepttl') && !(flags & ANY_EXPIRY)) flags |= KEEPTTL;
      else if (isToken(c, j, 'ex') && !(flags & (KEEPTTL | PX | EXAT | PXAT)) && more) {
        flags |= EX;
        expireArg = ++j;
      } else if (isToken(c, j, 'px') && !(flags & (KEEPTTL | EX | EXAT | PXAT)) && more) {
        flags |= PX;
        expireArg = ++j;
      } else if (isToken(c, j, 'exat') && !(flags & (KEEPTTL | EX | PX | PXAT)) && more) {
        flags |= EXAT;
        expireArg = ++j;
      } else if (isToken(c, j, 'pxat') && !(flags & (KEEPTTL | EX | PX | EXAT)) && more) {
        flags |= PXAT;
        expireArg = ++j;
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }

    let expiresAt = 0;
    if (expireArg !== 0) {
      const at = expireAtOrReply(c, expireArg, (flags & (EX | EXAT)) !== 0, (flags & (EX | PX)) !== 0, 'set');
      if (at === null) return;
      expiresAt = at;
    }

    const kStart = a.argStart(1);
    const kEnd = a.argEnd(1);
    // Only the conditions, GET and KEEPTTL need the old value: a plain SET does not read.
    const old =
      flags & (NX | XX | GET | KEEPTTL) || c.server.keyspace.notifier.flags !== 0
        ? c.db.get(a.buffer, kStart, kEnd, c.now)
        : undefined;
    const found = old !== undefined;
    if (flags & GET && found && typeOf(old) !== TYPE_STRING) {
      c.out.error(errorReply('wrongType'));
      return;
    }
    if (flags & KEEPTTL && found) expiresAt = expiryOf(old);
    if (flags & GET) replyValue(c.out, old);
    if ((flags & NX && found) || (flags & XX && !found)) {
      if (!(flags & GET)) c.out.nullBulk();
      return;
    }
    if (expiresAt !== 0 && expiresAt <= c.now) {
      // Already expired (EXAT/PXAT in the past): the key is removed rather than stored. redis-server 7.0
      // stores it, announcing it (new, set, expire), and its expiry announces `expired` soon after.
      c.db.delete(a.buffer, kStart, kEnd);
      if (!found) notify(c, NOTIFY_NEW, 'new', 1);
      notify(c, NOTIFY_STRING, 'set', 1);
      notify(c, NOTIFY_GENERIC, 'expire', 1);
      if (!(flags & GET)) c.out.ok();
      notify(c, NOTIFY_EXPIRED, 'expired', 1);
      return;
    } else {
      const record = encodeRecord(a.buffer, kStart, kEnd, a.buffer, a.argStart(2), a.argEnd(2), expiresAt);
      c.db.put(a.buffer, kStart, kEnd, record);
      notify(c, NOTIFY_STRING, 'set', 1);
      if (expiresAt !== 0 && !(flags & KEEPTTL)) notify(c, NOTIFY_GENERIC, 'expire', 1);
    }
    if (!(flags & GET)) c.out.ok();
  },
);
