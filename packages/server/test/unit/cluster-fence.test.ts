/**
 * The fence between a partition's old and new primary (log/fence.ts) on the apply side, over a real
 * keyspace and log mode's target: a handoff record makes its writer the partition's owner; a record of
 * another writer is skipped (the offset still moves past it) and reported; a record without a writer
 * (an external producer's) is applied; the owner is stored with the offset, so a target opened again on
 * the same data directory, as after a restart, goes on with it; a sweep of the partition forgets it.
 */
import { planInOrder, type RecordHeaders, type SourceRecord } from '@sluice/kafka-bridge';
import { removeDir, tempDir } from '@sluice/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/keyspace/database.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';
import { AppliedOffsets } from '../../src/log/applied.js';
import { type FencedRecord, fence, handoffRecord } from '../../src/log/fence.js';
import { KeyspaceTarget } from '../../src/log/target.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('the fence on the apply side', () => {
  let dir = '';
  let keyspace: Keyspace;
  let db: Database;
  let offsets: AppliedOffsets;
  let target: KeyspaceTarget;
  const fenced: { partition: number; records: readonly FencedRecord[]; owner: string }[] = [];

  const open = (): void => {
    keyspace = new Keyspace({ dir, databases: 1, durability: 'no', mapSize: 64 << 20, writemap: false });
    db = keyspace.dbs[0] as Database;
    offsets = new AppliedOffsets();
    target = new KeyspaceTarget(keyspace, db, 'topic', offsets, {
      values: { keyspace, config: {} as never },
      corrupt: () => {},
      fenced: (partition, records, owner) => fenced.push({ partition, records, owner }),
    });
  };

  beforeEach(async () => {
    dir = await tempDir('sluice-fence-');
    fenced.length = 0;
    open();
  });
  afterEach(async () => {
    await keyspace.close();
    await removeDir(dir);
  });

  const rec = (key: string, value: string | null, writer?: string): SourceRecord => ({
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    ...(writer === undefined ? {} : { headers: { 'sluice-node': writer } as RecordHeaders }),
  });
  const handoff = (partition: number, writer: string): SourceRecord => {
    const r = handoffRecord(partition, writer);
    return { key: r.key, value: r.value, headers: r.headers as RecordHeaders };
  };

  /** Applies `records` to partition `p` at the offsets after what it has, in one transaction, as the bridge does. */
  async function apply(p: number, records: SourceRecord[]): Promise<void> {
    const stored = target.stored(p);
    const base = stored === null ? 0n : stored + 1n;
    const batch = { records, offsetOf: (i: number) => base + BigInt(i) };
    const plan = target.planner(batch, 0, records.length, base - 1n, {
      keyPrefix: Buffer.alloc(0),
      skipReserved: false,
      now: Date.now(),
    });
    const result = await target.apply(p, plan, base + BigInt(records.length) - 1n, stored);
    expect(result).toEqual({ applied: true });
  }
  const get = (k: string) => db.get(Buffer.from(k), 0, k.length, Date.now())?.subarray(1).toString() ?? null;

  it('applies every record until a handoff; then only the owner’s and header-less ones', async () => {
    // Before any handoff (a topic of an older version): every writer's records are applied.
    await apply(0, [rec('k', '1', A), rec('k', '2', B), rec('ext', 'e1')]);
    expect(get('k')).toBe('2');
    expect(target.owner(0)).toBeNull();
    // In one transaction: B's handoff, then a late record of A (fenced), B's, an external producer's.
    await apply(0, [
      handoff(0, B),
      rec('k', 'late', A),
      rec('k', '3', B),
      rec('ext', 'e2'),
      rec('j', 'x', A),
    ]);
    expect(get('k')).toBe('3');
    expect(get('ext')).toBe('e2');
    expect(get('j')).toBeNull();
    // The handoff record is no key here.
    expect(db.size()).toBe(2);
    expect(target.owner(0)).toBe(B);
    expect(offsets.get(0)).toBe(7n); // the offset moved past the skipped records
    expect(fenced).toEqual([
      {
        partition: 0,
        records: [
          { offset: 4n, key: Buffer.from('k'), writer: A },
          { offset: 7n, key: Buffer.from('j'), writer: A },
        ],
        owner: B,
      },
    ]);
    // Another partition has an owner of its own.
    await apply(1, [rec('p1', 'a', A)]);
    expect(get('p1')).toBe('a');
    expect(target.owner(1)).toBeNull();
    // A hands off again: B's records are the fenced ones now.
    fenced.length = 0;
    await apply(0, [rec('k', '4', B), handoff(0, A), rec('k', '5', B), rec('k', '6', A)]);
    expect(get('k')).toBe('6');
    expect(fenced.map((f) => f.records)).toEqual([[{ offset: 10n, key: Buffer.from('k'), writer: B }]]);
    expect(target.owner(0)).toBe(A);
  });

  it('stores the owner with the offset: a restarted node goes on with it; a sweep forgets it', async () => {
    await apply(2, [handoff(2, B), rec('k', '1', B)]);
    await keyspace.close();
    open();
    expect(target.stored(2)).toBe(1n);
    expect(target.owner(2)).toBe(B);
    await apply(2, [rec('k', 'late', A), rec('k', '2', B)]);
    expect(get('k')).toBe('2');
    expect(fenced.map((f) => f.records)).toEqual([[{ offset: 2n, key: Buffer.from('k'), writer: A }]]);
    // The fast path of a node's own records obeys the fence too.
    const own = [
      { partition: 2, key: Buffer.from('k'), value: Buffer.from('own'), headers: { 'sluice-node': A } },
    ];
    expect(target.applyOwn(2, own, 4n, 4n, Date.now())).toBe(true);
    await new Promise<void>((resolve) => offsets.whenCovered(new Map([[2, 4n]]), resolve));
    expect(get('k')).toBe('2');
    // A partition the node no longer holds loses its owner with its offset: read again from its start.
    await target.drop(2, [Buffer.from('k')]);
    expect(target.owner(2)).toBeNull();
    await keyspace.close();
    open();
    expect(target.stored(2)).toBeNull();
    expect(target.owner(2)).toBeNull();
  });

  it('leaves the writes alone when no record names a writer', () => {
    const writes = [
      { key: Buffer.from('a'), value: Buffer.from('1'), at: 0 },
      { key: Buffer.from('b'), value: null, at: 0 },
    ];
    const out = fence(writes, B);
    expect(out.writes).toBe(writes);
    expect(out.owner).toBe(B);
    expect(out.fenced).toEqual([]);
    // The planner keeps each record's offset and headers for the fence.
    const plan = planInOrder({ records: [rec('a', '1', A)], offsetOf: (i) => 5n + BigInt(i) }, 0, 1, 4n, {
      keyPrefix: Buffer.alloc(0),
      skipReserved: false,
      now: 0,
    });
    expect(plan.ordered?.[0]?.offset).toBe(5n);
    expect(plan.ordered?.[0]?.headers).toEqual({ 'sluice-node': A });
  });
});
