/**
 * What the bridge knows about one partition, and the only ways it changes. Each method is a transition
 * named for what happened (assigned, positioned, batch queued, transaction applied, target went back, …);
 * the fields are private, so `test/unit/partition-state.test.ts` covers every way the state can move.
 *
 * The position the bridge trusts is `applied`: the offset the target holds, as this bridge last wrote or
 * read it. It is `undefined` whenever it has to be read again (a new assignment, a seek the client
 * overrode, the target went back); then nothing may be applied until the positioner has read it, and
 * `generation` is bumped so that work started before is dropped.
 */

import type { SourceBatch } from './kafka/source.js';
import { LagClock, lagRecords, nextOffset } from './lag.js';
import type { PartitionView } from './probes.js';

/** Batches a partition may have queued (one being applied, one waiting): fetching overlaps with writing. */
export const QUEUE_DEPTH = 2;

/** Records queued across all partitions, against one limit. */
export class QueueBudget {
  #queued = 0;

  /** `max`: the most records queued across partitions (one batch per partition is always allowed). */
  constructor(readonly max: number) {}

  get queued(): number {
    return this.#queued;
  }

  get exhausted(): boolean {
    return this.#queued >= this.max;
  }

  /** Records were queued (only `PartitionState` queues and dequeues). */
  add(records: number): void {
    this.#queued += records;
  }

  /** Queued records left the queue. */
  remove(records: number): void {
    this.#queued -= records;
  }
}

/** Where a fetched batch stands against the position the bridge set. */
export type Placement =
  /** The stored offset is not known: position first. */
  | 'unpositioned'
  /** The batch starts where the partition must be read from (or no seek is pending). */
  | 'in_place'
  /** A seek is pending and the batch was fetched from elsewhere. */
  | 'elsewhere';

export interface Lag {
  records: number;
  seconds: number;
  /** The freshest offset known to be in the target. */
  stored: bigint | null;
}

export class PartitionState implements PartitionView {
  readonly partition: number;
  readonly #budget: QueueBudget;
  #assigned = false;
  /** The offset the target holds (`null`: none) as last written or read; `undefined`: read it again. */
  #applied: bigint | null | undefined;
  /** After a seek: the offset the next batch must have been fetched from, else it is dropped. */
  #startAt: bigint | undefined;
  /** Batches fetched from somewhere else than `startAt`, in a row. */
  #misplaced = 0;
  /** The last `applied` committed to the Kafka group. */
  #committed: bigint | null = null;
  /** Bumped whenever position and queue are forgotten. */
  #generation = 0;
  /** Batches taken but not yet applied, in offset order; the first one is being applied. */
  readonly #queue: SourceBatch[] = [];
  /** Whether an applier works through the queue. */
  #applying = false;
  /** Reading the stored offset and seeking, while it runs, and the generation it runs for. */
  #positioning: { promise: Promise<bigint>; generation: number } | undefined;
  /** Woken when a queued batch is done or the queue is dropped. */
  #roomWaiters: (() => void)[] = [];
  /** From the lag poll. */
  #low: bigint | undefined;
  #high: bigint | undefined;
  #stored: bigint | null | undefined;
  #lagRecords: number | undefined;
  #lagSeconds: number | undefined;
  readonly #clock = new LagClock();
  /** Why the target's offset cannot be right (beyond the partition's end), while it is so. */
  #inconsistent: string | undefined;

  constructor(partition: number, budget: QueueBudget) {
    this.partition = partition;
    this.#budget = budget;
  }

  get isAssigned(): boolean {
    return this.#assigned;
  }

