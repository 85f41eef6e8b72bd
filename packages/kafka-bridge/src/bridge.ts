/**
 * The bridge: batches from a `KafkaSource` become transactions on a `Target`, each carrying the
 * partition's new offset. This file is the wiring: the lifecycle, taking batches into the partitions'
 * queues, the lag poll, the group commit, and the inputs of health and readiness. The parts, each tested
 * on its own, split along the lines of kafkajs's consumer:
 * - `partition-state.ts`: what is known about each partition, changed only through named transitions;
 * - `positioner.ts`: reading the stored offsets and seeking (Kafka's own group offsets are only
 *   reported, never trusted);
 * - `applier.ts`: the conditional transactions, and what a different stored offset means;
 * - `retry.ts` (one retry loop), `probes.ts` (health and readiness as pure functions), `events.ts` (what
 *   happens, as named events) with `event-metrics.ts` and `event-logs.ts` subscribed to them.
 *
 * Invariant, per partition (the other one, on conditional transactions, is in `applier.ts`):
 * - The applied offset, which the group commit and the lag report, moves only once the target holds the
 *   transaction that stored it. A batch is taken into the queue before it is applied, so that fetching
 *   overlaps writing; a queue dropped unapplied (revocation, a target that went back) is always followed
 *   by stopping, or by reading the stored offset again and seeking to just after it.
 */

import { ReplyError } from '@sluice/protocol';
import { Applier } from './applier.js';
import { backoffDelay, sleep } from './backoff.js';
import { bindLogs } from './event-logs.js';
import { bindMetrics } from './event-metrics.js';
import { Events } from './events.js';
import { InFlight } from './in-flight.js';
import type { KafkaSource, PartitionOffsets, SourceBatch } from './kafka/source.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { StoredOffsetError } from './offsets.js';
import { PartitionState, QueueBudget } from './partition-state.js';
import { PositionError, Positioner } from './positioner.js';
import {
  answered,
  type Component,
  type ComponentState,
  failed,
  type Health,
  healthOf,
  isConnected,
  NOT_REACHED,
  type Readiness,
  readinessOf,
} from './probes.js';
import { createRetry, type PauseClock, pause, type Retry } from './retry.js';
import { type Target, TargetConfigError, TargetUnavailableError } from './target/target.js';

export { PositionError } from './positioner.js';
export type { Health, PartitionStatus, Readiness } from './probes.js';

export interface BridgeOptions {
  topic: string;
  keyPrefix: Buffer;
  /**
   * Skip records whose key is in the reserved namespace where a sidecar's target keeps its offsets
   * (default true). sluice-server's log mode keeps its offsets outside the keyspace and turns it off.
   */
  skipReservedKeys?: boolean;
  maxBatchRecords: number;
  /**
   * The most records taken from Kafka and not yet applied, over all partitions (one batch per partition
   * is always taken): default 8 × `maxBatchRecords`.
   */
  maxQueuedRecords?: number;
  retryInitialMs: number;
  retryMaxMs: number;
  commitIntervalMs: number;
  lagIntervalMs: number;
  readyMaxLagRecords: number;
  readyMaxLagSeconds: number;
  source: KafkaSource;
  target: Target;
  logger: Logger;
  metrics: Metrics;
  /** Milliseconds since the epoch; a seam for tests. */
  now?: () => number;
}

export class Bridge {
  readonly #o: BridgeOptions;
  readonly #events = new Events();
  readonly #emit = this.#events.emit;
  readonly #now: () => number;
  readonly #partitions = new Map<number, PartitionState>();
  readonly #stop = new AbortController();
  #stopping = false;
  #loops: Promise<void>[] = [];
  #sourceStarted: Promise<void> | undefined;
  /** When each component last answered, and whether its last request failed. */
  readonly #components: Record<Component, ComponentState> = { kafka: NOT_REACHED, target: NOT_REACHED };
  /** Partition count last reported in the log. */
  #partitionCount = 0;
  /** Batches being taken, positionings and appliers running. */
  readonly #inFlight = new InFlight();
  /** Records queued across partitions, against their limit. */
  readonly #budget: QueueBudget;
  readonly #clock: PauseClock;
  readonly #retry: Retry;
  readonly #positioner: Positioner;
  readonly #applier: Applier;

