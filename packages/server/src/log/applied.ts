/**
 * How far this node has applied each partition of the topic, and who waits for it: the writes whose
 * records must come back before they are acknowledged, `SLUICE WAIT`, and the end of LOADING.
 * An offset only grows; it moves when the LMDB transaction that stored it has committed.
 */

/** Partition → the last offset that must be applied (a token, a produced batch, a start position). */
export type Positions = ReadonlyMap<number, bigint>;

interface Waiter {
  readonly positions: Positions;
  readonly fn: () => void;
}

export class AppliedOffsets {
  /** Partition → last applied offset. A partition with nothing applied is absent. */
  private readonly offsets = new Map<number, bigint>();
  private waiters: Waiter[] = [];

  /** The last applied offset of `partition`, -1 when none. */
  get(partition: number): bigint {
    return this.offsets.get(partition) ?? -1n;
  }

  /** Every partition with something applied, and its last applied offset. */
  snapshot(): Map<number, bigint> {
    return new Map(this.offsets);
  }

  /** Records that `partition` is applied up to `offset` (ignored when it is not ahead). */
  advance(partition: number, offset: bigint): void {
    if (offset <= this.get(partition)) return;
    this.offsets.set(partition, offset);
    if (this.waiters.length === 0) return;
    const due: Waiter[] = [];
    this.waiters = this.waiters.filter((w) => {
      if (!w.positions.has(partition) || !this.covers(w.positions)) return true;
      due.push(w);
      return false;
    });
    for (const w of due) w.fn();
  }

  /**
   * Cluster mode: `partition` counts as never applied here from now on (its stored offset is being
   * removed, cluster/sweep.ts): waiters for it wait until it is applied again that far.
   */
  reset(partition: number): void {
    this.offsets.delete(partition);
  }

  /** Whether every partition of `positions` is applied at least that far. */
  covers(positions: Positions): boolean {
    for (const [partition, offset] of positions) if (this.get(partition) < offset) return false;
    return true;
  }

  /** Calls `fn` once `positions` are covered (at once if they are); returns a cancel function. */
  whenCovered(positions: Positions, fn: () => void): () => void {
    if (this.covers(positions)) {
      fn();
      return () => {};
    }
    const waiter = { positions, fn };
    this.waiters.push(waiter);
    return () => {
      this.waiters = this.waiters.filter((w) => w !== waiter);
    };
  }

  /** Waiters not yet called (for tests and INFO). */
  get waiting(): number {
    return this.waiters.length;
  }
}

/** A position token as `SLUICE POSITION` hands it out: `<partition>:<offset>` pairs joined by commas. */
export function formatPositions(positions: Positions): string {
  return [...positions]
    .sort((a, b) => a[0] - b[0])
    .map(([p, o]) => `${p}:${o}`)
    .join(',');
}

/** Reads a token of `formatPositions`; undefined when it is not one. */
export function parsePositions(token: string): Map<number, bigint> | undefined {
  const out = new Map<number, bigint>();
  if (token === '') return out;
  for (const part of token.split(',')) {
    const m = /^(0|[1-9][0-9]{0,8}):(-1|0|[1-9][0-9]{0,18})$/.exec(part);
    if (m === null) return undefined;
    const partition = Number(m[1]);
    const offset = BigInt(m[2] as string);
    if (offset > 2n ** 63n - 1n || out.has(partition)) return undefined;
    out.set(partition, offset);
  }
  return out;
}
