/**
 * Log mode's write path: batches of client writes (one per turn of the event loop, as in local mode)
 * become records produced to the topic, and each batch settles once Kafka has acknowledged its records
 * *and* this node has applied them from the topic, so that every client of the node reads them after the
 * reply. Nothing is acknowledged that the broker did not take.
 *
 * Up to `maxInFlight` sends are on their way at once (the idempotent producer keeps their order per
 * partition); batches closed meanwhile wait and go together in the next send (a group commit). Sends
 * are answered in the order they went. A batch's writes were computed on top of every earlier batch's, so
 * when a send fails, its batches and every batch after them fail, sent or not: none of them is
 * acknowledged, and their writes leave the overlay (a failed send may still have reached the log; the
 * node then applies it like any record).
 */

import type { WriteBatch } from '../keyspace/batch.js';
import type { KeyspaceLog } from '../keyspace/keyspace.js';
import type { AppliedOffsets, Positions } from './applied.js';
import { type OutgoingRecord, type Partitioner, recordsOf } from './records.js';
import type { LogSink } from './sink.js';

interface Pending {
  readonly batch: WriteBatch;
  readonly settle: (error: Error | null) => void;
}

export interface LogWriterOptions {
  readonly sink: LogSink;
  /** Sends on their way at once (kafkajs's idempotent producer takes at most 5). */
  readonly maxInFlight?: number;
  readonly applied: AppliedOffsets;
  /** The topic's partition count now (the partitioner needs it). */
  readonly partitions: () => number;
  /** The partition of a key (default: Kafka's murmur2). */
  readonly partitioner?: Partitioner;
  /** A send failed (for the log and the counters). */
  readonly failed?: (error: Error, batches: number) => void;
  /** Records produced (counters). */
  readonly produced?: (records: number) => void;
  /**
   * Applies records this node produced, acknowledged at offsets `base` … `last` of `partition`, without
   * waiting for the consumer to fetch them back, when nothing else lies before them in the partition
   * (this node has applied, or queued to apply, up to `base` − 1); false when it does not apply them. The consumer skips them
   * later, as records the target already has.
   */
  /**
   * A batch closes (is handed over): encodes what its records need from the state it leaves (the
   * collections it changed, records.ts `encodeCollections`); an error fails the batch at once.
   */
  readonly close?: (batch: WriteBatch) => Error | null;
  readonly applyOwn?: (
    partition: number,
    records: readonly OutgoingRecord[],
    base: bigint,
    last: bigint,
  ) => boolean;
  /**
   * Cluster mode: whether this node still applies `partition` (default: every partition). Records of a
   * write in a partition it no longer holds are not waited for: Kafka has them, and the partition's new
   * primary applies them (see `release`).
   */
  readonly holds?: (partition: number) => boolean;
}

/** The error a client gets for a write whose records Kafka did not take. */
export class LogWriteError extends Error {
  override readonly name = 'LogWriteError';
}

export class LogWriter implements KeyspaceLog {
  /** Closed batches not yet sent, oldest first. */
  private queue: Pending[] = [];
  /** Sends on their way, in the order they went; answered ones wait for those before them. */
  private inFlight: Send[] = [];
  /** Sent and acknowledged, waiting for their records to be applied: what and how to stop waiting, by send. */
  private readonly awaitingApply = new Map<Pending[], { positions: Positions; cancel: () => void }>();
  private stopped: Error | null = null;
  private readonly maxInFlight: number;

  constructor(private readonly options: LogWriterOptions) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /** Batches handed over and not yet settled: queued, in flight, or waiting to be applied. */
  get pending(): number {
    let count = this.queue.length;
    for (const send of this.inFlight) count += send.batches.length;
    for (const sent of this.awaitingApply.keys()) count += sent.length;
    return count;
  }

  commit(batch: WriteBatch, settle: (error: Error | null) => void): void {
    if (this.stopped !== null) {
      settle(this.stopped);
      return;
    }
    const refused = this.options.close?.(batch) ?? null;
    if (refused !== null) {
      // Nothing of it was sent: it fails alone (later writes, not executed yet, read the state before it).
      settle(refused);
      return;
    }
    this.queue.push({ batch, settle });
    this.pump();
  }

  /**
   * Shutdown: fails what is queued and what waits to be applied (the consumer stops), and from now on
   * what is handed over. Sends on their way end with their acknowledgement or their error, unapplied.
   */
  stop(reason: Error): void {
    this.stopped = reason;
    for (const p of this.queue.splice(0)) p.settle(reason);
    for (const [sent, { cancel }] of this.awaitingApply) {
      cancel();
      for (const p of sent) p.settle(reason);
    }
    this.awaitingApply.clear();
  }