  /** The offset the target holds (`null`: none) as this bridge last wrote or read it; `undefined`: unknown. */
  get applied(): bigint | null | undefined {
    return this.#applied;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Batches fetched elsewhere than the seek's offset, in a row. */
  get misplaced(): number {
    return this.#misplaced;
  }

  get stored(): bigint | null | undefined {
    return this.#stored;
  }

  get high(): bigint | undefined {
    return this.#high;
  }

  get lagRecords(): number | undefined {
    return this.#lagRecords;
  }

  get lagSeconds(): number | undefined {
    return this.#lagSeconds;
  }

  get inconsistent(): string | undefined {
    return this.#inconsistent;
  }

  get isApplying(): boolean {
    return this.#applying;
  }

  get isPositioning(): boolean {
    return this.#positioning !== undefined;
  }

  /** The batch being applied (the queue's first), if any. */
  get head(): SourceBatch | undefined {
    return this.#queue[0];
  }

  get queuedBatches(): number {
    return this.#queue.length;
  }

  /** Whether another batch may not be queued now. One batch per partition is always allowed. */
  get isFull(): boolean {
    if (this.#queue.length === 0) return false;
    return this.#queue.length >= QUEUE_DEPTH || this.#budget.exhausted;
  }

  // --- The consumer group ---

  /** The group gave this partition to this bridge (again): its position is read from the target again. */
  assigned(): void {
    this.#assigned = true;
    this.#forget();
  }

  /** The group gave this partition to another member, or no one. */
  revoked(): void {
    this.#assigned = false;
    this.#forget();
  }

  /** `offset` was committed to the group. */
  groupCommitted(offset: bigint): void {
    this.#committed = offset;
  }

  /** The applied offset to commit to the group, when it is assigned and has moved since the last commit. */
  get toCommit(): bigint | undefined {
    const applied = this.#applied;
    if (!this.#assigned || applied === undefined || applied === null || applied === this.#committed) {
      return undefined;
    }
    return applied;
  }

  // --- Positioning ---

  /**
   * The stored offset was read: the target holds `stored`, and the partition is read from `seekTo` if
   * the bridge had to seek there (`undefined`: the batch at hand starts at the right place).
   */
  positioned(stored: bigint | null, seekTo: bigint | undefined): void {
    this.#inconsistent = undefined;
    this.#applied = stored;
    this.#stored = stored;
    this.#startAt = seekTo;
  }

  /** The stored offset cannot be right (it is beyond the partition's end), for `reason`. */
  foundInconsistent(reason: string): void {
    this.#inconsistent = reason;
  }

  /**
   * A batch fetched from `offset` arrived: where it stands. The first batch from where the bridge
   * sought ends the seek.
   */
  batchFetchedFrom(offset: bigint): Placement {
    if (this.#applied === undefined) return 'unpositioned';
    if (this.#startAt === undefined) return 'in_place';
    if (offset !== this.#startAt) return 'elsewhere';
    this.#startAt = undefined;
    this.#misplaced = 0;
    return 'in_place';
  }

  /**
   * The client moved the position after the bridge's seek (an offset reset, say): forget the position,
   * to be read again. `misplaced`: batches fetched elsewhere in a row, this one included.
   */
  fetchedElsewhere(misplaced: number): void {
    this.#forget();
    this.#misplaced = misplaced;
  }

  /**
   * `start()` (reading the stored offset and seeking), shared by everyone who asks while it runs within
   * one generation.
   */
  positionOnce(start: () => Promise<bigint>): Promise<bigint> {
    const running = this.#positioning;
    if (running !== undefined && running.generation === this.#generation) return running.promise;
    const promise = start().finally(() => {
      if (this.#positioning?.promise === promise) this.#positioning = undefined;
    });
    this.#positioning = { promise, generation: this.#generation };
    return promise;
  }

  // --- Queueing and applying ---

  /** `batch` waits for the applier, after the batches queued before it. */
  batchQueued(batch: SourceBatch): void {
    this.#queue.push(batch);
    this.#budget.add(batch.records.length);
  }

  /** The first queued batch is done (applied, or given up): it leaves the queue, making room. */
  batchDone(): void {
    const batch = this.#queue.shift();
    if (batch !== undefined) this.#budget.remove(batch.records.length);
    this.wakeWaiters();
  }

  /** Nothing queued is applied: the batches are fetched again later. */
  dropQueue(): void {
    for (const batch of this.#queue) this.#budget.remove(batch.records.length);
    this.#queue.length = 0;
    this.wakeWaiters();
  }

  applierStarted(): void {
    this.#applying = true;
  }

  applierEnded(): void {
    this.#applying = false;
  }

  /** A transaction of this bridge stored `offset` in the target. */
  transactionApplied(offset: bigint): void {
    this.#applied = offset;
  }

  /** The target holds `stored`, beyond what this bridge expected: someone else applied those records. */
  targetAhead(stored: bigint): void {
    this.#applied = stored;
  }

  /**
   * The target holds an older offset than this bridge wrote (it lost data, or was restored): forget the
   * position and the queue, to be read again from what the target has.
   */
  targetWentBack(): void {
    this.#forget();
  }

  /** Resolves when a queued batch is done or the queue is dropped, or after `ms`. */
  waitForRoom(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#roomWaiters.push(done);
    });
  }

  /** Wake everyone waiting for room (a batch is done, or the bridge stops). */
  wakeWaiters(): void {
    for (const wake of this.#roomWaiters.splice(0)) wake();
  }

  // --- The lag poll ---

  /** The partition's offsets range from `low` to `high` (its end), as seen at `now`. */
  rangeObserved(low: bigint, high: bigint, now: number): void {
    this.#low = low;
    this.#high = high;
    this.#clock.observe(high, now);
  }

  /** The lag poll read `stored` from the target. */
  storedObserved(stored: bigint | null): void {
    this.#stored = stored;
  }

  /**
   * Whether the lag poll's reading `stored` shows that the target went back: the partition is idle
   * (assigned, nothing being applied or positioned), `applied` is what it was before the read
   * (`appliedBefore`), and the target holds less.
   */
  wentBack(stored: bigint | null, appliedBefore: bigint | null | undefined): boolean {
    if (!this.#assigned || this.#applying || this.#positioning !== undefined) return false;
    if (appliedBefore === undefined || appliedBefore === null || this.#applied !== appliedBefore)
      return false;
    return stored === null || stored < appliedBefore;
  }

  /** Measure the lag at `now` from the last range and the freshest stored offset; `undefined`: unknown yet. */
  lagMeasured(now: number): Lag | undefined {
    if (this.#high === undefined || this.#low === undefined || this.#stored === undefined) return undefined;
    // The freshest of what the poll read and what this bridge has written since.
    let stored = this.#stored;
    const applied = this.#applied;
    if (applied !== undefined && applied !== null && (stored === null || applied > stored)) stored = applied;
    const records = Number(lagRecords(stored, this.#low, this.#high));
    const seconds = records === 0 ? 0 : this.#clock.lagSeconds(nextOffset(stored, this.#low), now);
    this.#lagRecords = records;
    this.#lagSeconds = seconds;
    return { records, seconds, stored };
  }

  /** Forget the position and the queue; work of the old generation is dropped. */
  #forget(): void {
    this.#generation++;
    this.#applied = undefined;
    this.#startAt = undefined;
    this.#misplaced = 0;
    this.dropQueue();
  }
}
