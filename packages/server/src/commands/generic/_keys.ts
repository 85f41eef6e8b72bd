import { errorReply } from '../../errors.js';
import { encodeRecord, encodingOf, layout } from '../../keyspace/encoding.js';
import type { Database } from '../../keyspace/keyspace.js';
import { integerArg } from '../_args.js';
import type { CommandContext } from '../context.js';

/** `record`'s value and expiry stored under another key (a fresh record). */
export function recordFor(key: Uint8Array, record: Uint8Array): Buffer {
  const l = layout(record);
  return encodeRecord(
    key,
    0,
    key.length,
    record,
    l.valueStart,
    record.length,
    l.expiresAt,
    encodingOf(record),
  );
}

/**
 * The database numbered by argument i, or undefined after replying with the error redis-server gives
 * (its getIntFromObjectOrReply: not a long long, then not an int, then no such database).
 */
export function databaseArg(c: CommandContext, i: number): Database | undefined {
  const n = integerArg(c, i);
  if (n === null) {
    c.out.error(errorReply('notInteger'));
    return undefined;
  }
  if (n > 2147483647 || n < -2147483648) {
    c.out.error(errorReply('intRange'));
    return undefined;
  }
  const db = c.server.keyspace.dbs[n];
  if (n < 0 || db === undefined) {
    c.out.error(errorReply('dbIndexOutOfRange'));
    return undefined;
  }
  return db;
}
