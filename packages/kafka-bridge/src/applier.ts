/**
 * Applying: each partition's applier takes its queued batches in order and writes each as transactions
 * of at most `maxBatchRecords` records, every one carrying the partition's new stored offset. Only a
 * transaction that is in moves the partition's `applied` offset (which the group commit and the lag
 * report use).
 *
 * Invariant, per partition:
 * - Every transaction is conditional on the stored offset being the one the bridge last wrote or read;
 *   a different value means someone else applied records (skip them) or the target lost data (read the
 *   partition again from what it has).
 *
 * It sees the target's `apply` and `mode`, and closures of the bridge; never the bridge itself.
 */

import type { Emit } from './events.js';
import type { Work } from './in-flight.js';
import type { SourceBatch } from './kafka/source.js';
import type { PartitionState } from './partition-state.js';
import { planRecords } from './plan.js';
import type { Component } from './probes.js';
import type { Retry } from './retry.js';
import type { Target } from './target/target.js';

export interface ApplierContext {
  target: Pick<Target, 'apply' | 'mode' | 'planner'>;
  /** Prepended to every record key. */
  keyPrefix: Buffer;
  /** Skip records in the reserved key namespace (see `PlanOptions`). */
  skipReserved: boolean;
  /** The most records per transaction. */
  maxBatchRecords: number;
  retry: Retry;
  /** Milliseconds since the epoch. */
  now: () => number;
  emit: Emit;
  /** The component answered a request. */
  answered: (component: Component) => void;
  /** The target holds `stored`, older than `written`: read the partition again from there. */
  wentBack: (s: PartitionState, stored: bigint | null, written: bigint | null) => void;
  work: Work;
  stopping: () => boolean;
}

export class Applier {
  readonly #c: ApplierContext;

  constructor(context: ApplierContext) {
    this.#c = context;
  }

  /**
   * Start `s`'s applier unless it runs. An applier of an older generation finishes its write first;
   * then a new one takes over the new generation's queue.
   */
  start(s: PartitionState): void {
    if (s.isApplying) return;
    this.#c.work.enter();
    s.applierStarted();
    void this.#drain(s, s.generation).finally(() => {
      s.applierEnded();
      this.#c.work.leave();
      if (s.queuedBatches > 0 && !this.#c.stopping()) this.start(s);
    });
  }

  /** Apply `s`'s queued batches in order, until the queue is empty, the generation changes or stopping. */
  async #drain(s: PartitionState, generation: number): Promise<void> {
    while (s.generation === generation) {
      const batch = s.head;
      if (batch === undefined) return;
      const done = await this.#applyBatch(s, batch, generation);
      if (s.generation !== generation) return;
      s.batchDone();
      if (!done || this.#c.stopping()) {
        // Stopping: what is still queued is not applied and its offsets are not stored, so the next
        // start reads it again.
        s.dropQueue();
        return;
      }
    }
  }

  /** Apply a batch, `maxBatchRecords` records per transaction. */
  async #applyBatch(s: PartitionState, batch: SourceBatch, generation: number): Promise<boolean> {
    const count = batch.records.length;
    const max = this.#c.maxBatchRecords;
    let from = 0;
    do {
      const to = Math.min(count, from + max);
      const last = to === count ? batch.lastOffset : batch.offsetOf(to - 1);
      if (!(await this.#applyChunk(s, batch, from, to, last, generation))) return false;
      from = to;
    } while (from < count);
    return true;
  }

  /** One transaction: the effect of `batch.records[from … to)` and the offset `last`, unless the target has it. */
  async #applyChunk(
    s: PartitionState,
    batch: SourceBatch,
    from: number,
    to: number,
    last: bigint,
    generation: number,
  ): Promise<boolean> {
    const { partition } = s;
    const { emit, target } = this.#c;
    for (;;) {
      const expected = s.applied;
      if (expected === undefined || s.generation !== generation) return false;
      if (expected !== null && last <= expected) {
        emit('records.already_applied', { partition, count: to - from });
        return true;
      }
      const { keyPrefix, skipReserved } = this.#c;
      const plan = (target.planner ?? planRecords)(batch, from, to, expected ?? -1n, {
        keyPrefix,
        skipReserved,
        now: this.#c.now(),
      });
      const started = this.#c.now();
      const result = await this.#c.retry('apply', () => target.apply(partition, plan, last, expected), {
        partition,
        cancelled: () => s.generation !== generation,
        // The batch was handed over already: a rebalance is kafkajs's business, not this loop's.
        heartbeat: () => batch.heartbeat().catch(() => {}),
      });
      if (result === undefined || s.generation !== generation) return false;
      if (result.applied) {
        this.#c.answered('target');
        s.transactionApplied(last);
        const skipped = result.alreadyApplied ?? 0;
        emit('transaction.applied', {
          partition,
          offset: last,
          records: plan.records - skipped,
          bytes: plan.bytes,
          sets:
            plan.ordered?.filter((w) => w.value !== null).length ??
            plan.sets.length / 2 + plan.expiring.length,
          deletes: plan.ordered?.filter((w) => w.value === null).length ?? plan.dels.length,
          seconds: (this.#c.now() - started) / 1000,
          mode: target.mode,
        });
        if (plan.alreadyApplied + skipped > 0)
          emit('records.already_applied', { partition, count: plan.alreadyApplied + skipped });
        for (const [reason, { count, firstOffset }] of plan.skipped) {
          emit('records.skipped', { partition, reason, count, firstOffset });
        }
        return true;
      }
      const { stored } = result;
      if (stored !== null && (expected === null || stored > expected)) {
        // Applied by someone else, or by our own earlier attempt whose reply was lost: skip what it has.
        emit('partition.target_ahead', { partition, expected, stored });
        s.targetAhead(stored);
        continue;
      }
      this.#c.wentBack(s, stored, expected);
      return false;
    }
  }
}
