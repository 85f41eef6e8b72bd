import { describe, expect, it } from 'vitest';
import { EVENTS, type EventName, Events } from '../../src/events.js';
import { InFlight } from '../../src/in-flight.js';
import type { SourceBatch } from '../../src/kafka/source.js';
import { PartitionState, QueueBudget } from '../../src/partition-state.js';
import { PositionError, Positioner } from '../../src/positioner.js';
import type { Component } from '../../src/probes.js';
import { createRetry } from '../../src/retry.js';
import { TargetUnavailableError } from '../../src/target/target.js';
import { FakeSource, fakeBatch, MemoryTarget, until } from '../helpers/fakes.js';

const OFFSET_KEY = (p: number) => `__sluice_bridge:offset:t:${p}`;

function setup(partitions = 1) {
  const source = new FakeSource(partitions);
  const target = new MemoryTarget('t');
  let reads = 0;
  const readOffsets = target.readOffsets.bind(target);
  target.readOffsets = (list) => {
    reads++;
    return readOffsets(list);
  };
  const events = new Events();
  const seen: { name: EventName; payload: unknown }[] = [];
  for (const name of Object.keys(EVENTS) as EventName[]) {
    events.on(name, (payload) => seen.push({ name, payload }));
  }
  const stop = new AbortController();
  const answered: Component[] = [];
  const pauses: number[] = [];
  const work = new InFlight();
  const retry = createRetry({
    now: Date.now,
    signal: stop.signal,
    initialMs: 2,
    maxMs: 5,
    classify: (err) =>
      err instanceof PositionError || err instanceof TargetUnavailableError ? 'target' : 'kafka',
    failed: () => {},
    emit: events.emit,
  });
  const positioner = new Positioner({
    target,
    source,
    retry,
    pause: async (failures) => {
      pauses.push(failures);
    },
    answered: (component) => answered.push(component),
    emit: events.emit,
    work,
    stopping: () => stop.signal.aborted,
  });
  const budget = new QueueBudget(1_000);
  const state = (partition = 0) => {
    const s = new PartitionState(partition, budget);
    s.assigned();
    return s;
  };
  /** A batch fetched from `from` that a later seek of its partition makes stale, as in a Kafka client. */
  const batchFrom = (from: bigint, partition = 0): SourceBatch => {
    const seeks = source.seeks.length;
    return fakeBatch(partition, [from, from + 1n], {
      isStale: () => source.seeks.slice(seeks).some((s) => s.partition === partition),
    });
  };
  const events_ = (name: EventName) => seen.filter((e) => e.name === name).map((e) => e.payload);
  return {
    source,
    target,
    positioner,
    stop,
    answered,
    pauses,
    work,
    state,
    batchFrom,
    events: events_,
    reads: () => reads,
  };
}

