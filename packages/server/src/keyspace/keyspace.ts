import { createHash, randomBytes } from 'node:crypto';
import { type Database as LmdbDatabase, open, type RootDatabase } from 'lmdb';
import {
  decodeKey,
  encodeKey,
  expiryOf,
  FLAG_HASHED_KEY,
  KeyRange,
  layout,
  MAX_DIRECT_KEY,
  storedKeyEncoder,
} from './encoding.js';

export type Durability = 'always' | 'everysec' | 'no';

/** lmdb-js's `sync`, missing from its type declarations: mdb_env_sync(force) on a worker thread. */
interface LmdbSync {
  sync(callback: (error?: Error) => void): void;
}

/**
 * One write of a batch, applied to LMDB when the batch commits. A write to a Redis key is also its
 * database's overlay entry until then (`db` and `key` set): reads find the new record, or null for a
 * deletion, there.
 */
interface PutOp {
  readonly dbi: LmdbDatabase<Buffer, Buffer>;
  readonly stored: Buffer;
  readonly record: Buffer | null;
  readonly db: Database | null;
  /** The Redis key as a latin1 string, the overlay's key ('' when `db` is null). */
  readonly key: string;
}

type Op = PutOp | { readonly dbi: LmdbDatabase<Buffer, Buffer>; readonly clear: true };

/** A write of Sluice's own records (expiry index, SWAPDB map), in no database's overlay. */
function internalPut(dbi: LmdbDatabase<Buffer, Buffer>, stored: Buffer, record: Buffer | null): PutOp {
  return { dbi, stored, record, db: null, key: '' };
}

/**
 * The expiry index: one entry per key with an expiry, keyed by (time, database, hash of the stored key)
 * so that due keys come first, holding the stored key. Entries are never removed when a key is
 * overwritten or deleted: when an entry comes due, the sweep checks that the key still has exactly that
 * expiry before deleting it, and drops the entry either way. Writes therefore never read old records.
 */
function indexKey(expiresAt: number, db: number, stored: Buffer): Buffer {
  const out = Buffer.allocUnsafe(8 + 2 + 20);
  out.writeBigUInt64BE(BigInt(Math.min(Math.max(0, Math.floor(expiresAt)), 2 ** 63)), 0);
  out.writeUInt16BE(db, 8);
  createHash('sha1').update(stored).digest().copy(out, 10);
  return out;
}

const DB_MAP_KEY = Buffer.from('dbmap');

function firstOf<T>(items: Iterable<T>): T | undefined {
  for (const item of items) return item;
  return undefined;
}

function indexTime(key: Buffer): number {
  return Number(key.readBigUInt64BE(0));
}

/**
 * Writes grouped into one commit. Every write executed during one turn of the event loop joins the open
 * batch; the batch closes at the end of the turn and settles when its last write has committed (and,
 * with `appendfsync always`, been flushed). Replies that acknowledge its writes wait for that.
 */
export class WriteBatch {
  state: 'open' | 'committing' | 'committed' | 'failed' = 'open';
  error: Error | null = null;
  readonly ops: Op[] = [];
  private readonly waiters: (() => void)[] = [];

  get settled(): boolean {
    return this.state === 'committed' || this.state === 'failed';
  }

  /** Calls `fn` once the batch has committed or failed. */
  onSettled(fn: () => void): void {
    if (this.settled) fn();
    else this.waiters.push(fn);
  }

  settle(error: Error | null): void {
    this.state = error ? 'failed' : 'committed';
    this.error = error;
    for (const op of this.ops) {
      const { db, key } = op as PutOp; // a clear has neither
      if (db != null && db.overlay.get(key) === op) db.overlay.delete(key);
    }
    for (const fn of this.waiters.splice(0)) fn();
  }
}

// The key of the read under way, so that reads allocate nothing.
const readKey = new KeyRange();
const NO_BYTES = new Uint8Array(0);
/** Below every stored key: where ranges start (lmdb-js's default start suits its own key encodings only). */
const FIRST_KEY = Buffer.from([0]);

/** One Redis database (SELECT index): an LMDB sub-database plus the overlay of uncommitted writes. */
export class Database {
  /** Uncommitted writes by key (latin1 string of the key's bytes). Reads look here first. */
  readonly overlay = new Map<string, PutOp>();
  /** WATCHed keys (latin1 string) and the callbacks that learn of a write to them. */
  readonly watchers = new Map<string, Set<() => void>>();

