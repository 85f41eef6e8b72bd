/**
 * PartitionSweeper (cluster/sweep.ts) over a real keyspace and log mode's target: records applied from
 * the topic enter the slot index; a partition the node no longer holds loses its keys a step at a time
 * and its stored offset with the first step; a partition held again stops its sweep and counts as never
 * applied, so that it is read again from its start.
 */

import { keySlot } from '@sluice/protocol';
import { removeDir, tempDir } from '@sluice/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionOfSlot, slotsOfPartition } from '../../src/cluster/membership.js';
import { PartitionSweeper } from '../../src/cluster/sweep.js';
import type { Database } from '../../src/keyspace/database.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';
import type { SlotIndex } from '../../src/keyspace/slot-index.js';
import { AppliedOffsets } from '../../src/log/applied.js';
import { KeyspaceTarget } from '../../src/log/target.js';

const PARTITIONS = 4;
const PER_PARTITION = 1000;

describe('PartitionSweeper', () => {
  let dir = '';
  let keyspace: Keyspace;
  let db: Database;
  let slots: SlotIndex;
  let offsets: AppliedOffsets;
  let target: KeyspaceTarget;
  const lines: string[] = [];
  /** Keys by partition: PER_PARTITION each, a long one (stored by its hash) among them. */
  const keysOf = new Map<number, Buffer[]>();
  for (let i = 0; [...keysOf.values()].reduce((n, l) => n + l.length, 0) < PARTITIONS * PER_PARTITION; i++) {
    const key = Buffer.from(i === 7 ? `long:${'x'.repeat(3000)}` : `key:${i}`);
    const p = partitionOfSlot(keySlot(key), PARTITIONS);
    const list = keysOf.get(p) ?? [];
    if (list.length < PER_PARTITION) list.push(key);
    keysOf.set(p, list);
  }

  beforeEach(async () => {
    dir = await tempDir('sluice-sweep-');
    keyspace = new Keyspace({
      dir,
      databases: 1,
      durability: 'no',
      mapSize: 256 * 1024 * 1024,
      writemap: false,
      slotIndex: true,
    });
    db = keyspace.dbs[0] as Database;
    slots = db.slots as SlotIndex;
    offsets = new AppliedOffsets();
    target = new KeyspaceTarget(keyspace, db, 'topic', offsets);
    lines.length = 0;
  });
  afterEach(async () => {
    await keyspace.close();
    await removeDir(dir);
  });

  /** Applies partition `p`'s keys as records at offsets 0…n-1, as the bridge does. */
  async function applyPartition(p: number): Promise<void> {
    const keys = keysOf.get(p) as Buffer[];
    await keyspace.applyRecords(db, {
      writes: keys.map((key) => ({ key, value: Buffer.from(`v${key.length}`), at: 0 })),
      offsetKey: target.offsetKey(p),
      offsetValue: Buffer.from(String(keys.length - 1)),
    });
    offsets.advance(p, BigInt(keys.length - 1));
  }

  function indexed(p: number): number {
    const [first, last] = slotsOfPartition(p, PARTITIONS);
    return slots.keysInSlots(first, last, 1_000_000).length;
  }

  function sweeper(): PartitionSweeper {
    return new PartitionSweeper({
      keys: (first, last, count) => slots.keysInSlots(first, last, count),
      drop: (partition, keys) => target.drop(partition, keys),
      slotsOf: slotsOfPartition,
      log: (line) => lines.push(line),
      stepKeys: 100,
    });
  }

  async function finished(s: PartitionSweeper): Promise<void> {
    for (let i = 0; i < 500 && s.sweeping.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.sweeping).toEqual([]);
  }

  it('indexes applied records by slot, and deletes the keys and the offset of partitions not held', async () => {
    for (let p = 0; p < PARTITIONS; p++) await applyPartition(p);
    expect(db.size()).toBe(PARTITIONS * PER_PARTITION);
    for (let p = 0; p < PARTITIONS; p++) expect(indexed(p)).toBe(PER_PARTITION);
    const long = keysOf.get(partitionOfSlot(keySlot(Buffer.from(`long:${'x'.repeat(3000)}`)), PARTITIONS));
    expect(long?.some((k) => k.length > 3000)).toBe(true);
    // A tombstone removes the key's entry.
    const gone = (keysOf.get(0) as Buffer[])[0] as Buffer;
    await keyspace.applyRecords(db, {
      writes: [{ key: gone, value: null, at: 0 }],
      offsetKey: target.offsetKey(0),
      offsetValue: Buffer.from(String(PER_PARTITION)),
    });
    expect(indexed(0)).toBe(PER_PARTITION - 1);
    expect(slots.count(keySlot(gone))).toBe(
      (keysOf.get(0) as Buffer[]).filter((k) => k !== gone && keySlot(k) === keySlot(gone)).length,
    );

    const s = sweeper();
    s.hold(new Set([0, 1]), PARTITIONS);
    // The first step is queued at once: the offsets of 2 and 3 count as never applied from now on.
    expect(target.stored(2)).toBe(null);
    expect(offsets.get(3)).toBe(-1n);
    expect(s.sweeping).toEqual([2, 3]);
    await finished(s);
    expect(db.size()).toBe(2 * PER_PARTITION - 1);
    expect([0, 1, 2, 3].map(indexed)).toEqual([PER_PARTITION - 1, PER_PARTITION, 0, 0]);
    expect(keyspace.readMeta(target.offsetKey(2))).toBe(undefined);
    expect(keyspace.readMeta(target.offsetKey(3))).toBe(undefined);
    expect(keyspace.readMeta(target.offsetKey(1))?.toString()).toBe(String(PER_PARTITION - 1));
    expect(s.sweptKeys).toBe(2 * PER_PARTITION);
    const swept = (keysOf.get(2) as Buffer[])[5] as Buffer;
    expect(db.get(swept, 0, swept.length, Date.now())).toBe(undefined);
    const kept = (keysOf.get(1) as Buffer[])[5] as Buffer;
    expect(db.get(kept, 0, kept.length, Date.now())).toBeDefined();
    expect(lines).toContain(`deleted the ${PER_PARTITION} key(s) of partition 2, no longer held here`);

    // Another plan that holds 0 and 1: nothing more to sweep.
    s.hold(new Set([0, 1]), PARTITIONS);
    expect(s.sweeping).toEqual([]);
  });

  it('stops the sweep of a partition held again; the partition then counts as never applied', async () => {
    for (let p = 0; p < PARTITIONS; p++) await applyPartition(p);
    const s = sweeper();
    s.hold(new Set([0, 1, 2, 3]), PARTITIONS);
    s.hold(new Set([0, 1]), PARTITIONS);
    // Two steps of partition 2 (100 keys each), then it comes back.
    for (let i = 0; i < 500 && indexed(2) > PER_PARTITION - 200; i++)
      await new Promise((r) => setImmediate(r));
    s.hold(new Set([0, 1, 2]), PARTITIONS);
    expect(s.sweeping).toEqual([3]);
    await finished(s);
    const left = indexed(2);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(PER_PARTITION);
    expect(left % 100).toBe(0);
    // No step runs after the stop.
    await new Promise((r) => setTimeout(r, 50));
    expect(indexed(2)).toBe(left);
    // The bridge positions it from its start: no stored offset, nothing applied.
    expect(target.stored(2)).toBe(null);
    expect(keyspace.readMeta(target.offsetKey(2))).toBe(undefined);
    expect(offsets.get(2)).toBe(-1n);
    expect(lines).toContain('partition 2 is held again: its sweep stops, it is read from its start');
    // Read again from its start, it has every key.
    await applyPartition(2);
    expect(indexed(2)).toBe(PER_PARTITION);
    expect(indexed(3)).toBe(0);
  });
});