  /**
   * Cluster mode: this node no longer applies `partition` (it lost it, cluster/sweep.ts). Writes waiting
   * for their records there stop waiting for those: Kafka has them, and the partition's new primary
   * applies them. (Without fencing between a slot's old and new primary, a write the old one sent
   * late may be applied after the new one served reads: see the cluster page.)
   */
  release(partition: number): void {
    for (const [batches, { positions, cancel }] of [...this.awaitingApply]) {
      if (!positions.has(partition)) continue;
      cancel();
      this.awaitingApply.delete(batches);
      this.waitApplied(batches, positions);
    }
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
      // The target checks that nothing lies between what it has (or has queued) and these records.
      apply(partition, list, last - BigInt(list.length) + 1n, last);
    }
  }

  /** Sends what is queued while fewer than `maxInFlight` sends are on their way. */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight.length < this.maxInFlight) {
      const batches = this.queue;
      this.queue = [];
      const records = recordsOf(
        batches.map((p) => p.batch),
        this.options.partitions(),
        this.options.partitioner,
      );
      const send: Send = { batches, records, doomed: false, result: undefined };
      if (records.length === 0) {
        // Nothing for the topic (commands that joined no write, SWAPDB 0 0): answered at once, in turn.
        send.result = { positions: new Map() };
        this.inFlight.push(send);
        this.answer();
        continue;
      }
      this.inFlight.push(send);
      this.options.sink.send(records).then(
        (positions) => {
          send.result = { positions };
          this.answer();
        },
        (err: unknown) => {
          send.result = { error: new LogWriteError((err as Error).message ?? String(err), { cause: err }) };
          this.answer();
        },
      );
    }
  }

  /** Takes the answered sends at the head, in the order they went. */
  private answer(): void {
    while (this.inFlight.length > 0) {
      const send = this.inFlight[0] as Send;
      if (send.doomed) {
        // Failed with an earlier send already; its answer, when it comes, changes nothing.
        this.inFlight.shift();
        continue;
      }
      const result = send.result;
      if (result === undefined) break;
      this.inFlight.shift();
      if ('error' in result) this.fail(send, result.error);
      else this.acknowledged(send, result.positions);
    }
    this.pump();
  }

  private acknowledged(send: Send, positions: Map<number, bigint>): void {
    const { batches, records } = send;
    if (records.length > 0) this.options.produced?.(records.length);
    for (const p of batches) p.batch.positions = positions;
    if (this.stopped !== null) {
      for (const p of batches) p.settle(this.stopped);
      return;
    }
    this.applyOwn(records, positions);
    this.waitApplied(batches, positions);
  }

  /** Settles `batches` once their records at `positions` are applied, in the partitions held here. */
  private waitApplied(batches: Pending[], positions: Positions): void {
    const holds = this.options.holds;
    const wanted = holds === undefined ? positions : new Map([...positions].filter(([p]) => holds(p)));
    let applied = false;
    const cancel = this.options.applied.whenCovered(wanted, () => {
      applied = true;
      this.awaitingApply.delete(batches);
      for (const p of batches) p.settle(null);
    });
    if (!applied) this.awaitingApply.set(batches, { positions: wanted, cancel });
  }

  /** A send failed: it, the sends after it and everything queued fail together. */
  private fail(send: Send, error: LogWriteError): void {
    // Later batches were computed on top of these: they fail with them.
    const failing = [...send.batches];
    for (const later of this.inFlight) {
      if (later.doomed) continue;
      later.doomed = true;
      failing.push(...later.batches);
    }
    failing.push(...this.queue.splice(0));
    this.options.failed?.(error, failing.length);
    // All are failed before any leaves the overlay, newest first: a failed write then gives its key back
    // to the newest write still on its way, never to another failed one.
    for (const p of failing) {
      p.batch.state = 'failed';
      p.batch.error = error;
    }
    for (const p of failing.reverse()) p.settle(error);
  }
}

/** One send to the topic: the batches it carries, and its answer once it came. */
interface Send {
  readonly batches: Pending[];
  readonly records: readonly OutgoingRecord[];
  /** Failed with an earlier send: its own answer no longer counts. */
  doomed: boolean;
  result: { positions: Map<number, bigint> } | { error: LogWriteError } | undefined;
}
