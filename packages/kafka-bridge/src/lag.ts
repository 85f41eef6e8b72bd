/**
 * Lag of one partition, in records and in time. Kafka does not say when a record arrived without reading
 * it, so the time lag comes from watching the partition's end: the bridge remembers when it first saw
 * each new end offset, and the oldest record not yet in the target has been waiting at least since the
 * first end offset seen beyond it. Right after the bridge starts that is a lower bound (it cannot know
 * about earlier), which only delays readiness by the record count.
 */

/** The most end-offset observations kept per partition. */
const MAX_SAMPLES = 10_000;

export class LagClock {
  /** `[end offset, first seen at]`, both increasing. */
  #samples: { high: bigint; at: number }[] = [];

  /** Record the partition's end offset as seen at `at` (ms). */
  observe(high: bigint, at: number): void {
    const last = this.#samples[this.#samples.length - 1];
    if (last !== undefined && high <= last.high) {
      // The end moved back (the topic was recreated): start over.
      if (high < last.high) this.#samples = [{ high, at }];
      return;
    }
    this.#samples.push({ high, at });
    if (this.#samples.length > MAX_SAMPLES) this.#samples.splice(0, this.#samples.length - MAX_SAMPLES);
  }

  /**
   * Seconds the record at `next` (the first offset not in the target) has been waiting at `now`; 0 when
   * no record at or after `next` has been seen.
   */
  lagSeconds(next: bigint, now: number): number {
    // Observations at or below `next` are of records already applied: drop them, keeping the order.
    let drop = 0;
    while (drop < this.#samples.length && (this.#samples[drop]?.high ?? 0n) <= next) drop++;
    if (drop > 0) this.#samples.splice(0, drop);
    const first = this.#samples[0];
    return first === undefined ? 0 : Math.max(0, (now - first.at) / 1000);
  }
}

/** Offsets after `stored` (nothing stored: `null`) up to the partition's end, counting from `low`. */
export function lagRecords(stored: bigint | null, low: bigint, high: bigint): bigint {
  const next = nextOffset(stored, low);
  return high > next ? high - next : 0n;
}

/** The first offset the target does not have: after `stored`, but not below the log's start. */
export function nextOffset(stored: bigint | null, low: bigint): bigint {
  const after = stored === null ? 0n : stored + 1n;
  return after > low ? after : low;
}