  constructor(
    /** The number clients SELECT; SWAPDB changes it. */
    public index: number,
    /** Which LMDB sub-database (`db<physical>`) holds the data; never changes. */
    readonly physical: number,
    readonly lmdb: LmdbDatabase<Buffer, Buffer>,
    private readonly keyspace: Keyspace,
  ) {}

  /**
   * The record stored under `key[start, end)`, or undefined. Expired records count as absent.
   * The buffer may be lmdb-js's shared read buffer: use it before the next read, copy what you keep.
   */
  get(key: Uint8Array, start: number, end: number, now: number): Buffer | undefined {
    const record = this.getIncludingExpired(key, start, end);
    if (record === undefined) return undefined;
    const expiresAt = expiryOf(record);
    return expiresAt !== 0 && expiresAt <= now ? undefined : record;
  }

  getIncludingExpired(key: Uint8Array, start: number, end: number): Buffer | undefined {
    if (this.overlay.size > 0) {
      const pending = this.overlay.get(Buffer.prototype.latin1Slice.call(key, start, end));
      if (pending !== undefined) return pending.record ?? undefined;
    }
    readKey.buf = key;
    readKey.start = start;
    readKey.end = end;
    // The data sub-databases' key encoder takes a KeyRange where lmdb-js's types say key.
    const record = this.lmdb.getBinaryFast(readKey as unknown as Buffer);
    readKey.buf = NO_BYTES;
    if (record === undefined || end - start <= MAX_DIRECT_KEY) return record;
    // A hashed key: check that the record is this key's (SHA-256 collisions aside, it always is).
    const l = layout(record);
    if ((l.flags & FLAG_HASHED_KEY) === 0) return undefined;
    return Buffer.compare(record.subarray(l.keyStart, l.keyEnd), key.subarray(start, end)) === 0
      ? record
      : undefined;
  }

  /** Stores `record` (see encodeRecord) under `key[start, end)`. Visible to reads at once. */
  put(key: Uint8Array, start: number, end: number, record: Buffer): void {
    this.write(key, start, end, record);
  }

  delete(key: Uint8Array, start: number, end: number): void {
    this.write(key, start, end, null);
  }

  private write(key: Uint8Array, start: number, end: number, record: Buffer | null): void {
    const name = Buffer.prototype.latin1Slice.call(key, start, end);
    if (this.watchers.size > 0) this.touch(name);
    const batch = this.keyspace.openBatch();
    const stored = encodeKey(key, start, end);
    const op: PutOp = { dbi: this.lmdb, stored, record, db: this, key: name };
    this.overlay.set(name, op);
    batch.ops.push(op);
    if (record !== null) {
      const expiresAt = expiryOf(record);
      if (expiresAt !== 0) {
        batch.ops.push(
          internalPut(this.keyspace.expiryIndex, indexKey(expiresAt, this.physical, stored), stored),
        );
      }
    }
  }

  /** Tells the WATCHers of `name` that it changed. */
  touch(name: string): void {
    const set = this.watchers.get(name);
    if (set !== undefined) for (const fn of set) fn();
  }

  /** Tells every WATCHer of this database that its keys changed (FLUSHDB, SWAPDB). */
  touchAll(): void {
    for (const set of this.watchers.values()) for (const fn of set) fn();
  }

  /**
   * Deletes every key, committing at once so that the commands after it read the empty database. Commit
   * pending writes first (Keyspace.commitNow), as barrier commands do.
   */
  clear(): void {
    this.queueClear();
    this.keyspace.commitNow();
  }

  /** Queues the deletion of every key; reads see it once it commits. */
  queueClear(): void {
    this.touchAll();
    // Writes still in the overlay are committed (see above) and waiting for a flush: they are gone now.
    this.overlay.clear();
    this.keyspace.openBatch().ops.push({ dbi: this.lmdb, clear: true });
  }

