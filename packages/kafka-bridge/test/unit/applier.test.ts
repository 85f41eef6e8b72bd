import { describe, expect, it } from 'vitest';
import { Applier } from '../../src/applier.js';
import { EVENTS, type EventName, Events } from '../../src/events.js';
import { InFlight } from '../../src/in-flight.js';
import type { SourceRecord } from '../../src/kafka/source.js';
import { PartitionState, QueueBudget } from '../../src/partition-state.js';
import type { Component } from '../../src/probes.js';
import { createRetry } from '../../src/retry.js';
import { fakeBatch, MemoryTarget, until } from '../helpers/fakes.js';

const OFFSET_KEY = '__sluice_bridge:offset:t:0';

function setup(maxBatchRecords = 1_000) {
  const target = new MemoryTarget('t');
  const events = new Events();
  const seen: { name: EventName; payload: unknown }[] = [];
  for (const name of Object.keys(EVENTS) as EventName[]) {
    events.on(name, (payload) => seen.push({ name, payload }));
  }
  const stop = new AbortController();
  const answered: Component[] = [];
  const wentBack: [bigint | null, bigint | null][] = [];
  const work = new InFlight();
  const applier = new Applier({
    target,
    keyPrefix: Buffer.alloc(0),
    skipReserved: true,
    maxBatchRecords,
    retry: createRetry({
      now: Date.now,
      signal: stop.signal,
      initialMs: 2,
      maxMs: 5,
      classify: () => 'target',
      failed: () => {},
      emit: events.emit,
    }),
    now: Date.now,
    emit: events.emit,
    answered: (component) => answered.push(component),
    wentBack: (_s, stored, written) => wentBack.push([stored, written]),
    work,
    stopping: () => stop.signal.aborted,
  });
  const budget = new QueueBudget(1_000_000);
  const s = new PartitionState(0, budget);
  s.assigned();
  /** Queue a batch of the given offsets (records `k<offset>` = `v<offset>`) and start the applier. */
  const queue = (offsets: bigint[], records?: SourceRecord[]) => {
    s.batchQueued(fakeBatch(0, offsets, { records }));
    applier.start(s);
  };
  const events_ = (name: EventName) => seen.filter((e) => e.name === name).map((e) => e.payload);
  return { target, applier, s, budget, stop, answered, wentBack, work, queue, events: events_ };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => BigInt(from + i));

