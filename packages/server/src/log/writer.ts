/**
 * Log mode's write path: batches of client writes (one per turn of the event loop, as in local mode)
 * become records produced to the topic, and each batch settles once Kafka has acknowledged its records
 * *and* this node has applied them from the topic, so that every client of the node reads them after the
 * reply. Nothing is acknowledged that the broker did not take.
 *
 * One send is in flight at a time; batches closed meanwhile wait and go together in the next send (a
 * group commit). A batch's writes were computed on top of every earlier batch's, so when a send fails,
 * that batch and every batch after it fail: none of them is acknowledged, and their writes leave the
 * overlay (a failed send may still have reached the log; the node then applies it like any record).
 */

import type { WriteBatch } from '../keyspace/batch.js';
import type { KeyspaceLog } from '../keyspace/keyspace.js';
import type { AppliedOffsets } from './applied.js';
import { type OutgoingRecord, recordsOf } from './records.js';
import type { LogSink } from './sink.js';

interface Pending {
  readonly batch: WriteBatch;
  readonly settle: (error: Error | null) => void;
}

export interface LogWriterOptions {
  readonly sink: LogSink;
  readonly applied: AppliedOffsets;
  /** The topic's partition count now (the partitioner needs it). */
  readonly partitions: () => number;
  /** A send failed (for the log and the counters). */
  readonly failed?: (error: Error, batches: number) => void;
  /** Records produced (counters). */
  readonly produced?: (records: number) => void;
  /**
   * Applies records this node produced, acknowledged at offsets `base` … `last` of `partition`, without
   * waiting for the consumer to fetch them back, when nothing else lies before them in the partition
   * (this node has applied up to `base` − 1); false when it does not apply them. The consumer skips them
   * later, as records the target already has.
   */
  readonly applyOwn?: (
    partition: number,
    records: readonly OutgoingRecord[],
    base: bigint,
    last: bigint,
  ) => boolean;
}

/** The error a client gets for a write whose records Kafka did not take. */
export class LogWriteError extends Error {
  override readonly name = 'LogWriteError';
}

export class LogWriter implements KeyspaceLog {
  /** Closed batches not yet sent, oldest first. */
  private queue: Pending[] = [];
  /** The batches of the send in flight. */
  private inFlight: Pending[] | null = null;
  /** Sent and acknowledged, waiting for their records to be applied: how to stop waiting, by send. */
  private readonly awaitingApply = new Map<Pending[], () => void>();
  private stopped: Error | null = null;

  constructor(private readonly options: LogWriterOptions) {}

  /** Batches handed over and not yet settled: queued, in flight, or waiting to be applied. */
  get pending(): number {
    let applying = 0;
    for (const sent of this.awaitingApply.keys()) applying += sent.length;
    return this.queue.length + (this.inFlight?.length ?? 0) + applying;
  }

  commit(batch: WriteBatch, settle: (error: Error | null) => void): void {
    if (this.stopped !== null) {
      settle(this.stopped);
      return;
    }
    this.queue.push({ batch, settle });
    this.pump();
  }

  /**
   * Shutdown: fails what is queued and what waits to be applied (the consumer stops), and from now on
   * what is handed over. The send in flight ends with its acknowledgement or its error, unapplied.
   */
  stop(reason: Error): void {
    this.stopped = reason;
    for (const p of this.queue.splice(0)) p.settle(reason);
    for (const [sent, cancel] of this.awaitingApply) {
      cancel();
      for (const p of sent) p.settle(reason);
    }
    this.awaitingApply.clear();
  }

  /** The fast path: records of partitions where this node's records come right after what it applied. */
  private applyOwn(records: readonly OutgoingRecord[], positions: ReadonlyMap<number, bigint>): void {
    const apply = this.options.applyOwn;
    if (apply === undefined) return;
    const byPartition = new Map<number, OutgoingRecord[]>();
    for (const r of records) {
      const list = byPartition.get(r.partition);
      if (list === undefined) byPartition.set(r.partition, [r]);
      else list.push(r);
    }
    for (const [partition, list] of byPartition) {
      const last = positions.get(partition);
      if (last === undefined) continue;
      const base = last - BigInt(list.length) + 1n;
      if (this.options.applied.get(partition) === base - 1n) apply(partition, list, base, last);
    }
  }

  private pump(): void {
    if (this.inFlight !== null || this.queue.length === 0) return;
    const sending = this.queue;
    this.queue = [];
    const records = recordsOf(
      sending.map((p) => p.batch),
      this.options.partitions(),
    );
    if (records.length === 0) {
      // Nothing for the topic (reads that joined no write, SWAPDB 0 0): done at once.
      for (const p of sending) p.settle(null);
      this.pump();
      return;
    }
    this.inFlight = sending;
    this.options.sink.send(records).then(
      (positions) => {
        this.inFlight = null;
        this.options.produced?.(records.length);
        for (const p of sending) p.batch.positions = positions;
        if (this.stopped !== null) {
          for (const p of sending) p.settle(this.stopped);
          return;
        }
        this.applyOwn(records, positions);
        let applied = false;
        const cancel = this.options.applied.whenCovered(positions, () => {
          applied = true;
          this.awaitingApply.delete(sending);
          for (const p of sending) p.settle(null);
        });
        if (!applied) this.awaitingApply.set(sending, cancel);
        this.pump();
      },
      (err: unknown) => {
        this.inFlight = null;
        const error = new LogWriteError((err as Error).message ?? String(err), { cause: err });
        // Later batches were computed on top of these: they fail with them.
        const failing = [...sending, ...this.queue.splice(0)];
        this.options.failed?.(error, failing.length);
        // All are failed before any leaves the overlay, newest first: a failed write then gives its key
        // back to the newest write still on its way, never to another failed one.
        for (const p of failing) {
          p.batch.state = 'failed';
          p.batch.error = error;
        }
        for (const p of failing.reverse()) p.settle(error);
      },
    );
  }
}
