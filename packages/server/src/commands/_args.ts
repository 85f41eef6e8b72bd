import { parseLength } from '@sluice/protocol';
import { errorReply } from '../errors.js';
import { TYPE_MASK } from '../keyspace/collections.js';
import type { Database, WriteBatch } from '../keyspace/keyspace.js';
import type { CommandContext } from './context.js';

/** The 64-bit signed range, as redis-server's long long. */
export const LLONG_MIN = -(2n ** 63n);
export const LLONG_MAX = 2n ** 63n - 1n;

const tokens = new Map<string, Buffer>();

/** Whether argument i is `word` (lowercase), ignoring case. */
export function isToken(c: CommandContext, i: number, word: string): boolean {
  let bytes = tokens.get(word);
  if (bytes === undefined) {
    bytes = Buffer.from(word, 'latin1');
    tokens.set(word, bytes);
  }
  return c.args.argEqualsIgnoreCase(i, bytes);
}

/**
 * Argument i as a 64-bit integer, parsed as redis-server's string2ll does (no sign but '-', no spaces,
 * no leading zeros), or null. Values past 2^53 keep their magnitude but not every digit.
 */
export function integerArg(c: CommandContext, i: number): number | null {
  const a = c.args;
  const start = a.argStart(i);
  const end = a.argEnd(i);
  const n = parseLength(a.buffer, start, end);
  if (!Number.isNaN(n)) return n;
  // parseLength stops at 2^63, where doubles cannot tell LLONG_MAX apart: check those few exactly.
  if (end - start < 19 || end - start > 20) return null;
  const text = a.buffer.toString('latin1', start, end);
  if (!/^-?[1-9][0-9]*$/.test(text)) return null;
  const big = BigInt(text);
  return big >= LLONG_MIN && big <= LLONG_MAX ? Number(big) : null;
}

/**
 * `buf[start, end)` as a 64-bit integer, parsed as redis-server's string2ll does (only '-' as a sign,
 * no spaces, no leading zeros, at most 20 characters), or null.
 */
export function parseInteger(buf: Buffer, start: number, end: number): bigint | null {
  const n = parseLength(buf, start, end);
  if (Number.isSafeInteger(n)) return BigInt(n);
  // Past 2^53 the double is inexact, and at 2^63 parseLength gives up: check those exactly.
  const len = end - start;
  if (len < 16 || len > 20) return null;
  const text = buf.toString('latin1', start, end);
  if (!/^-?[1-9][0-9]*$/.test(text)) return null;
  const big = BigInt(text);
  return big < LLONG_MIN || big > LLONG_MAX ? null : big;
}

/** Argument i as an exact 64-bit integer (string2ll rules), or null. */
export function bigintArg(c: CommandContext, i: number): bigint | null {
  if (integerArg(c, i) === null) return null;
  const n = BigInt(c.args.argString(i, 'latin1'));
  return n < LLONG_MIN || n > LLONG_MAX ? null : n;
}

/**
 * The record of the key at argument i (in `db`, by default the selected database), or undefined.
 * It may be lmdb-js's shared read buffer: use it before the next read.
 */
export function recordAt(c: CommandContext, i: number, db: Database = c.db): Buffer | undefined {
  const a = c.args;
  return db.get(a.buffer, a.argStart(i), a.argEnd(i), c.now);
}

/**
 * The record of the string at argument i, like `recordAt`; null after replying WRONGTYPE when the key
 * holds another type (a hash, a set).
 */
export function stringAt(c: CommandContext, i: number, db: Database = c.db): Buffer | undefined | null {
  const record = recordAt(c, i, db);
  if (record !== undefined && ((record[0] as number) & TYPE_MASK) !== 0) {
    c.out.error(errorReply('wrongType'));
    return null;
  }
  return record;
}

/** Stores `record` under the key at argument i of the selected database. */
export function putAt(c: CommandContext, i: number, record: Buffer): WriteBatch {
  const a = c.args;
  return c.db.put(a.buffer, a.argStart(i), a.argEnd(i), record);
}

/** Deletes the key at argument i of the selected database. */
export function deleteAt(c: CommandContext, i: number): WriteBatch {
  const a = c.args;
  return c.db.delete(a.buffer, a.argStart(i), a.argEnd(i));
}

/** Replies with argument i as a bulk string. */
export function replyArg(c: CommandContext, i: number): void {
  const a = c.args;
  c.out.bulkCopy(a.buffer, a.argStart(i), a.argEnd(i));
}
