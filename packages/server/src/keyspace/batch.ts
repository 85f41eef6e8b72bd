import type { Database as LmdbDatabase } from 'lmdb';

/**
 * One write of a batch, applied to LMDB when the batch commits. A write to a Redis key is also its
 * database's overlay entry until then (`overlay` and `key` set): reads find the new record, or null for
 * a deletion, there.
 */
export interface PutOp {
  readonly dbi: LmdbDatabase<Buffer, Buffer>;
  readonly stored: Buffer;
  /**
   * The record to store, null to delete. In local mode a later write of the same key in the same batch
   * replaces it here (Database.write, Keyspace.putElement): one write per key per batch.
   */
  record: Buffer | null;
  /** The overlay this write sits in until it commits, or null for Sluice's own records. */
  readonly overlay: Map<string, PutOp> | null;
  /** The Redis key as a latin1 string, the overlay's key ('' when `overlay` is null). */
  readonly key: string;
  /**
   * Log mode: the write of this key it replaced in the overlay, still waiting for its records to come
   * back; restored if this write fails (see `WriteBatch.settle`). Undefined in local mode, and once this
   * write's batch has settled (so that a key written without pause holds no chain of old writes).
   */
  previous: PutOp | undefined;
  /** The batch this write joined (undefined for Sluice's own records). */
  readonly batch: WriteBatch | undefined;
  /**
   * A later write of the same key joined the same batch: this one need not reach LMDB (the batch commits
   * as a whole, so no one can read this write's value from LMDB).
   */
  superseded: boolean;
  /**
   * Log mode, an element entry of a collection: it stays in the element overlay when its batch commits,
   * as long as a write still on its way refers to its collection (Keyspace.releaseCollection drops it
   * then). In log mode no batch reaches LMDB: what LMDB holds of a collection is what an applied record
   * restored, under a collection id of its own, so a collection a pending write still reads through
   * (the same id) keeps the committed writes' entries here, above the state they were made on.
   */
  keep?: boolean;
  /**
   * Log mode, a key's write that leaves it holding a collection: the collection's whole value as DUMP
   * serializes it, made when the batch closed (log/records.ts), for its record in the topic.
   */
  dump?: Buffer;
}

/** Deletes every entry of a sub-database (FLUSHDB, FLUSHALL). */
export interface ClearOp {
  readonly dbi: LmdbDatabase<Buffer, Buffer>;
  readonly clear: true;
}

export type Op = PutOp | ClearOp;

/** A write of Sluice's own records (expiry index, SWAPDB map), in no database's overlay. */
export function internalPut(dbi: LmdbDatabase<Buffer, Buffer>, stored: Buffer, record: Buffer | null): PutOp {
  return {
    dbi,
    stored,
    record,
    overlay: null,
    key: '',
    previous: undefined,
    batch: undefined,
    superseded: false,
  };
}

/**
 * Writes grouped into one commit. Every write executed during one turn of the event loop joins the open
 * batch; the batch closes at the end of the turn and settles when its last write has committed (and,
 * with `appendfsync always`, been flushed to disk). Each write hands back the batch it joined, as
 * lmdb-js's writes hand back their commit; the replies that acknowledge it wait for that batch.
 */
export class WriteBatch {
  state: 'open' | 'committing' | 'committed' | 'failed' = 'open';
  error: Error | null = null;
  readonly ops: Op[] = [];
  /**
   * Log mode: where the batch's records went, partition → offset of its last record there, once Kafka
   * has acknowledged them (`SLUICE POSITION`). Null until then, and in local mode.
   */
  positions: ReadonlyMap<number, bigint> | null = null;
  private readonly waiters: (() => void)[] = [];

  get settled(): boolean {
    return this.state === 'committed' || this.state === 'failed';
  }

  /** Calls `fn` once the batch has committed or failed. */
  onSettled(fn: () => void): void {
    if (this.settled) fn();
    else this.waiters.push(fn);
  }

  /**
   * The batch has committed (its writes are in LMDB) or failed (they never will be): either way its
   * writes leave the overlay. A failed write that had replaced one still on its way (log mode) gives the
   * overlay back to that one.
   */
  settle(error: Error | null): void {
    this.state = error ? 'failed' : 'committed';
    this.error = error;
    for (const op of this.ops) {
      const { overlay, key } = op as PutOp; // a clear has neither
      if (overlay == null || overlay.get(key) !== op) continue;
      const keep = (op as PutOp).keep === true;
      if (error === null && keep) continue;
      let previous = error === null ? undefined : (op as PutOp).previous;
      // A key's write gives the overlay back to a write still on its way; a kept element entry also to
      // one committed (it is kept as long as its collection is read through the overlay).
      while (
        previous !== undefined &&
        (keep ? previous.batch?.state === 'failed' : previous.batch?.settled !== false)
      )
        previous = previous.previous;
      if (previous === undefined) overlay.delete(key);
      else overlay.set(key, previous);
    }
    // A settled write is never restored (a later one that fails looks past it): cut the chain here.
    for (const op of this.ops) if ('previous' in op) op.previous = undefined;
    for (const fn of this.waiters.splice(0)) fn();
  }
}

/**
 * The batches that a connection's writes joined since its replies last left (usually one; more when a
 * command such as FLUSHDB or KEYS committed a batch early), in order and without repeats: those replies
 * wait for all of them.
 */
export class CommitList {
  private batches: WriteBatch[] = [];

  /** Records that a write joined `batch`. */
  add(batch: WriteBatch): void {
    const batches = this.batches;
    if (batch.state !== 'committed' && batches[batches.length - 1] !== batch) batches.push(batch);
  }

  /** The batches recorded so far, forgetting them. */
  take(): readonly WriteBatch[] {
    const batches = this.batches;
    if (batches.length === 0) return batches;
    this.batches = [];
    return batches;
  }
}