describe('Positioner.placed', () => {
  it('reads the stored offset and seeks right after it, dropping a batch fetched elsewhere', async () => {
    const t = setup();
    t.source.produce(
      0,
      Array.from({ length: 50 }, () => ({ key: 'k', value: 'v' })),
    );
    t.target.data.set(OFFSET_KEY(0), '19');
    const s = t.state();
    expect(await t.positioner.placed(s, t.batchFrom(40n))).toBe(false);
    expect(t.source.seeks).toEqual([{ partition: 0, offset: 20n }]);
    expect([s.applied, s.stored]).toEqual([19n, 19n]);
    expect(t.events('partition.positioned')).toEqual([{ partition: 0, storedOffset: 19n, readFrom: 20n }]);
    expect(t.answered).toEqual(['target', 'kafka']);
    // The batch from where it sought is in place.
    expect(await t.positioner.placed(s, t.batchFrom(20n))).toBe(true);
    expect(t.source.seeks).toHaveLength(1);
  });

  it('does not seek when the batch at hand starts right after the stored offset', async () => {
    const t = setup();
    t.source.produce(
      0,
      Array.from({ length: 50 }, () => ({ key: 'k', value: 'v' })),
    );
    t.target.data.set(OFFSET_KEY(0), '19');
    const s = t.state();
    expect(await t.positioner.placed(s, t.batchFrom(20n))).toBe(true);
    expect(t.source.seeks).toEqual([]);
    expect(s.applied).toBe(19n);
  });

  it('reads from the log’s start when nothing is stored', async () => {
    const t = setup();
    t.source.low.set(0, 5n);
    t.source.produce(0, [{ key: 'k', value: 'v' }]);
    const s = t.state();
    expect(await t.positioner.placed(s, t.batchFrom(5n))).toBe(true);
    expect(s.applied).toBeNull();
    expect(t.events('partition.positioned')).toEqual([{ partition: 0, storedOffset: null, readFrom: 5n }]);
    expect(t.events('partition.records_lost')).toEqual([]);
  });

  it('says when records after the stored offset were deleted from Kafka, and reads from what is left', async () => {
    const t = setup();
    t.source.low.set(0, 50n);
    t.source.produce(0, [{ key: 'k', value: 'v' }]);
    t.target.data.set(OFFSET_KEY(0), '9');
    const s = t.state();
    expect(await t.positioner.placed(s, t.batchFrom(50n))).toBe(true);
    expect(t.events('partition.records_lost')).toEqual([
      { partition: 0, storedOffset: 9n, firstAvailable: 50n },
    ]);
    expect(t.events('partition.positioned')).toEqual([{ partition: 0, storedOffset: 9n, readFrom: 50n }]);
  });

  it('will not guess when the stored offset is beyond the partition’s end: retries, marked inconsistent', async () => {
    const t = setup();
    t.source.produce(0, [{ key: 'k', value: 'v' }]);
    t.target.data.set(OFFSET_KEY(0), '100');
    const s = t.state();
    let stale = false;
    const batch = fakeBatch(0, [0n], { isStale: () => stale });
    const placed = t.positioner.placed(s, batch);
    await until(() => t.events('retry.failed').length >= 3, 5_000, 'retries');
    stale = true;
    expect(await placed).toBe(false);
    expect(s.applied).toBeUndefined();
    expect(s.inconsistent).toMatch(/^the target's offset 100 is beyond the partition's end 1 /);
    const failure = t.events('retry.failed')[0] as { component: string; error: unknown; operation: string };
    expect(failure.operation).toBe('position');
    expect(failure.component).toBe('target');
    expect(failure.error).toBeInstanceOf(PositionError);
    expect(t.source.seeks).toEqual([]);
  });

  it('shares one read between the batches that ask at the same time', async () => {
    const t = setup();
    t.source.produce(0, [{ key: 'k', value: 'v' }]);
    const s = t.state();
    const [a, b] = await Promise.all([
      t.positioner.placed(s, t.batchFrom(0n)),
      t.positioner.placed(s, t.batchFrom(0n)),
    ]);
    expect([a, b]).toEqual([true, true]);
    expect(t.reads()).toBe(1);
  });

  it('looks again when the client moved the position after the seek, pausing from the second time in a row', async () => {
    const t = setup();
    t.source.produce(
      0,
      Array.from({ length: 50 }, () => ({ key: 'k', value: 'v' })),
    );
    t.target.data.set(OFFSET_KEY(0), '19');
    const s = t.state();
    s.positioned(19n, 20n);
    // Fetched from 40 although the bridge sought 20 (an offset reset, say).
    expect(await t.positioner.placed(s, t.batchFrom(40n))).toBe(false);
    expect(s.misplaced).toBe(1);
    expect(t.pauses).toEqual([]);
    expect(t.source.seeks).toEqual([{ partition: 0, offset: 20n }]);
    expect(await t.positioner.placed(s, t.batchFrom(40n))).toBe(false);
    expect(s.misplaced).toBe(2);
    expect(t.pauses).toEqual([1]);
    expect(await t.positioner.placed(s, t.batchFrom(20n))).toBe(true);
    expect(s.misplaced).toBe(0);
  });

  it('gives up at once while stopping', async () => {
    const t = setup();
    t.stop.abort();
    expect(await t.positioner.placed(t.state(), t.batchFrom(0n))).toBe(false);
    expect(t.reads()).toBe(0);
  });
});