describe('Applier', () => {
  it('applies the queue in order, at most maxBatchRecords records per transaction, each with its offset', async () => {
    const t = setup(3);
    t.s.positioned(null, undefined);
    t.queue(range(0, 7));
    t.queue(range(7, 9));
    await t.work.idle();
    expect(t.target.applies.map((a) => [a.offset, a.sets])).toEqual([
      [2n, 3],
      [5n, 3],
      [6n, 1],
      [8n, 2],
    ]);
    expect(t.s.applied).toBe(8n);
    expect(t.s.queuedBatches).toBe(0);
    expect(t.budget.queued).toBe(0);
    expect(t.s.isApplying).toBe(false);
    expect(t.answered).toEqual(['target', 'target', 'target', 'target']);
    expect(t.events('transaction.applied')[0]).toMatchObject({
      partition: 0,
      offset: 2n,
      records: 3,
      sets: 3,
      deletes: 0,
      mode: 'multi',
    });
  });

  it('does not write what the target has already, and counts it', async () => {
    const t = setup(3);
    t.target.data.set(OFFSET_KEY, '4');
    t.s.positioned(4n, undefined);
    // Offsets 0…2 are all at or below 4; of 3…5, two are.
    t.queue(range(0, 6));
    await t.work.idle();
    expect(t.target.applies).toEqual([{ partition: 0, offset: 5n, sets: 1, dels: 0 }]);
    expect(t.events('records.already_applied')).toEqual([
      { partition: 0, count: 3 },
      { partition: 0, count: 2 },
    ]);
  });

  it('skips what the target holds when another writer got ahead, and goes on from there', async () => {
    const t = setup();
    t.s.positioned(null, undefined);
    t.target.data.set(OFFSET_KEY, '5');
    t.queue(range(0, 10));
    await t.work.idle();
    expect(t.events('partition.target_ahead')).toEqual([{ partition: 0, expected: null, stored: 5n }]);
    expect(t.target.applies).toEqual([{ partition: 0, offset: 9n, sets: 4, dels: 0 }]);
    expect(t.s.applied).toBe(9n);
  });

  it('reads the partition again when the target holds less than the bridge wrote, dropping the queue', async () => {
    const t = setup();
    t.s.positioned(null, undefined);
    t.queue(range(0, 5));
    await t.work.idle();
    // The target restarts empty.
    t.target.data.clear();
    t.queue(range(5, 8));
    t.queue(range(8, 9));
    await t.work.idle();
    expect(t.wentBack).toEqual([[null, 4n]]);
    expect(t.target.applies).toHaveLength(1);
    expect(t.s.queuedBatches).toBe(0);
  });

  it('retries while the target is down and goes on when it is back', async () => {
    const t = setup();
    t.s.positioned(null, undefined);
    t.target.down = true;
    t.queue(range(0, 3));
    await until(() => t.events('retry.failed').length >= 2, 5_000, 'retries');
    t.target.down = false;
    await t.work.idle();
    expect(t.s.applied).toBe(2n);
    expect(t.events('retry.succeeded')).toHaveLength(1);
  });

  it('gives up a write whose partition was forgotten meanwhile, writing nothing', async () => {
    const t = setup();
    t.s.positioned(null, undefined);
    t.target.down = true;
    t.queue(range(0, 3));
    await until(() => t.events('retry.failed').length >= 1, 5_000, 'a failure');
    t.s.revoked();
    await t.work.idle();
    t.target.down = false;
    expect(t.target.applies).toEqual([]);
    expect(t.s.applied).toBeUndefined();
  });

  it('finishes the batch in flight when stopping, and applies nothing queued after it', async () => {
    const t = setup(2);
    t.s.positioned(null, undefined);
    const apply = t.target.apply.bind(t.target);
    t.target.apply = async (...args) => {
      t.stop.abort();
      return apply(...args);
    };
    t.queue(range(0, 4));
    t.queue(range(4, 6));
    await t.work.idle();
    // Stopping during the first batch's first transaction: that batch is finished, the rest of the
    // queue is dropped (its offsets are not stored, so the next start reads it again).
    expect(t.target.applies.map((a) => a.offset)).toEqual([1n, 3n]);
    expect(t.s.queuedBatches).toBe(0);
  });

  it('counts records without a key or with a reserved key as skipped, with the first offset of each', async () => {
    const t = setup();
    t.s.positioned(null, undefined);
    t.queue(range(0, 4), [
      { key: null, value: Buffer.from('x') },
      { key: Buffer.from('a'), value: null },
      { key: Buffer.from('__sluice_bridge:offset:t:0'), value: Buffer.from('9') },
      { key: null, value: Buffer.from('y') },
    ]);
    await t.work.idle();
    expect(t.events('records.skipped')).toEqual([
      { partition: 0, reason: 'no_key', count: 2, firstOffset: 0n },
      { partition: 0, reason: 'reserved_key', count: 1, firstOffset: 2n },
    ]);
    expect(t.events('transaction.applied')[0]).toMatchObject({ records: 1, sets: 0, deletes: 1 });
    expect(t.target.stored(0)).toBe(3n);
  });

  it('runs one applier per partition; a new generation’s queue waits for the old write to finish', async () => {
    const t = setup();
    t.s.positioned(null, undefined);
    let release: () => void = () => {};
    const apply = t.target.apply.bind(t.target);
    let calls = 0;
    t.target.apply = async (...args) => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      return apply(...args);
    };
    t.queue(range(0, 2));
    t.applier.start(t.s);
    expect(t.work.count).toBe(1);
    await until(() => calls === 1, 5_000, 'the first write');
    // Reassigned while writing: the new generation's batch is queued behind the old write.
    t.s.assigned();
    t.s.positioned(null, undefined);
    t.queue(range(0, 3));
    expect(t.work.count).toBe(1);
    release();
    await until(() => t.s.applied === 2n, 5_000, 'the new generation applied');
    await t.work.idle();
    expect(calls).toBe(3);
  });
});
