/**
 * Positioning: where each partition is read from. Kafka's own group offsets are only reported, never
 * trusted: on every assignment, and whenever the target went back, the positioner reads the offset stored
 * in the target and moves the partition's read position right after it. A batch is applied only once its
 * partition is positioned and it was fetched from that position.
 *
 * It sees the target's `readOffsets`, the source's `partitionOffsets` and `seek`, and closures of the
 * bridge; never the bridge itself.
 */

import type { Emit } from './events.js';
import type { Work } from './in-flight.js';
import type { KafkaSource, PartitionOffsets, SourceBatch } from './kafka/source.js';
import { nextOffset } from './lag.js';
import type { PartitionState } from './partition-state.js';
import type { Component } from './probes.js';
import type { Retry } from './retry.js';
import type { Target } from './target/target.js';

/** The target's stored offset is beyond the partition's end. */
export class PositionError extends Error {
  override readonly name = 'PositionError';
}

export interface PositionerContext {
  target: Pick<Target, 'readOffsets'>;
  source: Pick<KafkaSource, 'partitionOffsets' | 'seek'>;
  retry: Retry;
  /** Wait the `failures`-th backoff delay, calling `heartbeat` every second. */
  pause: (failures: number, heartbeat: () => Promise<void>) => Promise<void>;
  /** The component answered a request. */
  answered: (component: Component) => void;
  emit: Emit;
  work: Work;
  stopping: () => boolean;
}

export class Positioner {
  readonly #c: PositionerContext;

  constructor(context: PositionerContext) {
    this.#c = context;
  }

  /**
   * Whether `batch` starts where the target's offset says the partition must be read from. If the bridge
   * does not know that yet, it reads the stored offset first and seeks when the batch starts elsewhere.
   */
  async placed(s: PartitionState, batch: SourceBatch): Promise<boolean> {
    for (;;) {
      if (batch.isStale() || this.#c.stopping()) return false;
      const placement = s.batchFetchedFrom(batch.fetchedOffset);
      if (placement === 'in_place') return true;
      if (placement === 'elsewhere') {
        // The client moved the position after our seek (an offset reset, say): look again, but not in a
        // tight loop.
        const misplaced = s.misplaced + 1;
        if (misplaced > 1) await this.#c.pause(misplaced - 1, () => batch.heartbeat());
        s.fetchedElsewhere(misplaced);
      }
      const start = await this.#c.retry('position', () => this.#positionOnce(s, batch.fetchedOffset), {
        partition: s.partition,
        cancelled: () => batch.isStale(),
        heartbeat: () => batch.heartbeat(),
      });
      if (start === undefined) return false;
    }
  }

  /**
   * Position `states` in the background (one read of the stored offsets, one of the offset ranges),
   * retrying until each is positioned, by this or by its first batch, or forgotten again.
   */
  positionSoon(states: readonly PartitionState[]): void {
    const generations = new Map(states.map((s) => [s, s.generation]));
    const pending = () =>
      states.filter(
        (s) => s.generation === generations.get(s) && s.applied === undefined && !s.isPositioning,
      );
    if (pending().length === 0) return;
    this.#c.work.enter();
    void this.#c
      .retry(
        'position',
        async () => {
          const todo = pending();
          if (todo.length === 0) return;
          const stored = await this.#c.target.readOffsets(todo.map((s) => s.partition));
          this.#c.answered('target');
          const ranges = await this.#c.source.partitionOffsets();
          this.#c.answered('kafka');
          const problems: Error[] = [];
          // Only those read for: one whose own positioning ran at the time of the read (and has failed
          // since) is not in `stored`, and placing it at "nothing stored" would read it again from 0.
          for (const s of pending().filter((s) => todo.includes(s))) {
            try {
              this.#place(s, stored.get(s.partition) ?? null, ranges, undefined);
            } catch (err) {
              problems.push(err as Error);
            }
          }
          if (problems[0] !== undefined) throw problems[0];
        },
        { cancelled: () => pending().length === 0 },
      )
      .finally(() => this.#c.work.leave());
  }

  /**
   * The target holds an older offset (`stored`) than this bridge wrote (`written`): it lost data (a
   * restart without persistence) or was restored. Drop what is queued and read the partition again from
   * what it has.
   */
  readAgain(s: PartitionState, stored: bigint | null, written: bigint | null): void {
    this.#c.emit('partition.rewound', { partition: s.partition, storedOffset: stored, written });
    s.targetWentBack();
    // Move the read position now, so that it happens even if no new record arrives.
    this.positionSoon([s]);
  }

  /** `#position`, shared by everyone who asks while it runs (within one generation). */
  #positionOnce(s: PartitionState, fetchedOffset: bigint | undefined): Promise<bigint> {
    return s.positionOnce(() => this.#position(s, fetchedOffset));
  }

  /**
   * Read `s`'s stored offset and the partition's offset range; seek to the first offset the target lacks
   * unless the batch at hand (`fetchedOffset`) starts there. Returns that offset.
   */
  async #position(s: PartitionState, fetchedOffset: bigint | undefined): Promise<bigint> {
    const generation = s.generation;
    const stored = (await this.#c.target.readOffsets([s.partition])).get(s.partition) ?? null;
    this.#c.answered('target');
    // Read after the stored offset, so that the end is at or after it (unless the topic was recreated).
    const ranges = await this.#c.source.partitionOffsets();
    this.#c.answered('kafka');
    if (s.generation !== generation) return nextOffset(stored, 0n);
    return this.#place(s, stored, ranges, fetchedOffset);
  }

  /**
   * Record `stored` as `s`'s offset in the target and seek to the first offset the target lacks, unless
   * the batch at hand (`fetchedOffset`) starts there. Returns that offset.
   */
  #place(
    s: PartitionState,
    stored: bigint | null,
    ranges: readonly PartitionOffsets[],
    fetchedOffset: bigint | undefined,
  ): bigint {
    const range = ranges.find((r) => r.partition === s.partition);
    if (range === undefined) throw new Error(`partition ${s.partition} is not in the topic's metadata`);
    const after = stored === null ? 0n : stored + 1n;
    if (after > range.high) {
      const reason = `the target's offset ${stored} is beyond the partition's end ${range.high} (topic recreated, or the target belongs to another cluster)`;
      s.foundInconsistent(reason);
      throw new PositionError(reason);
    }
    const start = nextOffset(stored, range.low);
    if (after < range.low && stored !== null) {
      this.#c.emit('partition.records_lost', {
        partition: s.partition,
        storedOffset: stored,
        firstAvailable: range.low,
      });
    }
    const seek = fetchedOffset !== start;
    s.positioned(stored, seek ? start : undefined);
    if (seek) this.#c.source.seek(s.partition, start);
    this.#c.emit('partition.positioned', { partition: s.partition, storedOffset: stored, readFrom: start });
    return start;
  }
}
