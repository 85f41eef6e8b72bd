/**
 * What a batch of writes becomes in the topic: for each key it wrote, its last value as a record (the
 * key's new value, its expiry in the `sluice-expire-at` header) or a tombstone for a deletion, in the
 * partition Kafka's default partitioner gives the key (in cluster mode, the partition of its slot). Sluice's own records (the expiry index) are not
 * produced: each node derives them from the records it applies.
 */

import { expiryHeaders } from '@sluice/kafka-bridge';
import type { PutOp, WriteBatch } from '../keyspace/batch.js';
import { layout } from '../keyspace/encoding.js';
import { partitionOf } from './partitioner.js';

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
): OutgoingRecord[] {
  const last = new Map<string, PutOp>();
  for (const batch of batches) {
    for (const op of batch.ops) {
      if (!('overlay' in op) || op.overlay === null) continue; // Sluice's own record, or a clear
      last.delete(op.key); // keep the order of last writes
      last.set(op.key, op);
    }
  }
  const out: OutgoingRecord[] = [];
  for (const [name, op] of last) {
    const key = Buffer.from(name, 'latin1');
    const partition = partitioner(key, partitions);
    if (op.record === null) {
      out.push({ partition, key, value: null, headers: undefined });
      continue;
    }
    const l = layout(op.record);
    const headers = expiryHeaders(l.expiresAt);
    out.push({ partition, key, value: op.record.subarray(l.valueStart), headers });
  }
  return out;
}

/** The partitions of the keys `keys` (latin1 names) in a topic of `partitions`. */
export function partitionsOfKeys(keys: Iterable<Buffer>, partitions: number): Set<number> {
  const out = new Set<number>();
  for (const key of keys) out.add(partitionOf(key, partitions));
  return out;
}
