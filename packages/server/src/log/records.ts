/**
 * What a batch of writes becomes in the topic: for each key it wrote, its last value as a record (the
 * key's new value, its expiry in the `sluice-expire-at` header) or a tombstone for a deletion, in the
 * partition Kafka's default partitioner gives the key (in cluster mode, the partition of its slot). Sluice's own records (the expiry index) are not
 * produced: each node derives them from the records it applies.
 *
 * A key left holding a collection (hash, set, list, sorted set) is one record too: its whole value as
 * DUMP serializes it, with the header `sluice-format: dump` (log/values.ts). That value is encoded when
 * its batch closes (`encodeCollections`), so the record holds the state the batch left even when later
 * batches have changed the key by the time it is sent.
 */

import { dumpHeaders, expiryHeaders } from '@sluice/kafka-bridge';
import type { PutOp, WriteBatch } from '../keyspace/batch.js';
import { layout } from '../keyspace/encoding.js';
import { partitionOf } from './partitioner.js';
import { NODE_HEADER } from './pubsub-bus.js';

/** A record on its way to the topic. */
export interface OutgoingRecord {
  readonly partition: number;
  readonly key: Buffer;
  /** Null: a tombstone. */
  readonly value: Buffer | null;
  readonly headers: Record<string, string> | undefined;
}

/** The partition of a key in a topic of `partitions`. */
export type Partitioner = (key: Buffer, partitions: number) => number;

/** The records of `batches`' writes, one per key (the last write of each), in a topic of `partitions`. */
export function recordsOf(
  batches: readonly WriteBatch[],
  partitions: number,
  partitioner: Partitioner = partitionOf,
  /** Cluster mode: the node id every record names as its writer (fence.ts), in the `sluice-node` header. */
  writer?: string,
): OutgoingRecord[] {
  const last = new Map<string, PutOp>();
  for (const batch of batches) {
    for (const op of batch.ops) {
      // Sluice's own record, a clear, or a collection's element entry (its key's record carries it).
      if (!('overlay' in op) || op.overlay === null || op.keep === true) continue;
      last.delete(op.key); // keep the order of last writes
      last.set(op.key, op);
    }
  }
  const out: OutgoingRecord[] = [];
  const named = writer === undefined ? undefined : { [NODE_HEADER]: writer };
  for (const [name, op] of last) {
    const key = Buffer.from(name, 'latin1');
    const partition = partitioner(key, partitions);
    if (op.record === null) {
      out.push({ partition, key, value: null, headers: named });
      continue;
    }
    const l = layout(op.record);
    if (op.dump !== undefined) {
      out.push({ partition, key, value: op.dump, headers: { ...dumpHeaders(l.expiresAt), ...named } });
      continue;
    }
    const headers = expiryHeaders(l.expiresAt);
    out.push({
      partition,
      key,
      value: op.record.subarray(l.valueStart),
      headers: named === undefined ? headers : { ...headers, ...named },
    });
  }
  return out;
}

/** A key's record would be larger than `log-max-record-bytes`: its batch fails, nothing of it applied. */
export class LogRecordTooLargeError extends Error {
  override readonly name = 'LogRecordTooLargeError';
  constructor(
    readonly key: Buffer,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `the record of key '${key.toString('latin1')}' would be ${bytes} bytes, above log-max-record-bytes (${limit})`,
    );
  }
}

/**
 * A batch left a key holding a type whose value DUMP cannot serialize: log mode cannot carry it (its
 * commands should have refused the write with `collectionWritesAllowed(c, false)`). The batch fails.
 */
export class LogTypeNotCarriedError extends Error {
  override readonly name = 'LogTypeNotCarriedError';
}

/**
 * As `batch` closes: encodes the DUMP of each key it leaves holding a collection (`PutOp.dump`), the key's
 * last write in the batch, reading the collection as the batch left it (`dumpOf`). Returns the error for
 * the first record (key and value) over `maxBytes`, and then encodes nothing more: the batch fails whole.
 */
export function encodeCollections(
  batch: WriteBatch,
  dumpOf: (record: Buffer) => Buffer,
  isCollection: (record: Buffer) => boolean,
  maxBytes: number,
  carried: (record: Buffer) => boolean = () => true,
): LogRecordTooLargeError | LogTypeNotCarriedError | null {
  const last = new Map<string, PutOp>();
  for (const op of batch.ops) {
    if ('overlay' in op && op.overlay !== null && op.keep !== true) last.set(op.key, op);
  }
  for (const op of last.values()) {
    if (op.record === null || !isCollection(op.record)) continue;
    if (!carried(op.record))
      return new LogTypeNotCarriedError(`key '${op.key}' holds a type log mode cannot carry`);
    const dump = dumpOf(op.record);
    const bytes = op.key.length + dump.length;
    if (bytes > maxBytes) return new LogRecordTooLargeError(Buffer.from(op.key, 'latin1'), bytes, maxBytes);
    op.dump = dump;
  }
  return null;
}

/** The keys a batch writes records for (latin1 names), as `recordsOf` finds them. */
export function keysOf(batch: WriteBatch): string[] {
  const keys: string[] = [];
  for (const op of batch.ops) {
    if ('overlay' in op && op.overlay !== null && op.keep !== true) keys.push(op.key);
  }
  return keys;
}

/** The partitions of the keys `keys` (latin1 names) in a topic of `partitions`. */
export function partitionsOfKeys(keys: Iterable<Buffer>, partitions: number): Set<number> {
  const out = new Set<number>();
  for (const key of keys) out.add(partitionOf(key, partitions));
  return out;
}