  /**
   * Stored entries in key order, starting after the stored key `after` (exclusive). Yields the Redis key
   * and its record. Call only when no write is pending: uncommitted writes are not seen.
   */
  *entries(after?: Buffer): Generator<{ stored: Buffer; key: Buffer; record: Buffer }> {
    for (const { key, value } of this.lmdb.getRange({ start: after ?? FIRST_KEY })) {
      if (after !== undefined && Buffer.compare(key, after) === 0) continue;
      yield { stored: key, key: decodeKey(key, value), record: value };
    }
  }

  /**
   * A key picked at random (by a random position in key order), skipping expired ones, or undefined
   * when there is none. Like `entries`, reads committed state only.
   */
  randomKey(now: number): Buffer | undefined {
    for (let attempt = 0; attempt < 100; attempt++) {
      const start = randomBytes(9);
      start[0] = (start[0] as number) & 1; // either tag: direct or hashed keys
      let found = firstOf(this.lmdb.getRange({ start, limit: 1 }));
      found ??= firstOf(this.lmdb.getRange({ start: FIRST_KEY, limit: 1 }));
      if (found === undefined) return undefined;
      const expiresAt = expiryOf(found.value);
      if (expiresAt === 0 || expiresAt > now) return decodeKey(found.key, found.value);
    }
    return undefined;
  }

  /** Number of stored keys, counting expired ones not yet removed. Exact only when no write is pending. */
  size(): number {
    return (this.lmdb.getStats() as { entryCount: number }).entryCount;
  }
}

export interface KeyspaceOptions {
  dir: string;
  databases: number;
  durability: Durability;
  mapSize: number;
  /** Open LMDB with MDB_WRITEMAP: commits write the mapped file in place (see the lmdb-writemap setting). */
  writemap: boolean;
  /**
   * Fault injection for tests: hold every commit back this many milliseconds, widening the window in
   * which a crash finds writes executed but not committed (env SLUICE_DEBUG_COMMIT_DELAY_MS).
   */
  commitDelayMs?: number;
}

