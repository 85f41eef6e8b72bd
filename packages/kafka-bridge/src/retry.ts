/**
 * The one way the bridge retries (like kafkajs's `createRetry`): run an operation until it succeeds,
 * backing off between attempts (`backoff.ts`) and heartbeating meanwhile, until the bridge stops or the
 * caller no longer wants the result. Every failure is handed to `failed` (health and the error count) and
 * emitted as `retry.failed`; a loop reports its first failure, then at most one every 30 s.
 */

import { Backoff, sleep } from './backoff.js';
import type { Emit } from './events.js';
import type { Component } from './probes.js';

export interface RetryOptions {
  partition?: number;
  /** Whether the result is no longer wanted (checked after each failure). */
  cancelled?: () => boolean;
  /** Called every second while waiting to retry. */
  heartbeat?: () => Promise<void>;
}

/**
 * Run `op` until it succeeds. `undefined` when the bridge is stopping or `cancelled()` says the result is
 * no longer wanted.
 */
export type Retry = <T>(
  operation: string,
  op: () => Promise<T>,
  options?: RetryOptions,
) => Promise<T | undefined>;

/** The clock and the stop signal the waits follow. */
export interface PauseClock {
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Aborted when the bridge stops: waits end at once. */
  signal: AbortSignal;
}

export interface RetrySettings extends PauseClock {
  initialMs: number;
  maxMs: number;
  /** Which side an error comes from. */
  classify: (err: unknown) => Component;
  /** Told of every failure first. */
  failed: (component: Component, operation: string, err: unknown) => void;
  emit: Emit;
  /** For the backoff's jitter; a seam for tests. */
  random?: () => number;
}

/** A loop reports a failure at most this often (its first one always). */
export const REPORT_INTERVAL_MS = 30_000;

export function createRetry(settings: RetrySettings): Retry {
  const { now, signal, emit } = settings;
  return async (operation, op, options = {}) => {
    const backoff = new Backoff(settings.initialMs, settings.maxMs, settings.random);
    let reportedAt = Number.NEGATIVE_INFINITY;
    const { partition } = options;
    const cancelled = () => signal.aborted || (options.cancelled?.() ?? false);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await op();
        if (attempt > 0) emit('retry.succeeded', { operation, partition, retries: attempt });
        return result;
      } catch (err) {
        const component = settings.classify(err);
        settings.failed(component, operation, err);
        const report = now() - reportedAt > REPORT_INTERVAL_MS;
        if (report) reportedAt = now();
        const retrying = !cancelled();
        emit('retry.failed', { operation, partition, component, attempt, error: err, report, retrying });
        if (!retrying) return undefined;
        await pause(backoff.next(), settings, options.heartbeat);
        if (cancelled()) return undefined;
      }
    }
  };
}

/** Sleep `ms`, calling `heartbeat` every second; wakes early when `clock.signal` aborts. */
export async function pause(ms: number, clock: PauseClock, heartbeat?: () => Promise<void>): Promise<void> {
  const until = clock.now() + ms;
  for (;;) {
    const left = until - clock.now();
    if (left <= 0 || clock.signal.aborted) return;
    await sleep(Math.min(left, 1_000), clock.signal);
    // A rebalance makes kafkajs's heartbeat throw, which ends the batch so that the consumer can rejoin.
    if (heartbeat !== undefined && !clock.signal.aborted) await heartbeat();
  }
}
