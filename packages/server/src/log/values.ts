/**
 * Collections in the topic. Each hash, set, list, sorted set or stream a batch of writes leaves changed becomes
 * one record: its whole value serialized as the DUMP command returns it (RDB type byte, payload, RDB
 * version, CRC-64), with the header `sluice-format: dump` and its expiry in `sluice-expire-at`, as a
 * string's record has. It is encoded when the batch closes (the state the batch leaves, whatever is
 * written after), so a write in log mode costs O(size of the collection). Compaction then keeps each
 * key's latest whole value, as for strings.
 *
 * Applying such a record restores the value with the RESTORE command's code under a new collection id
 * (`Keyspace.capture`), and stores the key's record, its elements and its owner entry in the same LMDB
 * transaction as the partition's offset; the key's old value, of any type, is replaced (its elements
 * become an orphan that the sweep reclaims). A payload that fails its checksum or does not read is
 * skipped.
 *
 * The command code runs here on a context of its own (`detached`): the keyspace and the settings, the
 * key as argument 1, a database that takes the key's record instead of storing it. Nothing else of a
 * command context is there to reach.
 */

import { Args } from '@sluice/protocol';
import type { CommandContext } from '../commands/context.js';
import { deserialize } from '../commands/generic/_dump.js';
import { dumpRecord } from '../commands/generic/DUMP.js';
import { restoreValue } from '../commands/generic/RESTORE.js';
import type { Config } from '../config/index.js';
import {
  TYPE_HASH,
  TYPE_LIST,
  TYPE_SET,
  TYPE_STREAM,
  TYPE_STRING,
  TYPE_ZSET,
  typeOf,
} from '../keyspace/collections.js';
import { expiryOf } from '../keyspace/encoding.js';
import type { AppliedWrite, Database, Keyspace, RestoredCollection } from '../keyspace/keyspace.js';
import { verifiedBody } from '../rdb.js';

/** What encoding and restoring values needs. */
export interface ValueHost {
  readonly keyspace: Keyspace;
  readonly config: Config;
}

/** The DUMP payload of a collection's record as reads see it now (overlay included). */
export function dumpOf(host: ValueHost, record: Buffer): Buffer {
  return dumpRecord(detached(host, Buffer.alloc(0), null), record);
}

/** The types whose whole value DUMP serializes, so that log mode carries them. */
const CARRIED = new Set([TYPE_HASH, TYPE_SET, TYPE_LIST, TYPE_ZSET, TYPE_STREAM]);

/** Whether log mode can carry a collection's record (its type has DUMP support). */
export function isCarried(record: Buffer): boolean {
  return CARRIED.has(typeOf(record));
}

/** Whether a key's record holds a collection (its record in the topic is a DUMP payload). */
export function isCollection(record: Buffer): boolean {
  return typeOf(record) !== TYPE_STRING;
}

/**
 * The write of a record with `sluice-format: dump` for key `key` of `db`, expiring at `at` (0: none):
 * a collection to store whole, or a string's value; null when the payload is corrupt (bad checksum or
 * unreadable value), to skip.
 */
export function restoredWrite(
  host: ValueHost,
  db: Database,
  key: Buffer,
  payload: Buffer,
  at: number,
): AppliedWrite | null {
  if (verifiedBody(payload) === null) return null;
  const value = deserialize(payload);
  if (value === null) return null;
  if (value.type === 'string') return { key, value: value.value, at };
  const sink = new RecordSink(db.physical);
  const ops = host.keyspace.capture(() => restoreValue(detached(host, key, sink), value, at));
  if (sink.record === null) return null;
  const entries: RestoredCollection['entries'][number][] = [];
  for (const op of ops) {
    if ('clear' in op || op.record === null || op.superseded) continue;
    entries.push({ dbi: op.dbi, stored: op.stored, record: op.record });
  }
  return { key, value: payload, at: expiryOf(sink.record), collection: { record: sink.record, entries } };
}

/** A database as the restore code sees it: it takes the key's record instead of storing it. */
class RecordSink {
  record: Buffer | null = null;
  readonly watchers = new Map<string, Set<() => void>>();
  constructor(readonly physical: number) {}

  put(_key: Uint8Array, _start: number, _end: number, record: Buffer): void {
    this.record = Buffer.from(record);
  }

  /** A collection's record (Database.putCollection): taken as `put` takes it; nothing is remembered. */
  putCollection(key: Uint8Array, start: number, end: number, record: Buffer): void {
    this.put(key, start, end, record);
  }

  delete(): void {
    this.record = null;
  }
}

/** A command context for the RESTORE and DUMP code: the keyspace, the settings, and `key` as argument 1. */
function detached(host: ValueHost, key: Buffer, db: RecordSink | null): CommandContext {
  const refuse = (): never => {
    throw new Error('log mode: a value being encoded or restored has no client to reply to');
  };
  return {
    args: Args.of([Buffer.from('restore'), key]),
    out: new Proxy({}, { get: refuse }) as CommandContext['out'],
    db: (db ?? new Proxy({}, { get: refuse })) as unknown as Database,
    now: Date.now(),
    session: new Proxy({}, { get: refuse }) as CommandContext['session'],
    server: {
      keyspace: host.keyspace,
      config: host.config,
      logMode: null,
    } as unknown as CommandContext['server'],
    block: refuse,
    inTransaction: false,
  };
}
