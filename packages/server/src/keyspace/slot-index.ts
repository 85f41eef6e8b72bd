/**
 * Cluster mode's index of the keys of database 0 by hash slot, for CLUSTER COUNTKEYSINSLOT and
 * GETKEYSINSLOT: an LMDB sub-database (`slots`) with one entry per key, keyed by the slot (2 bytes,
 * big-endian) then the key's stored form, so that a slot's keys are one range. The entries are written in
 * the same batch, and so the same LMDB transaction, as the keys they index (Database.write adds one when a
 * key appears and removes it when the key goes); COUNTKEYSINSLOT counts the slot's range (O(keys in the
 * slot), no value read), GETKEYSINSLOT reads its first entries.
 *
 * Writes pay for it in cluster mode only: one more read (did the key exist?) per write, and one more
 * B-tree write when a key appears or disappears (overwrites add none). In cluster mode over Kafka, a
 * node's writes reach LMDB as records applied from the topic (Keyspace.applyRecords): there each applied
 * record puts or removes its key's entry in the records' transaction (one more B-tree write per record,
 * overwrites included), and active expiry removes the entries of the keys it deletes. The index is built
 * from database 0 when the server first starts with cluster-enabled yes (one pass over the keys), and
 * dropped when it starts without, since writes then do not keep it. It also tells a node which keys to
 * delete when it loses a partition (cluster/sweep.ts): the slots of a partition are one range of it.
 */
import { createHash } from 'node:crypto';
import { keySlot } from '@sluice/protocol';
import type { Database as LmdbDatabase } from 'lmdb';
import { internalPut, type WriteBatch } from './batch.js';

/** lmdb-js's longest key. */
const MAX_LMDB_KEY = 1978;
const TAG_DIRECT = 0x00;
const TAG_HASHED = 0x01;
const NO_VALUE = Buffer.alloc(0);

export class SlotIndex {
  constructor(readonly dbi: LmdbDatabase<Buffer, Buffer>) {}

  /**
   * Key `key[start, end)`, stored as `stored`, appeared (`exists`) or disappeared: its entry joins
   * `batch`.
   */
  written(
    batch: WriteBatch,
    key: Uint8Array,
    start: number,
    end: number,
    stored: Buffer,
    exists: boolean,
  ): void {
    const { entry, value } = entryOf(key, start, end, stored);
    batch.ops.push(internalPut(this.dbi, entry, exists ? value : null));
  }

  /**
   * Log mode: `key` (stored as `stored`) was written (`exists`) or deleted by records applied from the
   * topic. Its entry is queued with lmdb-js's asynchronous writes, into the transaction that applies the
   * records. A put of an entry already there and a removal of one that is not change nothing, so no read
   * decides it (a read would not see the transactions queued and not yet committed).
   */
  queue(key: Buffer, stored: Buffer, exists: boolean): void {
    const { entry, value } = entryOf(key, 0, key.length, stored);
    if (exists) void this.dbi.put(entry, value);
    else void this.dbi.remove(entry);
  }

  /** Removes the entry of `key` (stored as `stored`) now, in the current LMDB write transaction. */
  removeSync(key: Buffer, stored: Buffer): void {
    this.dbi.removeSync(entryOf(key, 0, key.length, stored).entry);
  }

  /**
   * Enters every key of a database (its entries, Database.entries) now, in the current LMDB write
   * transaction (at start-up, in cluster mode, when the index was not kept before); returns how many.
   */
  build(entries: Iterable<{ readonly stored: Buffer; readonly key: Buffer }>): number {
    let n = 0;
    this.dbi.clearSync();
    for (const { stored, key } of entries) {
      const { entry, value } = entryOf(key, 0, key.length, stored);
      this.dbi.putSync(entry, value);
      n++;
    }
    return n;
  }

  /** The keys in `slot`, committed (expired keys not yet removed count, as in redis-server). */
  count(slot: number): number {
    return this.dbi.getKeysCount(range(slot));
  }

  /** Up to `count` keys of `slot`, in the order of their stored form. */
  keys(slot: number, count: number): Buffer[] {
    return this.keysInSlots(slot, slot, count);
  }

  /** Up to `count` committed keys of the slots `first` to `last` (both included), in index order. */
  keysInSlots(first: number, last: number, count: number): Buffer[] {
    const out: Buffer[] = [];
    if (count === 0) return out;
    const start = range(first).start;
    const end = range(last).end;
    for (const { key, value } of this.dbi.getRange({ start, end, limit: count })) {
      out.push(key[2] === TAG_DIRECT ? Buffer.from(key.subarray(3)) : Buffer.from(value));
    }
    return out;
  }
}

/**
 * A key's entry: the slot then the stored key; or for a long key (stored by its hash, or stored directly
 * but too long to follow the slot), the slot then its SHA-256, with the key itself as the entry's value.
 */
function entryOf(
  key: Uint8Array,
  start: number,
  end: number,
  stored: Buffer,
): { entry: Buffer; value: Buffer } {
  let entry: Buffer;
  let value = NO_VALUE;
  if (stored[0] === TAG_DIRECT && stored.length + 2 <= MAX_LMDB_KEY) {
    entry = Buffer.allocUnsafe(stored.length + 2);
    stored.copy(entry, 2);
  } else {
    entry = Buffer.allocUnsafe(35);
    entry[2] = TAG_HASHED;
    createHash('sha256').update(key.subarray(start, end)).digest().copy(entry, 3);
    value = Buffer.from(key.subarray(start, end));
  }
  entry.writeUInt16BE(keySlot(key, start, end), 0);
  return { entry, value };
}

/** The entries of one slot. */
function range(slot: number): { start: Buffer; end: Buffer } {
  const start = Buffer.alloc(2);
  start.writeUInt16BE(slot, 0);
  const end = Buffer.alloc(2);
  end.writeUInt16BE(slot + 1, 0);
  return { start, end };
}
