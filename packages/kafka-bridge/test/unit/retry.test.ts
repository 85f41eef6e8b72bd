import { describe, expect, it, vi } from 'vitest';
import { Backoff, backoffDelay } from '../../src/backoff.js';
import { type EventPayloads, Events } from '../../src/events.js';
import type { Component } from '../../src/probes.js';
import { createRetry, pause, type RetrySettings } from '../../src/retry.js';

interface Setup {
  retry: ReturnType<typeof createRetry>;
  failures: [Component, string, unknown][];
  failed: EventPayloads['retry.failed'][];
  succeeded: EventPayloads['retry.succeeded'][];
  stop: AbortController;
  /** Moves the clock the retry sees. */
  skip: (ms: number) => void;
}

function setup(overrides: Partial<RetrySettings> = {}): Setup {
  const events = new Events();
  const failed: EventPayloads['retry.failed'][] = [];
  const succeeded: EventPayloads['retry.succeeded'][] = [];
  events.on('retry.failed', (e) => failed.push(e));
  events.on('retry.succeeded', (e) => succeeded.push(e));
  const failures: [Component, string, unknown][] = [];
  const stop = new AbortController();
  let skew = 0;
  const retry = createRetry({
    now: () => Date.now() + skew,
    signal: stop.signal,
    initialMs: 4,
    maxMs: 16,
    classify: (err) => ((err as Error).message.startsWith('target') ? 'target' : 'kafka'),
    failed: (component, operation, err) => failures.push([component, operation, err]),
    emit: events.emit,
    random: () => 1,
    ...overrides,
  });
  return { retry, failures, failed, succeeded, stop, skip: (ms) => (skew += ms) };
}

/** An operation that fails with `errors` in turn, then returns `result`. */
function failing<T>(errors: string[], result: T): { op: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    op: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw new Error(error);
      return result;
    },
    calls: () => calls,
  };
}

describe('createRetry', () => {
  it('returns the result of a first attempt that succeeds, and reports nothing', async () => {
    const s = setup();
    expect(await s.retry('apply', async () => 42)).toBe(42);
    expect([s.failures, s.failed, s.succeeded]).toEqual([[], [], []]);
  });

  it('retries until the operation succeeds, telling each failure with its component', async () => {
    const s = setup();
    const op = failing(['target down', 'brokers down'], 'done');
    expect(await s.retry('position', op.op, { partition: 3 })).toBe('done');
    expect(op.calls()).toBe(3);
    expect(s.failures.map(([component, operation]) => [component, operation])).toEqual([
      ['target', 'position'],
      ['kafka', 'position'],
    ]);
    expect(s.failed.map(({ error: _, ...e }) => e)).toEqual([
      { operation: 'position', partition: 3, component: 'target', attempt: 0, report: true, retrying: true },
      { operation: 'position', partition: 3, component: 'kafka', attempt: 1, report: false, retrying: true },
    ]);
    expect(s.succeeded).toEqual([{ operation: 'position', partition: 3, retries: 2 }]);
  });

  it('backs off exponentially between attempts, up to the maximum', async () => {
    // With the jitter at its top, the delays are 4, 8, 16, 16 ms: at least 44 ms in all.
    const s = setup();
    const op = failing(['a', 'b', 'c', 'd'], 'ok');
    const started = Date.now();
    await s.retry('apply', op.op);
    expect(Date.now() - started).toBeGreaterThanOrEqual(43);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reports a loop’s first failure, then one every 30 s', async () => {
    const s = setup();
    let calls = 0;
    await s.retry('apply', async () => {
      calls++;
      if (calls === 3) s.skip(30_001);
      if (calls <= 4) throw new Error('target down');
    });
    expect(s.failed.map((e) => e.report)).toEqual([true, false, true, false]);
    // Another loop reports its own first failure at once.
    await s.retry('apply', failing(['target down'], 1).op);
    expect(s.failed.map((e) => e.report)).toEqual([true, false, true, false, true]);
  });

  it('gives up when the result is no longer wanted after a failure, without counting a retry', async () => {
    const s = setup();
    const op = failing(['target down', 'target down'], 'never');
    expect(await s.retry('apply', op.op, { cancelled: () => true })).toBeUndefined();
    expect(op.calls()).toBe(1);
    expect(s.failures).toHaveLength(1);
    expect(s.failed.map((e) => [e.report, e.retrying])).toEqual([[true, false]]);
  });

  it('gives up when the result stops being wanted during the wait', async () => {
    const s = setup({ initialMs: 40, maxMs: 40 });
    let wanted = true;
    const op = failing(['target down', 'target down'], 'never');
    setTimeout(() => (wanted = false), 5);
    expect(await s.retry('apply', op.op, { cancelled: () => !wanted })).toBeUndefined();
    expect(op.calls()).toBe(1);
    expect(s.failed.map((e) => e.retrying)).toEqual([true]);
  });

  it('gives up at once when the bridge stops, even in a long wait', async () => {
    const s = setup({ initialMs: 60_000, maxMs: 60_000 });
    const op = failing(['target down', 'target down'], 'never');
    setTimeout(() => s.stop.abort(), 10);
    const started = Date.now();
    expect(await s.retry('apply', op.op)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(op.calls()).toBe(1);
    // Stopped before it starts: one attempt, no retry.
    const again = failing(['target down'], 'never');
    expect(await s.retry('apply', again.op)).toBeUndefined();
    expect(again.calls()).toBe(1);
    expect(s.failed.at(-1)?.retrying).toBe(false);
  });
});

describe('pause', () => {
  it('heartbeats every second while it waits, and not after the end', async () => {
    // Fake timers: a real timer may fire a millisecond before Date.now() reaches its end, which made the
    // count depend on the machine (one more 1 ms wait and beat).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const signal = new AbortController().signal;
      const beats: number[] = [];
      const started = Date.now();
      let done = false;
      const paused = pause(2_100, { now: Date.now, signal }, async () => {
        beats.push(Date.now() - started);
      }).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(2_099);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await paused;
      expect(beats).toEqual([1_000, 2_000, 2_100]);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(beats).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes on a heartbeat’s failure (a rebalance ends the batch)', async () => {
    const signal = new AbortController().signal;
    const rebalancing = async () => {
      throw new Error('rebalance in progress');
    };
    await expect(pause(1_050, { now: Date.now, signal }, rebalancing)).rejects.toThrow('rebalance');
  });

  it('ends at once when stopping, without a heartbeat', async () => {
    const stop = new AbortController();
    let beats = 0;
    setTimeout(() => stop.abort(), 10);
    const started = Date.now();
    await pause(60_000, { now: Date.now, signal: stop.signal }, async () => {
      beats++;
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(beats).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('is the delay a new Backoff gives at that failure', () => {
    for (let failures = 1; failures <= 6; failures++) {
      const backoff = new Backoff(10, 100, () => 0.5);
      for (let i = 1; i < failures; i++) backoff.next();
      expect(backoffDelay(10, 100, failures, () => 0.5)).toBe(backoff.next());
    }
    expect(backoffDelay(10, 100, 1, () => 1)).toBe(10);
    expect(backoffDelay(10, 100, 5, () => 1)).toBe(100);
  });
});
