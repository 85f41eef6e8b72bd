import { parseLength, type ReplyWriter } from '@sluice/protocol';
import { errorReply } from '../../errors.js';
import { encodeRecord, expiryOf, layout } from '../../keyspace/encoding.js';
import { bigintArg, LLONG_MAX, LLONG_MIN, parseInteger, stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';

/** Where a record's value starts (past its header). */
export function valueStart(record: Uint8Array): number {
  return record[0] === 0 ? 1 : layout(record).valueStart;
}

/** Replies with a record's value (copied now: the record may be lmdb-js's shared read buffer), or null. */
export function replyValue(out: ReplyWriter, record: Buffer | undefined): void {
  if (record === undefined) out.nullBulk();
  else out.bulkCopy(record, valueStart(record), record.length);
}

/** Stores `value[start, end)` under the key at argument i, with an expiry (0 for none). */
export function putKey(
  c: CommandContext,
  i: number,
  value: Uint8Array,
  start: number,
  end: number,
  expiresAt: number,
  /** How redis-server would have built the value (`FLAG_RAW`, `FLAG_NO_INT`), for OBJECT ENCODING. */
  encoding = 0,
): void {
  const a = c.args;
  const ks = a.argStart(i);
  const ke = a.argEnd(i);
  c.db.put(a.buffer, ks, ke, encodeRecord(a.buffer, ks, ke, value, start, end, expiresAt, encoding));
}

/** Stores argument v as the value of the key at argument k, with an expiry (0 for none). */
export function putArg(c: CommandContext, k: number, v: number, expiresAt: number): void {
  const a = c.args;
  putKey(c, k, a.buffer, a.argStart(v), a.argEnd(v), expiresAt);
}

/**
 * The expire time at argument i as an absolute time in ms, checked the way redis-server checks it, or
 * null once the error has been replied. `seconds`: the argument counts seconds (EX, EXAT, SETEX);
 * `relative`: it counts from now (EX, PX, SETEX, PSETEX). `name` goes into the invalid-expire message.
 */
export function expireAtOrReply(
  c: CommandContext,
  i: number,
  seconds: boolean,
  relative: boolean,
  name: string,
): number | null {
  const n = bigintArg(c, i);
  if (n === null) {
    c.out.error(errorReply('notInteger'));
    return null;
  }
  let ms = seconds ? n * 1000n : n;
  if (relative) ms += BigInt(c.now);
  // 64-bit arithmetic as redis-server does it: a time past LLONG_MAX would wrap negative there.
  if (n <= 0n || (seconds && n > LLONG_MAX / 1000n) || ms > LLONG_MAX) {
    c.out.error(errorReply('invalidExpire', name));
    return null;
  }
  return Number(ms);
}

/**
 * INCR, DECR, INCRBY and DECRBY: adds `incr` to the integer at key argument 1 (0 when missing), keeping
 * its expiry, and replies with the result. Safe integers take a fast path; BigInt checks the 64-bit edges.
 */
export function incrBy(c: CommandContext, incr: number | bigint): void {
  const record = stringAt(c, 1);
  if (record === null) return;
  let expiresAt = 0;
  let value: number | bigint = 0;
  if (record !== undefined) {
    const start = valueStart(record);
    const n = parseLength(record, start, record.length);
    if (Number.isSafeInteger(n)) {
      value = n;
    } else {
      const big = parseInteger(record, start, record.length);
      if (big === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      value = big;
    }
    expiresAt = expiryOf(record);
  }
  let result: number | bigint;
  if (typeof value === 'number' && typeof incr === 'number' && Number.isSafeInteger(value + incr)) {
    result = value + incr;
  } else {
    result = BigInt(value) + BigInt(incr);
    if (result < LLONG_MIN || result > LLONG_MAX) {
      c.out.error(errorReply('overflow'));
      return;
    }
  }
  const text = Buffer.from(String(result), 'latin1');
  putKey(c, 1, text, 0, text.length, expiresAt);
  notify(c, NOTIFY_STRING, 'incrby', 1);
  c.out.integer(result);
}
