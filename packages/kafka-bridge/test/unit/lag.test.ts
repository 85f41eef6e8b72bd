import { describe, expect, it } from 'vitest';
import { Backoff, sleep } from '../../src/backoff.js';
import { LagClock, lagRecords, nextOffset } from '../../src/lag.js';

describe('lag', () => {
  it('counts the offsets after the stored one, from the log start', () => {
    expect(lagRecords(null, 0n, 10n)).toBe(10n);
    expect(lagRecords(4n, 0n, 10n)).toBe(5n);
    expect(lagRecords(9n, 0n, 10n)).toBe(0n);
    // Records below the log start are gone: they are not lag.
    expect(lagRecords(null, 7n, 10n)).toBe(3n);
    expect(nextOffset(2n, 7n)).toBe(7n);
  });

  it('measures time from when the first unapplied record was first seen', () => {
    const clock = new LagClock();
    clock.observe(5n, 1_000);
    clock.observe(5n, 2_000);
    clock.observe(8n, 3_000);
    clock.observe(12n, 4_000);
    // Offsets 0…4 seen at 1 s.
    expect(clock.lagSeconds(0n, 10_000)).toBe(9);
    // Offset 5 first seen (end 8) at 3 s.
    expect(clock.lagSeconds(5n, 10_000)).toBe(7);
    expect(clock.lagSeconds(9n, 10_000)).toBe(6);
    expect(clock.lagSeconds(12n, 10_000)).toBe(0);
  });

  it('starts over when the end moves back', () => {
    const clock = new LagClock();
    clock.observe(10n, 1_000);
    clock.observe(3n, 5_000);
    expect(clock.lagSeconds(0n, 6_000)).toBe(1);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the maximum, with jitter in the upper half', () => {
    const top = new Backoff(100, 1_000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const bottom = new Backoff(100, 1_000, () => 0);
    expect([1, 2, 3].map(() => bottom.next())).toEqual([50, 100, 200]);
    bottom.reset();
    expect(bottom.next()).toBe(50);
  });

  it('sleeps until aborted', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, abort.signal);
    abort.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
