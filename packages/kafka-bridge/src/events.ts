/**
 * What happens in the bridge, as a table of named events (like kafkajs's `instrumentationEvents.js`).
 * The bridge's modules emit them; metrics (`event-metrics.ts`) and logs (`event-logs.ts`) subscribe, so
 * the logic holds no metric or log call and each of those bindings is tested on its own.
 *
 * Listeners run synchronously, in the order they subscribed, before `emit` returns: a metric is updated
 * before the code that emitted the event goes on, as when it was set inline.
 */

import type { SkipReason } from './plan.js';
import type { Component } from './probes.js';
import type { TransactionMode } from './target/target.js';

/** Each event's payload. Offsets are bigints; `partition` is the partition's number. */
export interface EventPayloads {
  /** `stop()` was called: the bridge finishes the batches in flight. */
  'bridge.stopping': Record<string, never>;
  /** Everything is stopped and closed. */
  'bridge.stopped': Record<string, never>;
  /** A periodic task (lag poll, group commit) threw; it runs again at its next interval. */
  'bridge.task_failed': { error: unknown };
  /** The consumer group gave this bridge `partitions` (sorted) of the topic's `total` (0: not known yet). */
  'group.assigned': { partitions: readonly number[]; total: number };
  /** Committing offsets to the consumer group failed (lag tools only; retried at the next interval). */
  'group.commit_failed': { error: unknown };
  /** The topic's partition count changed (or was seen for the first time). */
  'topic.partitions': { partitions: number };
  /** The lag poll read a partition's end offset. */
  'partition.end_offset': { partition: number; high: bigint };
  /** The lag poll measured a partition's lag; `stored` is the freshest offset known to be in the target. */
  'partition.lag': { partition: number; records: number; seconds: number; stored: bigint | null };
  /** The stored offset was read and the partition will be read from `readFrom`. */
  'partition.positioned': { partition: number; storedOffset: bigint | null; readFrom: bigint };
  /** Records after the stored offset were deleted from Kafka (retention) before the bridge applied them. */
  'partition.records_lost': { partition: number; storedOffset: bigint; firstAvailable: bigint };
  /** The target holds a later offset than expected: someone (or a lost reply) applied those records. */
  'partition.target_ahead': { partition: number; expected: bigint | null; stored: bigint };
  /** The target holds an older offset than the bridge wrote: the partition is read again from there. */
  'partition.rewound': { partition: number; storedOffset: bigint | null; written: bigint | null };
  /** One transaction is in the target: its writes and the partition's new stored `offset`. */
  'transaction.applied': {
    partition: number;
    offset: bigint;
    /** Records with an effect, their key and value bytes, keys set and keys deleted. */
    records: number;
    bytes: number;
    sets: number;
    deletes: number;
    /** From the offset check to EXEC's reply. */
    seconds: number;
    /** How the target took it, once known. */
    mode: TransactionMode | undefined;
  };
  /** Records not written because the target has them already (at or below its stored offset). */
  'records.already_applied': { partition: number; count: number };
  /** Records not written for `reason`; `firstOffset` is the first of them in this transaction. */
  'records.skipped': { partition: number; reason: SkipReason; count: number; firstOffset: bigint };
  /** A component answered, or a request to it failed: whether it now counts as connected. */
  'component.connection': { component: Component; connected: boolean };
  /** A request to a component failed. */
  'operation.failed': { component: Component; operation: string; error: unknown };
  /**
   * An attempt of a retried operation failed. `report`: the loop's first failure or the first after
   * 30 s of them (worth a line in the log). `retrying`: another attempt follows after a backoff.
   */
  'retry.failed': {
    operation: string;
    partition: number | undefined;
    component: Component;
    attempt: number;
    error: unknown;
    report: boolean;
    retrying: boolean;
  };
  /** A retried operation succeeded after `retries` failures. */
  'retry.succeeded': { operation: string; partition: number | undefined; retries: number };
  /** Readiness was evaluated (by `/readyz` or the lag poll). */
  'readiness.checked': { ready: boolean };
}

export type EventName = keyof EventPayloads;

/** Every event, with what it means: the table the bindings and their tests go through. */
export const EVENTS: { readonly [N in EventName]: string } = {
  'bridge.stopping': 'stop() was called; the batches in flight are finishing',
  'bridge.stopped': 'everything is stopped and closed',
  'bridge.task_failed': 'a periodic task threw',
  'group.assigned': 'the consumer group assigned partitions',
  'group.commit_failed': 'committing the group offsets failed',
  'topic.partitions': 'the topic’s partition count changed',
  'partition.end_offset': 'a partition’s end offset was read',
  'partition.lag': 'a partition’s lag was measured',
  'partition.positioned': 'a partition’s stored offset was read and its read position set',
  'partition.records_lost': 'records were deleted from Kafka before the bridge applied them',
  'partition.target_ahead': 'the target holds a later offset than expected',
  'partition.rewound': 'the target holds an older offset than the bridge wrote',
  'transaction.applied': 'a transaction is in the target',
  'records.already_applied': 'records were not written: the target has them',
  'records.skipped': 'records were not written: no key, or a reserved key',
  'component.connection': 'a component answered, or failed to',
  'operation.failed': 'a request to a component failed',
  'retry.failed': 'an attempt of a retried operation failed',
  'retry.succeeded': 'a retried operation succeeded',
  'readiness.checked': 'readiness was evaluated',
};

export type Listener<N extends EventName> = (payload: EventPayloads[N]) => void;

/** Emits to the listeners of each event. */
export type Emit = <N extends EventName>(name: N, payload: EventPayloads[N]) => void;

export class Events {
  /** Each event's listeners (a `Listener<N>` under the key `N`). */
  readonly #listeners = new Map<EventName, ((payload: never) => void)[]>();

  /** Call `listener` on every `name` event from now on; returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: Listener<N>): () => void {
    let listeners = this.#listeners.get(name);
    if (listeners === undefined) {
      listeners = [];
      this.#listeners.set(name, listeners);
    }
    const list = listeners;
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  readonly emit: Emit = (name, payload) => {
    const listeners = this.#listeners.get(name) as Listener<typeof name>[] | undefined;
    if (listeners === undefined) return;
    for (const listener of listeners) listener(payload);
  };
}
