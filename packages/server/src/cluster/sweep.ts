/**
 * Cluster mode over Kafka: a node deletes the keys of the partitions it no longer holds, neither as
 * primary nor as standby, as redis-server deletes the keys of a slot it lost (delKeysInSlot), so that
 * DBSIZE, SCAN, KEYS and RANDOMKEY count only what the node serves or keeps a copy of.
 *
 * The deletion is local (the keys stay in the topic: nothing is produced) and runs in the background, a
 * step at a time: each step reads up to `stepKeys` keys of the partition's slots from the slot index (one
 * range: a partition's slots are contiguous) and deletes them in one LMDB transaction, with lmdb-js's
 * asynchronous writes, so that it commits after the records of the partition applied before it. Every
 * step also removes the partition's stored applied offset, and the first step does so before any key
 * goes: from then on the partition counts as never applied here, so that if it comes back it is read
 * from its start, never resumed past keys that were deleted. A partition that comes back while its sweep
 * runs stops the sweep (a step already queued commits before any record read again).
 */

/** Keys deleted per step: small transactions, so that commands and applied records never wait long. */
export const SWEEP_STEP_KEYS = 256;
/** Wait after a failed step (the disk guard refused it, say) before the next try. */
const RETRY_MS = 1_000;

export interface SweepOptions {
  /** Up to `count` committed keys of slots `first` to `last`, from the slot index. */
  keys(first: number, last: number, count: number): Buffer[];
  /** Deletes `keys` and removes `partition`'s stored offset, in one transaction; resolves once committed. */
  drop(partition: number, keys: readonly Buffer[]): Promise<void>;
  /** The slots of `partition` in a topic of `partitions` (both ends included). */
  slotsOf(partition: number, partitions: number): readonly [number, number];
  log(message: string): void;
  stepKeys?: number;
}

/** One partition's sweep while it runs. */
interface Sweep {
  cancelled: boolean;
}

export class PartitionSweeper {
  /** Partitions being swept. */
  private readonly running = new Map<number, Sweep>();
  /** Partitions known to hold nothing here: swept since they were last held. */
  private readonly clean = new Set<number>();
  /** Keys deleted since the start (INFO). */
  sweptKeys = 0;
  private readonly stepKeys: number;

  constructor(private readonly o: SweepOptions) {
    this.stepKeys = o.stepKeys ?? SWEEP_STEP_KEYS;
  }

  /**
   * The node holds `held` (primary and standby) of the topic's `partitions` now: a sweep of a held
   * partition stops, and every other partition not known to be empty here is swept (at the first plan
   * after a start, that is every partition not held: the data directory may hold keys of any).
   */
  hold(held: ReadonlySet<number>, partitions: number): void {
    for (const p of held) {
      const sweep = this.running.get(p);
      if (sweep !== undefined) {
        sweep.cancelled = true;
        this.running.delete(p);
        this.o.log(`partition ${p} is held again: its sweep stops, it is read from its start`);
      }
      this.clean.delete(p);
    }
    for (let p = 0; p < partitions; p++) {
      if (held.has(p) || this.clean.has(p) || this.running.has(p)) continue;
      const sweep: Sweep = { cancelled: false };
      this.running.set(p, sweep);
      const [first, last] = this.o.slotsOf(p, partitions);
      void this.sweep(p, first, last, sweep);
    }
  }

  /** Partitions whose sweep runs now, in order. */
  get sweeping(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  /** Steps until a read finds no key left; the first step runs before this returns its promise. */
  private async sweep(partition: number, first: number, last: number, sweep: Sweep): Promise<void> {
    let deleted = 0;
    while (!sweep.cancelled) {
      const keys = this.o.keys(first, last, this.stepKeys);
      try {
        await this.o.drop(partition, keys);
      } catch (err) {
        this.o.log(
          `the sweep of partition ${partition} failed a step, trying again: ${(err as Error).message}`,
        );
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      deleted += keys.length;
      this.sweptKeys += keys.length;
      if (keys.length === 0) break;
      // Other work of the event loop (commands, applied records) goes on between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (sweep.cancelled) return;
    this.running.delete(partition);
    this.clean.add(partition);
    if (deleted > 0)
      this.o.log(`deleted the ${deleted} key(s) of partition ${partition}, no longer held here`);
  }
}
