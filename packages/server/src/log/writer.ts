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
import type { FencedRecord } from './fence.js';
import { partitionOf } from './partitioner.js';
import { keysOf, type OutgoingRecord, type Partitioner, recordsOf } from './records.js';
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
  /** Cluster mode: this node's id, named as the writer of every record it produces (fence.ts). */
  readonly writer?: string;
  /**
   * Cluster mode: the error for `batch`, whose record in `partition` was fenced (`owner` is the
   * partition's owner now); default: a `LogFencedError` without an address.
   */
  readonly fencedError?: (batch: WriteBatch, partition: number, owner: string) => Error;
}

/**
 * Cluster mode: a write whose record was fenced (fence.ts): another node had become its partition's
 * primary, so no node applied it; `moved` names where its slot is served, when known.
 */
export class LogFencedError extends Error {
  override readonly name = 'LogFencedError';
  constructor(
    readonly partition: number,
    readonly owner: string,
    readonly moved: { readonly slot: number; readonly host: string; readonly port: number } | null = null,
  ) {
    super(`partition ${partition} has a new primary (${owner}): the write was fenced and applied nowhere`);
  }
}

/**
 * Cluster mode: a write Kafka took whose partition this node stopped applying before it applied the
 * write: whether it counts (it does unless a handoff of the new primary came before it) is not known here.
 */
export class LogOutcomeUnknownError extends Error {
  override readonly name = 'LogOutcomeUnknownError';
  constructor(readonly partition: number) {
    super(`this node lost partition ${partition} before it applied the write`);
  }
}

/** Partition → the first and last offset of a send's records there. */
type Ranges = ReadonlyMap<number, readonly [bigint, bigint]>;
/** Own records fenced and not yet matched to a send, at most this many per partition. */
const MAX_FENCED = 10_000;

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
  private readonly awaitingApply = new Map<
    Pending[],
    { positions: Positions; ranges: Ranges; cancel: () => void }
  >();
  /** Cluster mode: offsets of this node's own records that the fence left out, by partition → the owner then. */
  private readonly fencedAt = new Map<number, Map<bigint, string>>();
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
   * for their records there fail with `LogOutcomeUnknownError`: Kafka has them, and whether they count
   * depends on whether the new primary's handoff came before them (fence.ts), which this node will not
   * read. Never acknowledged: a write is acknowledged only once this node applied it.
   */
  release(partition: number): void {
    for (const [batches, { positions, ranges, cancel }] of [...this.awaitingApply]) {
      if (!positions.has(partition)) continue;
      cancel();
      this.awaitingApply.delete(batches);
      this.waitApplied(batches, positions, ranges);
    }
  }

  /**
   * Cluster mode: the fence left out `records` of `partition` (whose owner is now `owner`); those this
   * node produced fail their writes, now or when their send is acknowledged.
   */
  fenced(partition: number, records: readonly FencedRecord[], owner: string): void {
    const mine = records.filter((r) => r.writer === this.options.writer);
    if (mine.length === 0) return;
    let at = this.fencedAt.get(partition);
    if (at === undefined) {
      at = new Map();
      this.fencedAt.set(partition, at);
    }
    for (const r of mine) at.set(r.offset, owner);
    // Offsets of sends that failed and so are never matched: the oldest go.
    for (const offset of at.keys()) {
      if (at.size <= MAX_FENCED) break;
      at.delete(offset);
    }
    for (const [batches, { positions, ranges, cancel }] of [...this.awaitingApply]) {
      if (!ranges.has(partition)) continue;
      cancel();
      this.awaitingApply.delete(batches);
      this.waitApplied(batches, positions, ranges);
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
        this.options.writer,
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
    const ranges = new Map<number, readonly [bigint, bigint]>();
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
    for (const [partition, count] of counts) {
      const last = positions.get(partition);
      if (last !== undefined) ranges.set(partition, [last - BigInt(count) + 1n, last]);
    }
    this.applyOwn(records, positions);
    this.waitApplied(batches, positions, ranges);
  }

  /**
   * Settles `batches` once their records at `positions` are applied. Those with a record the fence left
   * out fail (`LogFencedError`), and so do those with a record in a partition this node no longer holds
   * (`LogOutcomeUnknownError`); the others wait for their partitions only.
   */
  private waitApplied(batches: Pending[], positions: Positions, ranges: Ranges): void {
    let left = batches;
    const fenced = this.takeFenced(ranges);
    if (fenced !== null) {
      left = this.failTouching(left, fenced, (batch, partition, owner) =>
        this.options.fencedError !== undefined
          ? this.options.fencedError(batch, partition, owner)
          : new LogFencedError(partition, owner),
      );
    }
    const holds = this.options.holds;
    let wanted = positions;
    if (holds !== undefined) {
      const lost = new Map<number, string>();
      for (const p of positions.keys()) if (!holds(p)) lost.set(p, '');
      if (lost.size > 0) {
        left = this.failTouching(left, lost, (_batch, partition) => new LogOutcomeUnknownError(partition));
        wanted = new Map([...positions].filter(([p]) => !lost.has(p)));
      }
    }
    if (left.length === 0) return;
    const waiting = left;
    let applied = false;
    const cancel = this.options.applied.whenCovered(wanted, () => {
      applied = true;
      this.awaitingApply.delete(waiting);
      for (const p of waiting) p.settle(null);
    });
    if (!applied) this.awaitingApply.set(waiting, { positions: wanted, ranges, cancel });
  }

  /** The partitions of `ranges` where an own record was fenced, with the owner then; forgets those offsets. */
  private takeFenced(ranges: Ranges): Map<number, string> | null {
    if (this.fencedAt.size === 0) return null;
    let out: Map<number, string> | null = null;
    for (const [partition, [first, last]] of ranges) {
      const at = this.fencedAt.get(partition);
      if (at === undefined) continue;
      for (const [offset, owner] of at) {
        if (offset < first || offset > last) continue;
        out ??= new Map();
        out.set(partition, owner);
        at.delete(offset);
      }
      if (at.size === 0) this.fencedAt.delete(partition);
    }
    return out;
  }

  /**
   * Fails the batches of `batches` with a record in a partition of `partitions` (with `error`'s error);
   * returns the others. As `fail` does, all are marked failed before any leaves the overlay.
   */
  private failTouching(
    batches: Pending[],
    partitions: ReadonlyMap<number, string>,
    error: (batch: WriteBatch, partition: number, owner: string) => Error,
  ): Pending[] {
    const count = this.options.partitions();
    const partitioner = this.options.partitioner ?? partitionOf;
    const failing: [Pending, Error][] = [];
    const left: Pending[] = [];
    for (const p of batches) {
      let hit: number | undefined;
      for (const key of keysOf(p.batch)) {
        const partition = partitioner(Buffer.from(key, 'latin1'), count);
        if (partitions.has(partition)) {
          hit = partition;
          break;
        }
      }
      if (hit === undefined) left.push(p);
      else failing.push([p, error(p.batch, hit, partitions.get(hit) as string)]);
    }
    for (const [p, e] of failing) {
      p.batch.state = 'failed';
      p.batch.error = e;
    }
    for (const [p, e] of failing.reverse()) p.settle(e);
    return left;
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
