import { describe, expect, it } from 'vitest';
import { PartitionState, QUEUE_DEPTH, QueueBudget } from '../../src/partition-state.js';
import { fakeBatch } from '../helpers/fakes.js';

function state(max = 1_000): { s: PartitionState; budget: QueueBudget } {
  const budget = new QueueBudget(max);
  return { s: new PartitionState(3, budget), budget };
}

/** A batch of `n` records from `from`. */
function batch(from: bigint, n: number) {
  return fakeBatch(
    3,
    Array.from({ length: n }, (_, i) => from + BigInt(i)),
  );
}

describe('PartitionState', () => {
  it('starts unassigned and unpositioned, with nothing queued or known', () => {
    const { s } = state();
    expect(s.partition).toBe(3);
    expect(s.isAssigned).toBe(false);
    expect(s.applied).toBeUndefined();
    expect(s.generation).toBe(0);
    expect([s.stored, s.high, s.lagRecords, s.lagSeconds, s.inconsistent, s.head]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(s.isFull).toBe(false);
    expect(s.toCommit).toBeUndefined();
    expect(s.batchFetchedFrom(0n)).toBe('unpositioned');
  });

  it('forgets position and queue when assigned or revoked, in a new generation', () => {
    const { s, budget } = state();
    s.assigned();
    expect(s.isAssigned).toBe(true);
    expect(s.generation).toBe(1);
    s.positioned(9n, undefined);
    s.batchQueued(batch(10n, 5));
    expect(budget.queued).toBe(5);
    s.assigned();
    expect(s.generation).toBe(2);
    expect(s.applied).toBeUndefined();
    expect(s.queuedBatches).toBe(0);
    expect(budget.queued).toBe(0);
    s.positioned(9n, undefined);
    s.revoked();
    expect(s.isAssigned).toBe(false);
    expect(s.generation).toBe(3);
    expect(s.applied).toBeUndefined();
  });

  it('is positioned at the stored offset, and the seek ends at the first batch from there', () => {
    const { s } = state();
    s.assigned();
    s.foundInconsistent('beyond the end');
    expect(s.inconsistent).toBe('beyond the end');
    s.positioned(19n, 20n);
    expect(s.inconsistent).toBeUndefined();
    expect([s.applied, s.stored]).toEqual([19n, 19n]);
    expect(s.batchFetchedFrom(40n)).toBe('elsewhere');
    expect(s.batchFetchedFrom(20n)).toBe('in_place');
    // The seek is over: any batch is in place now.
    expect(s.batchFetchedFrom(40n)).toBe('in_place');
  });

  it('needs no seek when the batch at hand starts where the target ends; nothing stored is null', () => {
    const { s } = state();
    s.positioned(null, undefined);
    expect(s.applied).toBeNull();
    expect(s.batchFetchedFrom(7n)).toBe('in_place');
  });

  it('forgets the position when fetched elsewhere, counting such batches until one is in place', () => {
    const { s } = state();
    s.positioned(19n, 20n);
    expect(s.batchFetchedFrom(40n)).toBe('elsewhere');
    s.fetchedElsewhere(s.misplaced + 1);
    expect([s.applied, s.misplaced, s.generation]).toEqual([undefined, 1, 1]);
    s.positioned(19n, 20n);
    s.fetchedElsewhere(s.misplaced + 1);
    expect(s.misplaced).toBe(2);
    s.positioned(19n, 20n);
    expect(s.batchFetchedFrom(20n)).toBe('in_place');
    expect(s.misplaced).toBe(0);
  });

  it('shares one positioning per generation', async () => {
    const { s } = state();
    let runs = 0;
    let finish: (offset: bigint) => void = () => {};
    const start = () => {
      runs++;
      return new Promise<bigint>((resolve) => (finish = resolve));
    };
    const first = s.positionOnce(start);
    expect(s.positionOnce(start)).toBe(first);
    expect(runs).toBe(1);
    expect(s.isPositioning).toBe(true);
    // A new generation does not wait for the old one's.
    s.assigned();
    const second = s.positionOnce(start);
    expect(second).not.toBe(first);
    expect(runs).toBe(2);
    finish(5n);
    expect(await second).toBe(5n);
    expect(s.isPositioning).toBe(false);
  });

  it('stops counting as positioning when the positioning fails', async () => {
    const { s } = state();
    await expect(s.positionOnce(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(s.isPositioning).toBe(false);
  });

  it('queues batches in order, full at QUEUE_DEPTH or when the shared budget is spent', () => {
    const { s, budget } = state(10);
    const other = new PartitionState(4, budget);
    s.positioned(null, undefined);
    expect(QUEUE_DEPTH).toBe(2);
    const first = batch(0n, 4);
    s.batchQueued(first);
    expect(s.head).toBe(first);
    expect(s.isFull).toBe(false);
    s.batchQueued(batch(4n, 1));
    expect(s.isFull).toBe(true);
    // The budget is shared: 5 + 6 records reach the limit of 10.
    expect(other.isFull).toBe(false);
    other.batchQueued(fakeBatch(4, [0n, 1n, 2n, 3n, 4n, 5n]));
    expect(budget.queued).toBe(11);
    expect(budget.exhausted).toBe(true);
    // One batch per partition is always allowed, budget or not.
    expect(other.isFull).toBe(true);
    s.batchDone();
    expect(s.queuedBatches).toBe(1);
    expect(budget.queued).toBe(7);
    expect(s.isFull).toBe(false);
    s.dropQueue();
    expect(s.head).toBeUndefined();
    expect(budget.queued).toBe(6);
  });

  it('wakes those waiting for room when a batch is done or the queue is dropped', async () => {
    const { s } = state();
    s.batchQueued(batch(0n, 1));
    let woken = 0;
    void s.waitForRoom(60_000).then(() => woken++);
    void s.waitForRoom(60_000).then(() => woken++);
    s.batchDone();
    await Promise.resolve();
    expect(woken).toBe(2);
    void s.waitForRoom(60_000).then(() => woken++);
    s.targetWentBack();
    await Promise.resolve();
    expect(woken).toBe(3);
    const started = Date.now();
    await s.waitForRoom(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('moves the applied offset with transactions and with a target that is ahead', () => {
    const { s } = state();
    s.assigned();
    s.positioned(null, undefined);
    s.transactionApplied(9n);
    expect(s.applied).toBe(9n);
    s.targetAhead(15n);
    expect(s.applied).toBe(15n);
    const generation = s.generation;
    s.targetWentBack();
    expect(s.applied).toBeUndefined();
    expect(s.generation).toBe(generation + 1);
  });

  it('commits the applied offset once, while assigned', () => {
    const { s } = state();
    s.positioned(4n, undefined);
    expect(s.toCommit).toBeUndefined();
    s.assigned();
    s.positioned(4n, undefined);
    expect(s.toCommit).toBe(4n);
    s.groupCommitted(4n);
    expect(s.toCommit).toBeUndefined();
    s.transactionApplied(8n);
    expect(s.toCommit).toBe(8n);
    s.positioned(null, undefined);
    expect(s.toCommit).toBeUndefined();
  });

  it('sees the target go back only while idle and unchanged since the read', () => {
    const { s } = state();
    s.assigned();
    s.positioned(9n, undefined);
    expect(s.wentBack(9n, 9n)).toBe(false);
    expect(s.wentBack(12n, 9n)).toBe(false);
    expect(s.wentBack(5n, 9n)).toBe(true);
    expect(s.wentBack(null, 9n)).toBe(true);
    // The bridge wrote meanwhile: the read may be older than the write.
    expect(s.wentBack(5n, 8n)).toBe(false);
    expect(s.wentBack(null, undefined)).toBe(false);
    s.applierStarted();
    expect(s.isApplying).toBe(true);
    expect(s.wentBack(5n, 9n)).toBe(false);
    s.applierEnded();
    void s.positionOnce(() => new Promise(() => {}));
    expect(s.wentBack(5n, 9n)).toBe(false);
    const { s: unassigned } = state();
    unassigned.positioned(9n, undefined);
    expect(unassigned.wentBack(5n, 9n)).toBe(false);
    const { s: empty } = state();
    empty.assigned();
    empty.positioned(null, undefined);
    expect(empty.wentBack(null, null)).toBe(false);
  });

  it('measures lag from the range and the freshest stored offset', () => {
    const { s } = state();
    expect(s.lagMeasured(0)).toBeUndefined();
    s.rangeObserved(0n, 10n, 1_000);
    expect(s.high).toBe(10n);
    expect(s.lagMeasured(1_000)).toBeUndefined();
    s.storedObserved(null);
    expect(s.lagMeasured(3_000)).toEqual({ records: 10, seconds: 2, stored: null });
    expect([s.lagRecords, s.lagSeconds]).toEqual([10, 2]);
    // Written since the poll's read: the bridge's own offset is fresher.
    s.positioned(null, undefined);
    s.transactionApplied(9n);
    expect(s.lagMeasured(4_000)).toEqual({ records: 0, seconds: 0, stored: 9n });
    expect(s.stored).toBeNull();
    s.storedObserved(7n);
    s.rangeObserved(0n, 12n, 5_000);
    expect(s.lagMeasured(6_500)).toEqual({ records: 2, seconds: 1.5, stored: 9n });
  });
});