describe('Positioner.positionSoon', () => {
  it('positions every partition given in one read, seeking each, in the background', async () => {
    const t = setup(2);
    t.source.produce(
      0,
      Array.from({ length: 10 }, () => ({ key: 'k', value: 'v' })),
    );
    t.source.produce(
      1,
      Array.from({ length: 10 }, () => ({ key: 'k', value: 'v' })),
    );
    t.target.data.set(OFFSET_KEY(1), '4');
    const states = [t.state(0), t.state(1)];
    t.positioner.positionSoon(states);
    expect(t.work.count).toBe(1);
    await t.work.idle();
    expect(t.reads()).toBe(1);
    expect(states.map((s) => s.applied)).toEqual([null, 4n]);
    expect(t.source.seeks).toEqual([
      { partition: 0, offset: 0n },
      { partition: 1, offset: 5n },
    ]);
  });

  it('leaves alone partitions positioned already, and does nothing when none is left', async () => {
    const t = setup();
    t.source.produce(0, [{ key: 'k', value: 'v' }]);
    const s = t.state();
    s.positioned(null, undefined);
    t.positioner.positionSoon([s]);
    expect(t.work.count).toBe(0);
    expect(t.reads()).toBe(0);
  });

  it('retries while the target is down, and stops once the partitions are forgotten again', async () => {
    const t = setup();
    t.source.produce(0, [{ key: 'k', value: 'v' }]);
    t.target.down = true;
    const s = t.state();
    t.positioner.positionSoon([s]);
    await until(() => t.events('retry.failed').length >= 2, 5_000, 'retries');
    // Assigned again: a newer generation, which this positioning is not for.
    s.assigned();
    await t.work.idle();
    expect(s.applied).toBeUndefined();
    t.target.down = false;
    t.positioner.positionSoon([s]);
    await t.work.idle();
    expect(s.applied).toBeNull();
  });
  it('never places a partition with offsets read for others (its own positioning failed meanwhile)', async () => {
    const t = setup(2);
    t.source.produce(
      0,
      Array.from({ length: 50 }, () => ({ key: 'k', value: 'v' })),
    );
    t.source.produce(
      1,
      Array.from({ length: 50 }, () => ({ key: 'k', value: 'v' })),
    );
    t.target.data.set(OFFSET_KEY(0), '19');
    // Hold each read of the stored offsets until the test settles it.
    const reads: { partitions: readonly number[]; resolve: () => void; reject: (err: Error) => void }[] = [];
    const readOffsets = t.target.readOffsets;
    t.target.readOffsets = (partitions) =>
      new Promise((resolve, reject) => {
        reads.push({
          partitions,
          resolve: () => resolve(readOffsets(partitions)),
          reject,
        });
      });
    const [s0, s1] = [t.state(0), t.state(1)];
    // Partition 0's first batch is positioning it; the assignment's positioning takes partition 1 only.
    const placed = t.positioner.placed(s0, t.batchFrom(20n));
    t.positioner.positionSoon([s0, s1]);
    expect(reads.map((r) => r.partitions)).toEqual([[0], [1]]);
    // Partition 0's read fails; partition 1's succeeds before partition 0 is tried again.
    reads[0]?.reject(new TargetUnavailableError('target unavailable: down'));
    await new Promise((r) => setImmediate(r));
    reads[1]?.resolve();
    await until(() => s1.applied !== undefined, 5_000, 'partition 1 positioned');
    // Partition 0 was not placed at "nothing stored" (which would have read it again from 0).
    expect(s0.applied).toBeUndefined();
    expect(t.source.seeks).toEqual([{ partition: 1, offset: 0n }]);
    await until(() => reads.length === 3, 5_000, 'partition 0 read again');
    reads[2]?.resolve();
    expect(await placed).toBe(true);
    expect(s0.applied).toBe(19n);
  });
});

describe('Positioner.readAgain', () => {
  it('drops the queue and reads the partition again from what the target has', async () => {
    const t = setup();
    t.source.produce(
      0,
      Array.from({ length: 10 }, () => ({ key: 'k', value: 'v' })),
    );
    const s = t.state();
    s.positioned(null, undefined);
    s.transactionApplied(7n);
    s.batchQueued(fakeBatch(0, [8n, 9n]));
    // The target restarted empty.
    t.positioner.readAgain(s, null, 7n);
    expect(t.events('partition.rewound')).toEqual([{ partition: 0, storedOffset: null, written: 7n }]);
    expect(s.queuedBatches).toBe(0);
    await t.work.idle();
    expect(s.applied).toBeNull();
    expect(t.source.seeks).toEqual([{ partition: 0, offset: 0n }]);
  });
});