  constructor(options: BridgeOptions) {
    this.#o = options;
    bindMetrics(this.#events, options.metrics, options.topic);
    bindLogs(this.#events, options.logger, options.topic);
    this.#now = options.now ?? Date.now;
    // Enough to keep a few transactions' worth ahead of the writers without holding the whole topic.
    this.#budget = new QueueBudget(options.maxQueuedRecords ?? options.maxBatchRecords * 8);
    this.#clock = { now: this.#now, signal: this.#stop.signal };
    this.#retry = createRetry({
      ...this.#clock,
      initialMs: options.retryInitialMs,
      maxMs: options.retryMaxMs,
      classify: componentOf,
      failed: (component, operation, err) => this.#failed(component, operation, err),
      emit: this.#emit,
    });
    this.#positioner = new Positioner({
      target: options.target,
      source: options.source,
      retry: this.#retry,
      pause: (failures, heartbeat) =>
        pause(backoffDelay(options.retryInitialMs, options.retryMaxMs, failures), this.#clock, heartbeat),
      answered: (component) => this.#setHealth(component, true),
      emit: this.#emit,
      work: this.#inFlight,
      stopping: () => this.#stopping,
    });
    this.#applier = new Applier({
      target: options.target,
      keyPrefix: options.keyPrefix,
      skipReserved: options.skipReservedKeys ?? true,
      maxBatchRecords: options.maxBatchRecords,
      retry: this.#retry,
      now: this.#now,
      emit: this.#emit,
      answered: (component) => this.#setHealth(component, true),
      wentBack: (s, stored, written) => this.#positioner.readAgain(s, stored, written),
      work: this.#inFlight,
      stopping: () => this.#stopping,
    });
  }

  /** Start consuming and the background loops; returns at once (connecting happens in the background). */
  start(): void {
    this.#sourceStarted = this.#o.source.start({
      onAssigned: (partitions) => this.#onAssigned(partitions),
      onBatch: (batch) => this.#onBatch(batch),
      onConnection: (connected, error) => this.#setHealth('kafka', connected, error),
    });
    this.#loops = [
      this.#every(this.#o.lagIntervalMs, () => this.pollLag()),
      this.#every(this.#o.commitIntervalMs, () => this.#commit()),
    ];
  }

  /**
   * Stop: let the batches in flight finish (a failing one gives up at its next retry; it is applied again
   * on the next start), commit the group offsets, leave the group, close the target.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#stop.abort();
    this.#emit('bridge.stopping', {});
    for (const s of this.#partitions.values()) s.wakeWaiters();
    await this.#inFlight.idle();
    // Best effort, and bounded: an unreachable broker must not hold the shutdown.
    await within(5_000, this.#commit());
    await this.#o.source.stop();
    await this.#sourceStarted;
    await within(2_000, Promise.all(this.#loops));
    await this.#o.target.close();
    this.#emit('bridge.stopped', {});
  }

  health(): Health {
    return healthOf({
      stopping: this.#stopping,
      components: this.#components,
      partitions: this.#states(),
    });
  }

  /** Ready when both sides answer and every partition of the topic is caught up within the limits. */
  readiness(): Readiness {
    const readiness = readinessOf({
      now: this.#now(),
      stopping: this.#stopping,
      lagIntervalMs: this.#o.lagIntervalMs,
      maxLagRecords: this.#o.readyMaxLagRecords,
      maxLagSeconds: this.#o.readyMaxLagSeconds,
      components: this.#components,
      partitions: this.#states(),
    });
    this.#emit('readiness.checked', { ready: readiness.ready });
    return readiness;
  }

  /** Read every partition's end and stored offset; update lag, metrics and readiness. Runs periodically. */
  async pollLag(): Promise<void> {
    const now = this.#now();
    let offsets: PartitionOffsets[] | undefined;
    try {
      offsets = await this.#o.source.partitionOffsets();
      this.#setHealth('kafka', true);
    } catch (err) {
      this.#failed('kafka', 'read_end_offsets', err);
    }
    if (offsets !== undefined) {
      for (const { partition, low, high } of offsets) {
        this.#state(partition).rangeObserved(low, high, now);
        this.#emit('partition.end_offset', { partition, high });
      }
      if (offsets.length !== this.#partitionCount) {
        this.#partitionCount = offsets.length;
        this.#emit('topic.partitions', { partitions: offsets.length });
      }
    }
    const states = this.#states();
    const before = new Map(states.map((s) => [s.partition, s.applied]));
    try {
      const stored = await this.#o.target.readOffsets(states.map((s) => s.partition));
      this.#setHealth('target', true);
      for (const s of states) {
        const value = stored.get(s.partition) ?? null;
        s.storedObserved(value);
        // The lag poll's view: a stored offset below what this bridge wrote means the target went back.
        const appliedBefore = before.get(s.partition);
        if (s.wentBack(value, appliedBefore)) this.#positioner.readAgain(s, value, appliedBefore ?? null);
      }
    } catch (err) {
      this.#failed('target', 'read_offsets', err);
    }
    for (const s of states) this.#updateLag(s, this.#now());
    this.readiness();
  }

  #onAssigned(partitions: readonly number[]): void {
    const assigned = new Set(partitions);
    for (const p of partitions) this.#state(p);
    for (const s of this.#partitions.values()) {
      if (assigned.has(s.partition)) s.assigned();
      else s.revoked();
    }
    // Positions from the group are not trusted: read the target's offsets and seek, now rather than at
    // the first batch, because the group's position may be at a partition's end while the target lacks
    // records (it was restored from a backup, or it is a new target for an old group).
    this.#positioner.positionSoon(this.#states().filter((s) => s.isAssigned));
    this.#emit('group.assigned', {
      partitions: [...assigned].sort((a, b) => a - b),
      total: this.#partitionCount,
    });
  }

  /**
   * Take a batch: check where it starts, then queue it for the partition's applier and return, so that
   * the next fetch overlaps with the writes. Waits while the partition has `QUEUE_DEPTH` batches queued.
   */
  async #onBatch(batch: SourceBatch): Promise<boolean> {
    if (this.#stopping || batch.isStale()) return false;
    const s = this.#state(batch.partition);
    this.#inFlight.enter();
    try {
      if (!(await this.#positioner.placed(s, batch))) return false;
      const generation = s.generation;
      while (s.isFull) {
        await s.waitForRoom(1_000);
        if (this.#stopping || batch.isStale() || s.generation !== generation) return false;
        // Keep the group membership while the target is slow or down.
        if (s.isFull) await batch.heartbeat();
      }
      if (this.#stopping || s.generation !== generation || s.applied === undefined) return false;
      s.batchQueued(batch);
      this.#applier.start(s);
      return true;
    } finally {
      this.#inFlight.leave();
    }
  }

  async #commit(): Promise<void> {
    const offsets: { partition: number; applied: bigint }[] = [];
    for (const s of this.#states()) {
      const applied = s.toCommit;
      if (applied !== undefined) offsets.push({ partition: s.partition, applied });
    }
    if (offsets.length === 0) return;
    try {
      await this.#o.source.commit(
        offsets.map(({ partition, applied }) => ({ partition, offset: applied + 1n })),
      );
      for (const { partition, applied } of offsets) this.#state(partition).groupCommitted(applied);
    } catch (err) {
      this.#emit('group.commit_failed', { error: err });
    }
  }

  #updateLag(s: PartitionState, now: number): void {
    const lag = s.lagMeasured(now);
    if (lag !== undefined) this.#emit('partition.lag', { partition: s.partition, ...lag });
  }

  #failed(component: Component, operation: string, err: unknown): void {
    this.#emit('operation.failed', { component, operation, error: err });
    this.#setHealth(component, false, err);
  }

  #setHealth(component: Component, ok: boolean, error?: unknown): void {
    this.#components[component] = ok ? answered(this.#now()) : failed(this.#components[component], error);
    this.#emit('component.connection', { component, connected: isConnected(this.#components[component]) });
  }

  #state(partition: number): PartitionState {
    let s = this.#partitions.get(partition);
    if (s === undefined) {
      s = new PartitionState(partition, this.#budget);
      this.#partitions.set(partition, s);
    }
    return s;
  }

  #states(): PartitionState[] {
    return [...this.#partitions.values()].sort((a, b) => a.partition - b.partition);
  }

  /** Run `task` now and every `ms` until stopped; a failing task is logged, never fatal. */
  async #every(ms: number, task: () => Promise<void>): Promise<void> {
    while (!this.#stopping) {
      try {
        await task();
      } catch (err) {
        if (!this.#stopping) this.#emit('bridge.task_failed', { error: err });
      }
      await sleep(ms, this.#stop.signal);
    }
  }
}

/** `promise`, or nothing after `ms`. */
function within(ms: number, promise: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

function componentOf(err: unknown): Component {
  if (
    err instanceof TargetUnavailableError ||
    err instanceof TargetConfigError ||
    err instanceof StoredOffsetError ||
    err instanceof PositionError ||
    err instanceof ReplyError
  ) {
    return 'target';
  }
  return 'kafka';
}