/** The databases, their LMDB environment, and the grouping of writes into commits. */
export class Keyspace {
  readonly dbs: Database[] = [];
  readonly expiryIndex: LmdbDatabase<Buffer, Buffer>;
  /** Databases by their LMDB sub-database number. */
  private readonly byPhysical: Database[] = [];
  /** Sluice's own records: the SWAPDB map. */
  private readonly meta: LmdbDatabase<Buffer, Buffer>;
  /** Keys removed by active expiry since start (INFO expired_keys). */
  expiredKeys = 0;
  durability: Durability;
  private readonly commitDelayMs: number;
  private readonly root: RootDatabase;
  private batch: WriteBatch | null = null;
  private latest: WriteBatch | null = null;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];
  /** Writes committed since start, and batches: for INFO. */
  committedBatches = 0;
  committedWrites = 0;
  /** `committedWrites` as of the start of the last completed flush. */
  flushedWrites = 0;
  lastFlushAt = 0;
  flushes = 0;
  private readonly flusher: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private flushQueued: Promise<void> | null = null;

  constructor(options: KeyspaceOptions) {
    this.durability = options.durability;
    this.commitDelayMs = options.commitDelayMs ?? 0;
    this.root = open({
      path: options.dir,
      maxDbs: options.databases + 3,
      mapSize: options.mapSize,
      // Commits go to the OS without waiting for the disk: a committed write survives the process being
      // killed. Flushing to disk is ours to schedule (see `durability`), so that it can change live.
      noSync: true,
      useWritemap: options.writemap,
      // `dir` is a directory even when its name has a dot (lmdb-js would take it for a file name).
      noSubdir: false,
    });
    this.flusher = setInterval(() => {
      if (this.durability === 'everysec' && this.committedWrites !== this.flushedWrites) void this.flush();
    }, 1000);
    this.flusher.unref();
    this.meta = this.root.openDB<Buffer, Buffer>({ name: 'meta', encoding: 'binary', keyEncoding: 'binary' });
    for (let i = 0; i < options.databases; i++) {
      // lmdb-js takes a keyEncoder for any database; its types declare it for the root only.
      const dbOptions = { name: `db${i}`, encoding: 'binary' as const, keyEncoder: storedKeyEncoder };
      const db = this.root.openDB<Buffer, Buffer>(dbOptions);
      this.byPhysical.push(new Database(i, i, db, this));
    }
    // Which sub-database each SELECT number uses, as SWAPDB left it.
    const map = this.storedDbMap(options.databases);
    for (const physical of map) this.dbs.push(this.byPhysical[physical] as Database);
    this.dbs.forEach((db, i) => {
      db.index = i;
    });
    this.expiryIndex = this.root.openDB<Buffer, Buffer>({
      name: 'expires',
      encoding: 'binary',
      keyEncoding: 'binary',
    });
    this.sweeper = setInterval(() => this.sweep(), 100);
    this.sweeper.unref();
  }

  /**
   * The batch opened last, open or not: the one the write just executed joined, even when it was
   * committed early (commitNow). Batches settle in the order they were opened.
   */
  get latestBatch(): WriteBatch | null {
    return this.latest;
  }

  /** Whether any write is applied but not yet committed. */
  get pending(): boolean {
    return this.unsettled > 0;
  }

  /** Calls `fn` once every write executed so far has committed. */
  whenIdle(fn: () => void): void {
    if (this.unsettled === 0) fn();
    else this.idleWaiters.push(fn);
  }

  /**
   * Commits the open batch now instead of at the end of the turn, so that LMDB holds every write
   * executed so far: for commands that read the whole keyspace from LMDB (KEYS, SCAN, DBSIZE, …).
   */
  commitNow(): void {
    if (this.batch !== null) this.commit(this.batch);
  }

  /** The batch that writes join now; it commits at the end of this turn of the event loop. */
  openBatch(): WriteBatch {
    let batch = this.batch;
    if (batch === null) {
      batch = new WriteBatch();
      this.batch = batch;
      this.latest = batch;
      this.unsettled++;
      if (this.commitDelayMs > 0) setTimeout(() => this.commit(batch as WriteBatch), this.commitDelayMs);
      else setImmediate(() => this.commit(batch as WriteBatch));
    }
    return batch;
  }

  /**
   * Commits a batch in one LMDB write transaction, synchronously: with the environment opened without
   * sync, a commit hands pages to the OS and takes well under a millisecond, less than a round trip
   * to a writer thread. A FLUSHDB in the batch commits on its own, between what precedes and follows it.
   */
  private commit(batch: WriteBatch): void {
    if (batch.state !== 'open') return; // committed early by commitNow
    if (this.batch === batch) this.batch = null;
    batch.state = 'committing';
    let error: Error | null = null;
    try {
      const ops = batch.ops;
      let i = 0;
      while (i < ops.length) {
        const from = i;
        while (i < ops.length && !('clear' in (ops[i] as Op))) i++;
        if (i > from) {
          this.root.transactionSync(() => {
            for (let j = from; j < i; j++) {
              const op = ops[j] as PutOp;
              if (op.record === null) op.dbi.removeSync(op.stored);
              else op.dbi.putSync(op.stored, op.record);
            }
          });
        }
        if (i < ops.length) {
          (ops[i] as Op).dbi.clearSync();
          i++;
        }
      }
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    if (error === null && this.durability === 'always') {
      this.flush().then(
        () => this.settle(batch, null),
        (err: unknown) => this.settle(batch, err instanceof Error ? err : new Error(String(err))),
      );
    } else {
      this.settle(batch, error);
    }
  }

  private settle(batch: WriteBatch, error: Error | null): void {
    if (!error) {
      this.committedBatches++;
      this.committedWrites += batch.ops.length;
    }
    batch.settle(error);
    if (--this.unsettled === 0) for (const fn of this.idleWaiters.splice(0)) fn();
  }

  /**
   * Active expiry: deletes keys whose time has come, up to `limit` index entries, and returns how many
   * entries it handled. Skips a turn while writes are pending, so that it only ever reads committed state.
   */
  sweep(now = Date.now(), limit = 10000): number {
    if (this.pending) return 0;
    const due: { key: Buffer; stored: Buffer }[] = [];
    for (const { key, value } of this.expiryIndex.getRange({ end: indexKey(now + 1, 0, Buffer.alloc(0)) })) {
      if (due.length >= limit) break;
      due.push({ key: Buffer.from(key), stored: Buffer.from(value) });
    }
    for (const { key, stored } of due) {
      const db = this.byPhysical[key.readUInt16BE(8)];
      const record = db?.lmdb.getBinaryFast(stored);
      if (db !== undefined && record !== undefined && expiryOf(record) === indexTime(key)) {
        const redisKey = decodeKey(stored, record);
        db.delete(redisKey, 0, redisKey.length);
        this.expiredKeys++;
      }
      this.openBatch().ops.push(internalPut(this.expiryIndex, key, null));
    }
    return due.length;
  }

  /** Removes every key whose time has come (at start-up: keys that expired while the server was down). */
  async expireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = this.sweep();
      await new Promise<void>((resolve) => this.whenIdle(resolve));
      total += n;
      if (n === 0) return total;
    }
  }

  /** The stored SWAPDB map if it fits the number of databases, else the identity. */
  private storedDbMap(databases: number): number[] {
    const identity = Array.from({ length: databases }, (_, i) => i);
    const raw = this.meta.getBinary(DB_MAP_KEY);
    if (raw === undefined) return identity;
    const map = JSON.parse(raw.toString()) as number[];
    const valid = map.length === databases && [...map].sort((a, b) => a - b).every((p, i) => p === i);
    return valid ? map : identity;
  }

  /** SWAPDB: the two SELECT numbers trade databases, at once for reads and with the next commit on disk. */
  swap(a: number, b: number): void {
    const da = this.dbs[a] as Database;
    const db = this.dbs[b] as Database;
    da.touchAll();
    db.touchAll();
    this.dbs[a] = db;
    this.dbs[b] = da;
    db.index = a;
    da.index = b;
    const map = Buffer.from(JSON.stringify(this.dbs.map((d) => d.physical)));
    this.openBatch().ops.push(internalPut(this.meta, DB_MAP_KEY, map));
  }

  /** Deletes every key of every database, and the expiry index. */
  clearAll(): void {
    for (const db of this.dbs) db.queueClear();
    this.openBatch().ops.push({ dbi: this.expiryIndex, clear: true });
    this.commitNow();
  }

  /** Keys with an expiry per database, and their average time to live in ms (INFO keyspace). */
  expiringStats(now = Date.now()): { expires: number; avgTtl: number }[] {
    const stats = this.dbs.map(() => ({ expires: 0, avgTtl: 0 }));
    const totals = this.dbs.map(() => 0);
    for (const { key, value } of this.expiryIndex.getRange({})) {
      const db = this.byPhysical[key.readUInt16BE(8)];
      const record = db?.lmdb.getBinaryFast(value);
      const at = indexTime(key);
      if (db === undefined || record === undefined || expiryOf(record) !== at || at <= now) continue;
      const index = db.index;
      (stats[index] as { expires: number }).expires++;
      totals[index] = (totals[index] as number) + (at - now);
    }
    stats.forEach((s, i) => {
      s.avgTtl = s.expires === 0 ? 0 : Math.round((totals[i] as number) / s.expires);
    });
    return stats;
  }

  /**
   * Flushes everything committed so far to disk (fsync). Resolves once a flush that started after this
   * call has completed; calls that arrive during a flush share the next one.
   */
  flush(): Promise<void> {
    if (this.flushing === null) {
      const writes = this.committedWrites;
      this.flushing = new Promise<void>((resolve, reject) => {
        (this.root as unknown as LmdbSync).sync((error?: Error) => {
          this.flushing = null;
          if (error) return reject(error);
          this.flushedWrites = writes;
          this.lastFlushAt = Date.now();
          this.flushes++;
          resolve();
        });
      });
      return this.flushing;
    }
    if (this.flushQueued === null) {
      this.flushQueued = this.flushing.then(
        () => {
          this.flushQueued = null;
          return this.flush();
        },
        () => {
          this.flushQueued = null;
          return this.flush();
        },
      );
    }
    return this.flushQueued;
  }

  /** LMDB environment figures for INFO and metrics. */
  stats(): { mapSize: number; pageSize: number; usedPages: number } {
    const info = this.root.getStats() as Record<string, number | undefined>;
    return {
      mapSize: info.mapSize ?? 0,
      pageSize: info.pageSize ?? 4096,
      usedPages: (info.lastPageNumber ?? 0) + 1,
    };
  }

  /** Waits for every pending write, flushes to disk, and closes LMDB. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.whenIdle(resolve));
    clearInterval(this.flusher);
    clearInterval(this.sweeper);
    await this.flush();
    await this.root.close();
  }
}
