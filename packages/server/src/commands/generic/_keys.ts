import type { Client } from '../../client.js';
import { errorReply } from '../../errors.js';
import { encodeRecord, layout } from '../../keyspace/encoding.js';
import type { Database } from '../../keyspace/keyspace.js';
import { integerArg } from '../_args.js';

/** The record of the key at argument i in the current database (may be lmdb-js's shared read buffer). */
export function recordAt(c: Client, i: number, db: Database = c.db): Buffer | undefined {
  const a = c.args;
  return db.get(a.buffer, a.offsets[2 * i] as number, a.offsets[2 * i + 1] as number, c.now);
}

/** `record`'s value and expiry stored under another key (a fresh record). */
export function recordFor(key: Uint8Array, record: Uint8Array): Buffer {
  const l = layout(record);
  return encodeRecord(key, 0, key.length, record, l.valueStart, record.length, l.expiresAt);
}

/** The database numbered by argument i, or undefined after replying with the error redis-server gives. */
export function databaseArg(c: Client, i: number): Database | undefined {
  const n = integerArg(c, i);
  if (n === null || n > 2147483647 || n < -2147483648) {
    c.out.error(errorReply('notInteger'));
    return undefined;
  }
  const db = c.server.keyspace.dbs[n];
  if (n < 0 || db === undefined) {
    c.out.error(errorReply('dbIndexOutOfRange'));
    return undefined;
  }
  return db;
}
