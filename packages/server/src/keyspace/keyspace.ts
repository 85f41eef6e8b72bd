import { type Database as LmdbDatabase, open, type RootDatabase } from 'lmdb';
import type { LogLevel } from '../log.js';
import { NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_STRING, Notifier } from '../pubsub/notify.js';
import { type CommitList, internalPut, type Op, type PutOp, WriteBatch } from './batch.js';
import { elementKey, ID_BYTES, idEnd, idOf, TYPE_STRING, typeOf } from './collections.js';
import { Database, type DatabaseHost, type KeyObserver } from './database.js';
import { DecodedCache } from './decoded.js';
import { DiskGuard, type FsSpace, statfsSpace } from './disk-guard.js';
import {
  asBuffer,
  decodeKey,
  encodeKey,
  encodeRecord,
  expiryIndexDb,
  expiryIndexKey,
  expiryIndexTime,
  expiryOf,
  KeyRange,
  latin1,
  storedKeyEncoder,
} from './encoding.js';
import { SlotIndex } from './slot-index.js';

export { CommitList, WriteBatch } from './batch.js';
export { Database, type KeyObserver, type KeyWaiter, type RememberedMeta } from './database.js';
export { DiskError, DiskGuard } from './disk-guard.js';

/** Decoded tree nodes kept between commands: at about 3 KB each, some 12 MB at most. */
const DECODED_NODES = 4096;
/** Past this many elements, a single random pick seeks a random point instead of stepping to a position. */
const RANDOM_SEEK_PAST = 1024;
/** Draws a pick by position makes at most (each misses with a chance of at most a half). */
const DRAWS = 32;

export type Durability = 'always' | 'everysec' | 'no';

/**
 * Log mode's side of the keyspace (log/writer.ts): a batch of client writes, closed at the end of its
 * turn, goes to Kafka instead of into LMDB; `settle` is called once its records have been applied from
 * the topic (or with the error that stopped them).
 */
export interface KeyspaceLog {
  commit(batch: WriteBatch, settle: (error: Error | null) => void): void;
}

/** One write applied from the topic: a key's new value (with its expiry, 0 for none) or its deletion. */
export interface AppliedWrite {
  readonly key: Buffer;
  /** Null: delete the key. */
  readonly value: Buffer | null;
  readonly at: number;
  /**
   * A collection restored from a DUMP payload (log/values.ts): the key's whole record (metadata, flags,
   * expiry) and its entries (elements, owner), which replace the key's old value of any type. `value`
   * is then the payload (for its size).
   */
  readonly collection?: RestoredCollection;
}

/** A collection as restored from a record, ready to be stored (see `Keyspace.capture`). */
export interface RestoredCollection {
  /** The key's record, as `encodeRecord` makes it. */
  readonly record: Buffer;
  /** Entries of Sluice's sub-databases: the collection's elements and its owner entry. */
  readonly entries: readonly {
    readonly dbi: LmdbDatabase<Buffer, Buffer>;
    readonly stored: Buffer;
    readonly record: Buffer;
  }[];
}

/** What log mode applies in one LMDB transaction: a partition's records, and its new offset. */
export interface AppliedRecords {
  /** In record order: the last write of a key wins. */
  readonly writes: readonly AppliedWrite[];
  /** Sluice's own record that stores the partition's offset, written in the same transaction. */
  readonly offsetKey: Buffer;
  /** Null: the record is removed (cluster mode: the keys of a partition the node lost, cluster/sweep.ts). */
  readonly offsetValue: Buffer | null;
  /** More of Sluice's own records to set (or remove, when null) in the same transaction (cluster mode: a partition's owner). */
  readonly meta?: readonly { readonly key: Buffer; readonly value: Buffer | null }[];
  /**
   * False: no keyspace event is announced (cluster mode's deletion of a lost partition's keys, which
   * redis-server's delKeysInSlot announces to modules only). WATCHers learn of the writes either way.
   */
  readonly announce?: boolean;
}

/** lmdb-js's `sync`, missing from its type declarations: mdb_env_sync(force) on a worker thread. */
interface LmdbSync {
  sync(callback: (error?: Error) => void): void;
}

const DB_MAP_KEY = Buffer.from('dbmap');
/** Present while the slot index (slot-index.ts) holds every key of database 0. */
const SLOT_INDEX_KEY = Buffer.from('slot-index');
/**
 * Its value. '1' was written by versions whose log mode left the index without the keys applied from
 * the topic: such an index is built again.
 */
const SLOT_INDEX_VERSION = Buffer.from('2');
/** The key of the write being queued by `applyRecords` (the encoder copies it at once). */
const applyKey = new KeyRange();
const NO_KEY = new Uint8Array(0);

/** An element entry whose bytes are made when its batch commits (see `Keyspace.deferElement`). */
interface DeferredElement {
  readonly stored: Buffer;
  readonly value: unknown;
  readonly encode: (value: unknown) => Buffer | null;
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
  /** Where the disk guard's lines go (writes refused, accepted again). */
  log?: (level: LogLevel, message: string) => void;
  /** Free space of the data directory's filesystem; statfs by default (tests may pass their own). */
  space?: FsSpace;
  /** Cluster mode: keep the index of database 0's keys by hash slot (slot-index.ts). */
  slotIndex?: boolean;
}

/** Pages a commit may allocate besides its writes': the catalog, the freelist, the meta page. */
const COMMIT_BASE_PAGES = 64;
/** Free space under which the disk counts as nearly full (see `nearlyFull`). */
const NEARLY_FULL = 256 * 1024 * 1024;

/** No client-side caching: nothing to tell. */
const UNOBSERVED: KeyObserver = { size: 0, changed: () => {}, flushed: () => {} };

/** The databases, their LMDB environment, and the grouping of writes into commits. */
export class Keyspace implements DatabaseHost {
  readonly dbs: Database[] = [];
  readonly expiryIndex: LmdbDatabase<Buffer, Buffer>;
  /** Databases by their LMDB sub-database number. */
  private readonly byPhysical: Database[] = [];
  /** Sluice's own records: the SWAPDB map. */
  private readonly meta: LmdbDatabase<Buffer, Buffer>;
  /** Keyspace notifications (notify-keyspace-events): connected to Pub/Sub by the server. */
  readonly notifier = new Notifier();
  /** Decoded sorted-set tree nodes, between commands (see decoded.ts). */
  readonly decoded = new DecodedCache(DECODED_NODES);
  /**
   * Element entries whose bytes are made when their batch commits (`deferElement`), by stored key
   * (latin1): a sorted set's tree node changed by many commands of one turn is encoded once.
   */
  private deferred = new Map<string, DeferredElement>();
  /**
   * Log mode: collections read through the overlay, by id (latin1): how many writes still on their way
   * refer to each (element entries, and key records holding it). At 0 its kept element entries go.
   */
  private readonly collectionRefs = new Map<string, number>();
  /** While `capture` runs: its private batch (writes join it and stay out of the overlays' bookkeeping). */
  private capturing: WriteBatch | null = null;
  /** Who learns of changed keys beyond WATCH: client-side caching (the server sets it). */
  observer: KeyObserver = UNOBSERVED;
  /** Keys removed by active expiry since start (INFO expired_keys). */
  expiredKeys = 0;
  durability: Durability;
  private readonly commitDelayMs: number;
  private readonly root: RootDatabase;
  private batch: WriteBatch | null = null;
  /**
   * Where the writes executed now are recorded, set by the server around each command (Server.run):
   * every write tells it the batch it joined, and the command's reply waits for exactly those batches.
   */
  recorder: CommitList | null = null;
  private unsettled = 0;
  /** Batches not yet settled (log mode keeps them for `whenSettledSoFar`). */
  private readonly unsettledBatches = new Set<WriteBatch>();
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
  /** Log mode: where batches of client writes go instead of LMDB (see `KeyspaceLog`). */
  private log: KeyspaceLog | null = null;
  /** While above 0, the open batch stays open at the end of its turn (a script that yielded). */
  private holds = 0;
  /** Refuses writes while the disk cannot take them (see disk-guard.ts). */
  readonly guard: DiskGuard;
  /** Elements of collections, by collection id (see collections.ts). */
  readonly elements: LmdbDatabase<Buffer, Buffer>;
  /** Collection id → where its metadata lives (sub-database, stored key), for the orphan sweep. */
  private readonly owners: LmdbDatabase<Buffer, Buffer>;
  /**
   * Uncommitted element writes, by collection id (latin1 of its 8 bytes), then by stored element key
   * (latin1): reads of an element look here first, as key reads look in their database's overlay.
   */
  private readonly elementOverlay = new Map<string, Map<string, PutOp>>();
  /**
   * The overlay names (collection id, whole stored key) of the last element key named, by identity: a
   * write that follows its read (HSET, SADD, HDEL, …) names and hashes its key once. Stored keys are
   * never changed once built.
   */
  private namedStored: Buffer | null = null;
  private namedId = '';
  private namedFull = '';
  /**
   * Whether the last `getElement` found the entry (or its absence) in LMDB, committed, rather than in a
   * write not yet committed: a write of the same entry unchanged may then be left out (see putElement in
   * commands/_collection.ts), since no batch has to carry it for the state it acknowledges to hold.
   */
  readCommitted = false;
  /** The last collection id handed out (ids grow, and are never reused). */
  private lastId: bigint;
  /** Where the orphan sweep goes on from (an id), or null to start over. */
  private orphanCursor: Buffer | null = null;
  /** Per collection id, the stored keys that bound a random pick (see `seekElement`). */
  private readonly randomBounds = new Map<string, { first: Buffer; last: Buffer; uses: number }>();
  /** An orphan whose elements the sweep has not finished reclaiming. */
  private draining: Buffer | null = null;
  /** Elements of deleted collections reclaimed since start. */
  reclaimedElements = 0;
  /** LMDB's page size, and the deepest B-tree of the environment (refreshed once a second). */
  private pageSize = 4096;
  private treeDepth = 1;
  /** Log mode: bytes that applies queued on lmdb-js's writer thread may still allocate. */
  private applyBound = 0;

  constructor(options: KeyspaceOptions) {
    this.durability = options.durability;
    this.commitDelayMs = options.commitDelayMs ?? 0;
    this.root = open({
      path: options.dir,
      maxDbs: options.databases + 6,
      mapSize: options.mapSize,
      // Commits go to the OS without waiting for the disk: a committed write survives the process being
      // killed. Flushing to disk is ours to schedule (see `durability`), so that it can change live.
      noSync: true,
      useWritemap: options.writemap,
      // `dir` is a directory even when its name has a dot (lmdb-js would take it for a file name).
      noSubdir: false,
    });
    this.guard = new DiskGuard({
      space: options.space ?? statfsSpace(options.dir),
      log: options.log ?? (() => {}),
      flush: () => this.flushToDisk(),
      dir: options.dir,
    });
    this.guard.measure();
    this.flusher = setInterval(() => {
      this.measureTrees();
      if (this.durability === 'everysec' && this.committedWrites !== this.flushedWrites)
        this.flushToDisk().catch((err: unknown) => this.guard.flushFailed(asError(err)));
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
    // The data sub-databases' key encoder: keys are Buffers written as they are, and those read back by a
    // range scan are copied by `sliceCopy`, at half the cost of lmdb-js's binary keys (Uint8Array slice).
    const elementOptions = { name: 'elements', encoding: 'binary' as const, keyEncoder: storedKeyEncoder };
    this.elements = this.root.openDB<Buffer, Buffer>(elementOptions);
    this.owners = this.root.openDB<Buffer, Buffer>({
      name: 'owners',
      encoding: 'binary',
      keyEncoding: 'binary',
    });
    this.openSlotIndex(options.slotIndex === true, options.log);
    this.lastId = this.highestId();
    this.sweeper = setInterval(() => {
      this.sweep();
      this.collectOrphans();
    }, 100);
    this.sweeper.unref();
    this.measureTrees();
  }

  /**
   * Cluster mode's index of database 0's keys by hash slot (slot-index.ts): built from the keys when the
   * server starts in cluster mode without it, dropped when it starts without cluster mode (writes then do
   * not keep it, so it would go stale).
   */
  private openSlotIndex(wanted: boolean, log: KeyspaceOptions['log']): void {
    const marker = this.meta.getBinary(SLOT_INDEX_KEY);
    if (!wanted && marker === undefined) return;
    const kept = marker !== undefined && SLOT_INDEX_VERSION.equals(marker);
    const dbi = this.root.openDB<Buffer, Buffer>({
      name: 'slots',
      encoding: 'binary',
      keyEncoding: 'binary',
    });
    const index = new SlotIndex(dbi);
    const db = this.dbs[0] as Database;
    this.root.transactionSync(() => {
      if (!wanted) {
        dbi.clearSync();
        this.meta.removeSync(SLOT_INDEX_KEY);
      } else if (!kept) {
        const keys = index.build(db.entries());
        this.meta.putSync(SLOT_INDEX_KEY, SLOT_INDEX_VERSION);
        log?.('notice', `Cluster mode: indexed ${keys} keys by hash slot`);
      }
    });
    if (wanted) db.slots = index;
  }

  /** Reads LMDB's page size and the depth of its deepest B-tree, which bound what a write allocates. */
  private measureTrees(): void {
    let depth = (this.root.getStats() as { treeDepth?: number }).treeDepth ?? 1;
    for (const db of [
      this.meta,
      this.expiryIndex,
      this.elements,
      this.owners,
      ...this.byPhysical.map((d) => d.lmdb),
    ]) {
      const stats = db.getStats() as { treeDepth?: number; pageSize?: number };
      depth = Math.max(depth, stats.treeDepth ?? 1);
      this.pageSize = stats.pageSize ?? this.pageSize;
    }
    this.treeDepth = depth;
  }

  /**
   * The most pages one write (a put or a delete of one entry) can allocate: a copy of each page on its
   * path, a split at every level and a new root, with one level of growth to spare; plus the overflow
   * pages of a value too big for a leaf page.
   */
  private pagesPerWrite(valueBytes: number): number {
    const pages = 2 * (this.treeDepth + 1) + 1;
    return valueBytes > this.pageSize / 4 ? pages + Math.ceil(valueBytes / this.pageSize) + 1 : pages;
  }

  /**
   * The most bytes that committing `ops` can allocate in the data file (see disk-guard.ts). Emptying a
   * sub-database allocates nothing but the freelist records of its pages.
   */
  private boundOf(ops: readonly Op[]): number {
    let pages = COMMIT_BASE_PAGES;
    for (const op of ops) {
      if ('clear' in op) {
        const s = op.dbi.getStats() as {
          treeBranchPageCount?: number;
          treeLeafPageCount?: number;
          overflowPages?: number;
        };
        const freed = (s.treeBranchPageCount ?? 0) + (s.treeLeafPageCount ?? 0) + (s.overflowPages ?? 0);
        pages += Math.ceil(freed / 256) + 2 * (this.treeDepth + 1);
      } else {
        pages += this.pagesPerWrite(op.record === null ? 0 : op.record.length);
      }
    }
    // The freelist records of the pages the commit frees (at most one per page it allocates).
    return (pages + Math.ceil(pages / 256)) * this.pageSize;
  }

  /**
   * Whether a write command with `args` arguments of `bytes` bytes in all may run now: writes are not
   * refused and the disk holds what the open batch and this command could allocate. Refuses writes from
   * now on when it does not (the command gets `-MISCONF`, instead of failing at its commit).
   */
  admitsWrite(args: number, bytes: number): boolean {
    const guard = this.guard;
    if (guard.refusal !== null) return false;
    const open = this.batch === null ? 0 : this.batch.ops.length;
    const bound = ((open + args) * this.pagesPerWrite(0) + COMMIT_BASE_PAGES) * this.pageSize + 2 * bytes;
    return guard.fits(bound + this.applyBound);
  }

  /**
   * Whether the disk was nearly full at the last look (under `NEARLY_FULL` free): each write's reply is
   * then held on its own, so that a write whose commit fails gets an error reply (see Dispatcher.run).
   */
  get nearlyFull(): boolean {
    return this.guard.freeBytes < NEARLY_FULL;
  }

  /** Whether writes are refused now (the disk is full, or LMDB failed to commit or flush). */
  get writesRefused(): boolean {
    return this.guard.refusal !== null;
  }

  /** Log mode: client writes go to `log` from now on (called before the server accepts clients). */
  useLog(log: KeyspaceLog): void {
    this.log = log;
  }

  get logMode(): boolean {
    return this.log !== null;
  }

  /** One of Sluice's own records (offsets, the node's id), as committed. */
  readMeta(key: Buffer): Buffer | undefined {
    return this.meta.getBinary(key);
  }

  /**
   * Writes (or with null deletes) one of Sluice's own records with the open batch: the command that
   * calls it is acknowledged once it has committed. In log mode, at once, in a transaction of its own.
   */
  putMeta(key: Buffer, value: Buffer | null): void {
    if (this.log !== null) {
      // Log mode: batches become records, and Sluice's own records are not among them: commit it now.
      if (!this.guard.admit(COMMIT_BASE_PAGES * this.pageSize + (value?.length ?? 0)))
        throw this.guard.error();
      this.root.transactionSync(() => {
        if (value === null) this.meta.removeSync(key);
        else this.meta.putSync(key, value);
      });
      return;
    }
    this.joinBatch().ops.push(internalPut(this.meta, key, value));
  }

  /** Writes one of Sluice's own records now, in a transaction of its own. */
  writeMeta(key: Buffer, value: Buffer): void {
    if (!this.guard.admit(COMMIT_BASE_PAGES * this.pageSize)) throw this.guard.error();
    this.root.transactionSync(() => {
      this.meta.putSync(key, value);
    });
  }

  /** Whether any write is applied but not yet committed. */
  get pending(): boolean {
    return this.unsettled > 0;
  }

  /**
   * Calls `fn` once every write executed so far has settled, whatever is written after this call (log
   * mode: a barrier command waits for the writes before it to come back from the topic).
   */
  whenSettledSoFar(fn: () => void): void {
    if (this.log === null) {
      this.whenIdle(fn);
      return;
    }
    const waiting = [...this.unsettledBatches];
    this.commitNow();
    let left = waiting.length;
    if (left === 0) fn();
    for (const batch of waiting) {
      batch.onSettled(() => {
        if (--left === 0) fn();
      });
    }
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
    const batch = this.batch;
    if (batch === null) return;
    // A command that reads LMDB as a whole must see every write, held or not.
    const holds = this.holds;
    this.holds = 0;
    this.commit(batch);
    this.holds = holds;
  }

  /**
   * Keeps the open batch open past the end of its turn, until `release`: a script that yields to the
   * event loop commits its writes together when it ends, in one transaction.
   */
  hold(): void {
    this.holds++;
  }

  release(): void {
    if (this.holds > 0) this.holds--;
    const batch = this.batch;
    if (this.holds === 0 && batch !== null) setImmediate(() => this.commit(batch));
  }

  /**
   * SHUTDOWN NOSAVE while a script runs: the open batch (the script's writes so far) never commits; the
   * replies waiting for it are never sent.
   */
  abandonOpenBatch(): void {
    const batch = this.batch;
    this.holds = 0;
    this.deferred.clear();
    if (batch === null) return;
    this.batch = null;
    batch.state = 'committing';
    this.settle(batch, new Error('abandoned at shutdown'));
  }

  /**
   * The batch that writes join now, recorded with the command being run (`recorder`); it commits at the
   * end of this turn of the event loop. Batches settle in the order they were opened.
   */
  joinBatch(): WriteBatch {
    const batch = this.openBatch();
    this.recorder?.add(batch);
    return batch;
  }

  /** The batch that writes join now, for Sluice's own records, which no reply waits for. */
  private openBatch(): WriteBatch {
    let batch = this.batch;
    if (batch === null) {
      batch = new WriteBatch();
      this.batch = batch;
      this.unsettled++;
      if (this.log !== null) this.unsettledBatches.add(batch);
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
    if (this.holds > 0 && batch === this.batch) return; // held: committed on release
    if (this.batch === batch) {
      // Deferred entries belong to the open batch: they join it now, encoded once.
      this.writeDeferred();
      this.batch = null;
    }
    batch.state = 'committing';
    if (this.log !== null) {
      this.log.commit(batch, (error) => this.settle(batch, error));
      return;
    }
    if (!this.guard.admit(this.boundOf(batch.ops))) {
      this.settle(batch, this.guard.error());
      return;
    }
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
              if (op.superseded) continue;
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
      error = asError(err);
      this.guard.commitFailed(error);
      error = this.guard.error();
    }
    if (error === null && this.durability === 'always') {
      this.flushToDisk().then(
        () => this.settle(batch, null),
        (err: unknown) => {
          this.guard.flushFailed(asError(err));
          this.settle(batch, this.guard.error());
        },
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
    // Decoded nodes and remembered metadata may hold what this batch wrote, which LMDB now will never hold.
    if (error) {
      this.decoded.clear();
      for (const db of this.dbs) db.metas.clear();
    }
    if (this.log !== null) this.releaseCollections(batch.ops);
    else if (this.elementOverlay.size > 0) this.dropEmptiedElementMaps(batch.ops);
    if (this.log !== null) {
      this.unsettledBatches.delete(batch);
      for (const db of this.dbs) db.settled(batch.ops);
    }
    if (--this.unsettled === 0) for (const fn of this.idleWaiters.splice(0)) fn();
  }

  /**
   * Log mode: applies records of the topic to `db` and stores the partition's offset, in one LMDB
   * transaction committed on lmdb-js's writer thread (the writes of one call are queued together, so they
   * share a transaction), while this thread goes on decoding the next records. Resolves once committed;
   * then WATCHers learn of the change. Writes of this node still in the overlay keep hiding the keys they
   * wrote until their own records come back.
   */
  applyRecords(db: Database, records: AppliedRecords): Promise<void> {
    const { writes } = records;
    // The guard as for a batch of client writes; a refusal fails the apply, which the apply loop retries
    // with backoff (nothing is skipped: the partition's offset moves with its records only).
    let pages = COMMIT_BASE_PAGES;
    for (const { value, at, collection } of writes) {
      pages += this.pagesPerWrite(value === null ? 0 : value.length) * (at === 0 ? 1 : 2);
      if (collection !== undefined)
        for (const e of collection.entries) pages += this.pagesPerWrite(e.record.length);
    }
    const bound = (pages + Math.ceil(pages / 256)) * this.pageSize;
    if (!this.guard.admit(bound + this.applyBound)) return Promise.reject(this.guard.error());
    this.applyBound += bound;
    const lmdb = db.lmdb;
    const index = this.expiryIndex;
    // The data sub-database's key encoder writes a key's stored form straight into lmdb-js's instruction
    // buffer (it copies it there at once): no stored key is allocated, but for keys with an expiry, whose
    // stored key is also the index entry's value.
    const range = applyKey;
    const slots = db.slots;
    for (const { key, value, at, collection } of writes) {
      if (slots !== null) slots.queue(key, encodeKey(key), value !== null);
      if (collection !== undefined) {
        // A whole collection: its elements and owner under a new id, then the key's record holding it.
        for (const e of collection.entries) void e.dbi.put(e.stored, e.record);
        const stored = encodeKey(key);
        void lmdb.put(stored, collection.record);
        if (at !== 0) void index.put(expiryIndexKey(at, db.physical, stored), stored);
      } else if (value === null) {
        range.buf = key;
        range.start = 0;
        range.end = key.length;
        void lmdb.remove(range as unknown as Buffer);
      } else if (at === 0) {
        range.buf = key;
        range.start = 0;
        range.end = key.length;
        void lmdb.put(
          range as unknown as Buffer,
          encodeRecord(key, 0, key.length, value, 0, value.length, 0),
        );
      } else {
        const stored = encodeKey(key);
        void lmdb.put(stored, encodeRecord(key, 0, key.length, value, 0, value.length, at));
        void index.put(expiryIndexKey(at, db.physical, stored), stored);
      }
    }
    range.buf = NO_KEY;
    for (const m of records.meta ?? []) {
      if (m.value === null) void this.meta.remove(m.key);
      else void this.meta.put(m.key, m.value);
    }
    // Queued last, in the same transaction: its commit is the whole transaction's.
    const last =
      records.offsetValue === null
        ? this.meta.remove(records.offsetKey)
        : this.meta.put(records.offsetKey, records.offsetValue);
    return last.then(
      () => {
        this.applyBound -= bound;
        this.committedBatches++;
        this.committedWrites += writes.length;
        if (db.watchers.size > 0 || this.observer.size > 0 || db.blocked.size > 0)
          db.appliedChanges(writes.map((w) => w.key.toString('latin1')));
        db.forgetExpiryAnnounced(writes);
        if (this.notifier.flags !== 0 && records.announce !== false) this.announceApplied(db, writes);
      },
      (err: unknown) => {
        this.applyBound -= bound;
        this.guard.commitFailed(asError(err));
        throw this.guard.error();
      },
    );
  }

  /**
   * Log mode: announces the writes applied from the topic, as the command that would write the key's new
   * state announces it: `set` (and `expire` with an expiry) for a value, `del` for a tombstone, `restore`
   * for a collection (its whole value replaced, as RESTORE … REPLACE does). A key
   * that a write of this node still hides is not announced: that write's command was, on this node.
   */
  private announceApplied(db: Database, writes: readonly AppliedWrite[]): void {
    const notifier = this.notifier;
    for (const { key, value, at, collection } of writes) {
      if (db.overlay.size > 0 && db.overlay.has(key.toString('latin1'))) continue;
      if (value === null) {
        notifier.notify(NOTIFY_GENERIC, 'del', key, db.index, 0);
        continue;
      }
      if (collection !== undefined) {
        notifier.notify(NOTIFY_GENERIC, 'restore', key, db.index, 0);
        continue;
      }
      notifier.notify(NOTIFY_STRING, 'set', key, db.index, 0);
      if (at !== 0) notifier.notify(NOTIFY_GENERIC, 'expire', key, db.index, 0);
    }
  }

  /**
   * Active expiry: deletes keys whose time has come, up to `limit` index entries, and returns how many
   * entries it handled. Skips a turn while writes are pending, so that it only ever reads committed state.
   */
  sweep(now = Date.now(), limit = 10000): number {
    if (this.guard.refusing) return 0;
    if (this.log !== null) return this.sweepLocally(now, limit);
    if (this.pending) return 0;
    const due: { key: Buffer; stored: Buffer }[] = [];
    for (const { key, value } of this.expiryIndex.getRange({
      end: expiryIndexKey(now + 1, 0, Buffer.alloc(0)),
    })) {
      if (due.length >= limit) break;
      due.push({ key: Buffer.from(key), stored: Buffer.from(value) });
    }
    for (const { key, stored } of due) {
      const db = this.byPhysical[expiryIndexDb(key)];
      const record = db?.lmdb.getBinaryFast(stored);
      const at = expiryIndexTime(key);
      if (db !== undefined && record !== undefined && expiryOf(record) === at) {
        const redisKey = decodeKey(stored, record);
        const announce =
          this.notifier.flags & NOTIFY_EXPIRED && !db.takeExpiryAnnounced(redisKey.toString('latin1'), at);
        db.delete(redisKey, 0, redisKey.length);
        this.expiredKeys++;
        if (announce) this.notifier.notify(NOTIFY_EXPIRED, 'expired', redisKey, db.index, 0);
      }
      this.openBatch().ops.push(internalPut(this.expiryIndex, key, null));
    }
    return due.length;
  }

  /**
   * Log mode's active expiry: every node removes a key whose time has come from its own LMDB, in one
   * transaction, producing nothing (the key's record carries its expiry, so every node reaches the same
   * state). The overlay is above LMDB: a write of this node still on its way keeps the key it wrote.
   */
  private sweepLocally(now: number, limit: number): number {
    const due: { key: Buffer; stored: Buffer }[] = [];
    for (const { key, value } of this.expiryIndex.getRange({
      end: expiryIndexKey(now + 1, 0, Buffer.alloc(0)),
    })) {
      if (due.length >= limit) break;
      due.push({ key: Buffer.from(key), stored: Buffer.from(value) });
    }
    if (due.length === 0) return 0;
    if (!this.guard.admit((2 * due.length * this.pagesPerWrite(0) + COMMIT_BASE_PAGES) * this.pageSize))
      return 0;
    const removed: { db: Database; name: string; at: number }[] = [];
    this.root.transactionSync(() => {
      for (const { key, stored } of due) {
        const db = this.byPhysical[expiryIndexDb(key)];
        const record = db?.lmdb.getBinaryFast(stored);
        const at = expiryIndexTime(key);
        if (db !== undefined && record !== undefined && expiryOf(record) === at) {
          const redisKey = decodeKey(stored, record);
          const name = redisKey.toString('latin1');
          db.lmdb.removeSync(stored);
          db.slots?.removeSync(redisKey, stored);
          removed.push({ db, name, at });
        }
        this.expiryIndex.removeSync(key);
      }
    });
    this.expiredKeys += removed.length;
    for (const { db, name } of removed) db.appliedChanges([name]);
    for (const { db, name, at } of removed) {
      // Forgotten even with notifications off now (the key is gone); a key this node's own write still
      // hides did not expire for its clients.
      const announced = db.takeExpiryAnnounced(name, at);
      if (announced || !(this.notifier.flags & NOTIFY_EXPIRED) || db.overlay.has(name)) continue;
      this.notifier.notify(NOTIFY_EXPIRED, 'expired', Buffer.from(name, 'latin1'), db.index, 0);
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
  swap(a: number, b: number): WriteBatch {
    const da = this.dbs[a] as Database;
    const db = this.dbs[b] as Database;
    da.touchAll();
    db.touchAll();
    this.dbs[a] = db;
    this.dbs[b] = da;
    db.index = a;
    da.index = b;
    const map = Buffer.from(JSON.stringify(this.dbs.map((d) => d.physical)));
    const batch = this.joinBatch();
    batch.ops.push(internalPut(this.meta, DB_MAP_KEY, map));
    return batch;
  }

  // --- Collections' elements (see collections.ts) ---

  /** A new collection id: above every id stored, and above the clock's (so never one used before). */
  newId(): Buffer {
    const now = BigInt(Date.now()) << 16n;
    this.lastId = now > this.lastId ? now : this.lastId + 1n;
    const id = Buffer.allocUnsafe(ID_BYTES);
    id.writeBigUInt64BE(this.lastId);
    return id;
  }

  private highestId(): bigint {
    let highest = 0n;
    for (const dbi of [this.elements, this.owners]) {
      for (const { key } of dbi.getRange({ reverse: true, limit: 1 })) {
        if (key.length >= ID_BYTES) {
          const id = key.readBigUInt64BE(0);
          if (id > highest) highest = id;
        }
      }
    }
    return highest;
  }

  /** Records where collection `id`'s metadata lives (on creation, RENAME, MOVE), with the open batch. */
  setOwner(id: Buffer, physical: number, stored: Buffer): WriteBatch {
    const value = Buffer.allocUnsafe(2 + stored.length);
    value.writeUInt16BE(physical, 0);
    stored.copy(value, 2);
    const batch = this.joinBatch();
    batch.ops.push(internalPut(this.owners, Buffer.from(id), value));
    return batch;
  }

  /** An element's entry (see collections.ts), uncommitted writes first, or undefined. */
  /**
   * Writes element entry `stored` when its batch commits, as `encode(value)` (null deletes it); a later
   * call for the same entry replaces this one. Until then `deferredValue` gives `value` back, and every
   * read of the entry's bytes sees `encode(value)`. `value` may change until the batch commits (a sorted
   * set's nodes are changed in place by the batch's later commands): what is written is its encoding then.
   * A `putElement` of the same entry replaces it. `name`: the stored key's latin1 string, when the caller
   * has it.
   */
  deferElement<T>(
    stored: Buffer,
    value: T,
    encode: (value: T) => Buffer | null,
    name = latin1(stored, 0, stored.length),
  ): void {
    this.joinBatch();
    this.deferred.set(name, {
      stored,
      value,
      encode: encode as (value: unknown) => Buffer | null,
    });
  }

  /**
   * The value of a deferred entry (see `deferElement`), or undefined when none is deferred (so a deferred
   * value is never undefined itself).
   */
  deferredValue<T>(name: string): T | undefined {
    if (this.deferred.size === 0) return undefined;
    return this.deferred.get(name)?.value as T | undefined;
  }

  /** Writes every deferred entry into the open batch. */
  private writeDeferred(): void {
    if (this.deferred.size === 0) return;
    const entries = [...this.deferred.values()];
    this.deferred.clear();
    for (const d of entries) this.putElement(d.stored, d.encode(d.value));
  }

  /**
   * An element's entry, uncommitted writes included, or undefined. The entry read from LMDB is lmdb-js's
   * shared buffer, valid until the next read. `readCommitted` tells whether it came from LMDB.
   */
  getElement(stored: Buffer): Buffer | undefined {
    this.readCommitted = false;
    if (this.deferred.size > 0) {
      const d = this.deferred.get(this.nameOf(stored));
      if (d !== undefined) return d.encode(d.value) ?? undefined;
    }
    if (this.elementOverlay.size > 0) {
      const name = this.nameOf(stored);
      const pending = this.elementOverlay.get(this.namedId)?.get(name);
      if (pending !== undefined) return pending.record ?? undefined;
    }
    this.readCommitted = true;
    return asBuffer(this.elements.getBinaryFast(stored));
  }

  /** The overlay name of stored element key `stored`, its collection's in `namedId` (see `namedStored`). */
  private nameOf(stored: Buffer): string {
    if (this.namedStored !== stored) {
      this.namedStored = stored;
      this.namedId = latin1(stored, 0, ID_BYTES);
      this.namedFull = latin1(stored, 0, stored.length);
    }
    return this.namedFull;
  }

  /** Writes (or with null deletes) an element's entry: visible to reads at once, durable with the batch. */
  putElement(stored: Buffer, record: Buffer | null): WriteBatch {
    const batch = this.joinBatch();
    const name = this.nameOf(stored);
    const idName = this.namedId;
    let pending = this.elementOverlay.get(idName);
    if (pending === undefined) {
      pending = new Map();
      this.elementOverlay.set(idName, pending);
    }
    // A deferred write of the entry is replaced by this one (writeDeferred empties the map first).
    if (this.deferred.size > 0) this.deferred.delete(name);
    const replaced = pending.get(name);
    const log = this.log !== null && this.capturing === null;
    if (replaced !== undefined && replaced.batch === batch) {
      // The entry again in the same batch: as for a key (Database.write), its write takes the new record.
      if (!log) {
        replaced.record = record;
        return batch;
      }
      replaced.superseded = true;
    }
    const op: PutOp = {
      dbi: this.elements,
      stored,
      record,
      overlay: pending,
      key: name,
      previous: log ? replaced : undefined,
      batch,
      superseded: false,
      keep: log,
    };
    if (log) this.retainCollection(idName);
    pending.set(name, op);
    batch.ops.push(op);
    return batch;
  }

  /**
   * Every element of collection `id` in stored-key order, uncommitted writes included: the stored key
   * and the entry, from `after` on (exclusive). Entries may be lmdb-js's shared buffers: copy what you keep.
   */
  *elementsOf(id: Buffer, after?: Buffer): Generator<{ stored: Buffer; record: Buffer }> {
    this.writeDeferred();
    const pending = this.elementOverlay.get(latin1(id, 0, id.length));
    const overlay =
      pending === undefined
        ? []
        : [...pending.values()]
            .filter((op) => after === undefined || Buffer.compare(op.stored, after) > 0)
            .sort((a, b) => Buffer.compare(a.stored, b.stored));
    let o = 0;
    const start = after !== undefined && Buffer.compare(after, id) > 0 ? after : id;
    for (const { key, value } of this.elements.getRange({ start, end: idEnd(id) })) {
      if (after !== undefined && Buffer.compare(key, after) === 0) continue;
      while (o < overlay.length && Buffer.compare((overlay[o] as PutOp).stored, key) < 0) {
        const op = overlay[o++] as PutOp;
        if (op.record !== null) yield { stored: op.stored, record: op.record };
      }
      if (o < overlay.length && Buffer.compare((overlay[o] as PutOp).stored, key) === 0) {
        const op = overlay[o++] as PutOp;
        if (op.record !== null) yield { stored: op.stored, record: op.record };
        continue;
      }
      yield { stored: key, record: value };
    }
    for (; o < overlay.length; o++) {
      const op = overlay[o] as PutOp;
      if (op.record !== null) yield { stored: op.stored, record: op.record };
    }
  }

  /**
   * The entries whose stored keys are in [low, high] (both inclusive, both within one collection), in
   * key order or with `reverse` from high down, uncommitted writes included: a seek, then one step per
   * entry taken. Entries may be lmdb-js's shared buffers: copy what you keep.
   */
  *elementRange(low: Buffer, high: Buffer, reverse = false): Generator<{ stored: Buffer; record: Buffer }> {
    this.writeDeferred();
    const pending = this.elementOverlay.get(latin1(low, 0, ID_BYTES));
    const inside = (k: Buffer) => Buffer.compare(k, low) >= 0 && Buffer.compare(k, high) <= 0;
    const order = (a: Buffer, b: Buffer) => (reverse ? Buffer.compare(b, a) : Buffer.compare(a, b));
    // Every pending entry of the collection shares its id: the byte after it (the entry's kind) rules out
    // most of them at once (a stream's PEL and consumer entries for a range of its entries, say).
    const lowKind = low.length > ID_BYTES ? (low[ID_BYTES] as number) : -1;
    const highKind = high.length > ID_BYTES ? (high[ID_BYTES] as number) : 256;
    const overlay: PutOp[] = [];
    if (pending !== undefined) {
      for (const op of pending.values()) {
        const kind = op.stored.length > ID_BYTES ? (op.stored[ID_BYTES] as number) : -1;
        if (kind >= lowKind && kind <= highKind && inside(op.stored)) overlay.push(op);
      }
      overlay.sort((a, b) => order(a.stored, b.stored));
    }
    const range = reverse
      ? this.elements.getRange({ start: high, end: low.subarray(0, ID_BYTES), reverse: true })
      : this.elements.getRange({ start: low, end: Buffer.concat([high, Buffer.alloc(1)]) });
    let o = 0;
    for (const { key, value } of range) {
      if (reverse && Buffer.compare(key, low) < 0) break;
      while (o < overlay.length && order((overlay[o] as PutOp).stored, key) < 0) {
        const op = overlay[o++] as PutOp;
        if (op.record !== null) yield { stored: op.stored, record: op.record };
      }
      if (o < overlay.length && Buffer.compare((overlay[o] as PutOp).stored, key) === 0) {
        const op = overlay[o++] as PutOp;
        if (op.record !== null) yield { stored: op.stored, record: op.record };
        continue;
      }
      yield { stored: key, record: value };
    }
    for (; o < overlay.length; o++) {
      const op = overlay[o] as PutOp;
      if (op.record !== null) yield { stored: op.stored, record: op.record };
    }
  }

  /**
   * A hash field or set member of collection `id` (of `count` elements, at least one) picked at random,
   * for a single pick (SPOP, SRANDMEMBER, HRANDFIELD without a count): up to RANDOM_SEEK_PAST elements
   * uniformly, by position (`uniformElement`), past them by a seek (`seekElement`: two reads whatever
   * the size, not exactly uniform).
   * Undefined when the pick cannot be made so: the caller then reads the elements in order.
   */
  randomElement(id: Buffer, count: number): { stored: Buffer; record: Buffer } | undefined {
    return count > RANDOM_SEEK_PAST ? this.seekElement(id) : this.uniformElement(id, count);
  }

  /**
   * A hash field or set member of collection `id` (of `count` elements) picked at random, every one
   * equally likely, read by its position in LMDB (lmdb-js steps the cursor in native code, O(position)
   * without a JS object per step). Uncommitted writes of the collection may only be deletions (a run of
   * SPOPs in one batch), at most as many as the elements left: a position that one of them deletes, or
   * one past the committed entries, is drawn again, up to DRAWS times (all of them miss with a chance
   * below 2^-32). Undefined when the pick cannot be made so (uncommitted additions, more deletions than
   * elements, or every draw missed): the caller then reads in order.
   */
  private uniformElement(id: Buffer, count: number): { stored: Buffer; record: Buffer } | undefined {
    this.writeDeferred();
    const pending = this.elementOverlay.get(latin1(id, 0, id.length));
    let deleted = 0;
    if (pending !== undefined) {
      for (const op of pending.values()) {
        if (op.record !== null) return undefined;
        deleted++;
      }
    }
    // Most positions deleted: reading in order costs less than the draws would.
    if (deleted > count) return undefined;
    // Committed entries: at most count + deleted, each live one at its own position.
    const positions = count + deleted;
    const end = idEnd(id);
    for (let draw = 0; draw < DRAWS; draw++) {
      const offset = Math.floor(Math.random() * positions);
      for (const { key, value } of this.elements.getRange({ start: id, end, offset, limit: 1 })) {
        if (pending?.has(latin1(key, 0, key.length))) break;
        return { stored: Buffer.from(key), record: Buffer.from(value) };
      }
    }
    return undefined;
  }

  /**
   * An element of collection `id` picked at random, uncommitted writes included, or undefined when it has
   * none: the first element at or after a random point between its first and last stored keys. Cheap
   * whatever the size (two seeks), though not exactly uniform: an element after a wide gap in key order
   * is likelier (as Redis's own single random picks are not exactly uniform either).
   */
  private seekElement(id: Buffer): { stored: Buffer; record: Buffer } | undefined {
    this.writeDeferred();
    const idName = latin1(id, 0, id.length);
    const pending = this.elementOverlay.get(idName);
    const dirty = pending !== undefined && pending.size > 0;
    /** The first element at or after `start`, uncommitted writes included. */
    const from = (start: Buffer) => {
      if (!dirty) {
        for (const { key, value } of this.elements.getRange({ start, end: idEnd(id), limit: 1 })) {
          return { stored: Buffer.from(key), record: Buffer.from(value) };
        }
        return undefined;
      }
      // The first committed entry from `start` that no uncommitted write deletes, against the first
      // uncommitted entry from `start`: without sorting the overlay, which a run of SPOPs in one batch
      // (deletions only) fills, so that a pick stays cheap however many the batch has made.
      let first: PutOp | undefined;
      for (const op of (pending as Map<string, PutOp>).values()) {
        if (op.record === null || Buffer.compare(op.stored, start) < 0) continue;
        if (first === undefined || Buffer.compare(op.stored, first.stored) < 0) first = op;
      }
      for (const { key, value } of this.elements.getRange({ start, end: idEnd(id) })) {
        if (first !== undefined && Buffer.compare(first.stored, key) <= 0) break;
        const op = (pending as Map<string, PutOp>).get(latin1(key, 0, key.length));
        if (op === undefined) return { stored: Buffer.from(key), record: Buffer.from(value) };
        // Rewritten: the overlay's entry is at or after `first`'s key, so `first` would be it.
        if (op.record !== null) break;
      }
      return first === undefined
        ? undefined
        : { stored: Buffer.from(first.stored), record: Buffer.from(first.record as Buffer) };
    };
    // The first and last stored keys bound the random point; they are remembered for a while (a stale
    // bound only skews the pick a little), so that a pick is usually one read.
    let bounds = this.randomBounds.get(idName);
    if (bounds === undefined || bounds.uses++ >= 64) {
      const first = from(id);
      if (first === undefined) return undefined;
      let last: Buffer = first.stored;
      for (const { key } of this.elements.getRange({ start: idEnd(id), end: id, reverse: true, limit: 1 })) {
        if (Buffer.compare(key, last) > 0) last = Buffer.from(key);
      }
      if (pending !== undefined) {
        for (const op of pending.values())
          if (op.record !== null && Buffer.compare(op.stored, last) > 0) last = op.stored;
      }
      if (this.randomBounds.size >= 1024) this.randomBounds.clear();
      bounds = { first: first.stored, last, uses: 0 };
      this.randomBounds.set(idName, bounds);
    }
    const a = bounds.first;
    const b = bounds.last;
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    // Past the common prefix, each byte is drawn between the two bounds' bytes at that position (names
    // made of digits, hex or letters then stay within their alphabet), past both bounds' ends at random.
    const point = Buffer.alloc(Math.max(a.length, b.length, p + 1) + 2);
    b.copy(point, 0, 0, p);
    for (let i = p; i < point.length; i++) {
      const x = i < a.length ? (a[i] as number) : null;
      const y = i < b.length ? (b[i] as number) : null;
      const low = x !== null && y !== null ? Math.min(x, y) : 0;
      const high = x !== null && y !== null ? Math.max(x, y) : (x ?? y ?? 255);
      point[i] = low + Math.floor(Math.random() * (high - low + 1));
    }
    if (Buffer.compare(point, id) <= 0) point.set(id);
    const picked = from(point) ?? from(id);
    if (picked === undefined) this.randomBounds.delete(idName);
    return picked;
  }

  /** Element stored key of `name` in collection `id` (re-exported for the commands). */
  elementKey(id: Buffer, name: Uint8Array, start?: number, end?: number): Buffer {
    return elementKey(id, name, start, end);
  }

  /** Entries in the elements sub-database: live collections' elements and those not reclaimed yet. */
  get storedElements(): number {
    return (this.elements.getStats() as { entryCount: number }).entryCount;
  }

  /**
   * Log mode: a write on its way refers to collection `idName` (latin1 of its id): an element entry, or
   * a key record holding it. Its kept element entries stay until no such write is left.
   */
  retainCollection(idName: string): void {
    if (this.capturing !== null) return;
    this.collectionRefs.set(idName, (this.collectionRefs.get(idName) ?? 0) + 1);
  }

  /** Log mode: a settled batch's writes no longer refer to their collections (see `retainCollection`). */
  private releaseCollections(ops: readonly Op[]): void {
    for (const op of ops) {
      if ('clear' in op || op.overlay === null) continue;
      let idName: string;
      if (op.dbi === this.elements) idName = latin1(op.stored, 0, ID_BYTES);
      else if (op.record !== null && typeOf(op.record) !== TYPE_STRING) {
        const id = idOf(op.record);
        idName = latin1(id, 0, ID_BYTES);
      } else continue;
      const left = (this.collectionRefs.get(idName) ?? 1) - 1;
      if (left > 0) {
        this.collectionRefs.set(idName, left);
        continue;
      }
      this.collectionRefs.delete(idName);
      // Nothing reads this collection through the overlay any more: LMDB holds what was applied.
      this.elementOverlay.delete(idName);
    }
  }

  /**
   * Runs `fn` with writes going into a batch of their own, outside the open batch, the overlays and the
   * log: returns that batch's operations (element entries, owner entries, deferred entries encoded), the
   * element entries taken back out of the element overlay. Log mode restores a collection applied from
   * the topic this way (log/values.ts): with the RESTORE command's code, under a new collection id that
   * nothing else reads. Writes of keys' records must not go through a `Database` meanwhile.
   */
  capture(fn: () => void): Op[] {
    const saved = { batch: this.batch, deferred: this.deferred, recorder: this.recorder };
    const batch = new WriteBatch();
    this.batch = batch;
    this.capturing = batch;
    this.deferred = new Map();
    this.recorder = null;
    try {
      fn();
      this.writeDeferred();
    } finally {
      this.batch = saved.batch;
      this.deferred = saved.deferred;
      this.recorder = saved.recorder;
      this.capturing = null;
      for (const op of batch.ops) if (!('clear' in op) && op.overlay !== null) op.overlay.delete(op.key);
      this.dropEmptiedElementMaps(batch.ops);
    }
    return batch.ops;
  }

  /**
   * Forgets the per-collection element overlay maps that `ops` left empty (settled, or taken back out by
   * `capture`).
   */
  private dropEmptiedElementMaps(ops: readonly Op[]): void {
    for (const op of ops) {
      if (op.dbi !== this.elements || 'clear' in op) continue;
      // Only a map this batch emptied is looked up (by its id's name, made here).
      const pending = op.overlay;
      if (pending === null || pending.size > 0) continue;
      const idName = latin1(op.stored, 0, ID_BYTES);
      if (this.elementOverlay.get(idName) === pending) this.elementOverlay.delete(idName);
    }
  }

  /**
   * The orphan sweep: reclaims the elements of collections that no key holds any more (deleted, expired,
   * overwritten, flushed), up to `limit` elements per call, reading committed state only (it skips a turn
   * while writes are pending). Each id's owner entry goes once its elements are gone.
   */
  collectOrphans(limit = 5000, scan = 256): number {
    // Log mode too: with no write on its way, nothing reads a collection through the overlay, and LMDB
    // (where applied records restore collections under new ids) tells live collections from orphans.
    if (this.pending || this.guard.refusing) return 0;
    let reclaimed = 0;
    let scanned = 0;
    // An orphan with more elements than one call reclaims is drained first, over the next calls.
    const orphans: Buffer[] = this.draining === null ? [] : [this.draining];
    this.draining = null;
    let last: Buffer | null = null;
    const scanning = orphans.length === 0;
    const owners = scanning ? this.owners.getRange({ start: this.orphanCursor ?? Buffer.from([0]) }) : [];
    for (const { key, value } of owners) {
      if (this.orphanCursor !== null && Buffer.compare(key, this.orphanCursor) === 0) continue;
      if (++scanned > scan) break;
      last = Buffer.from(key);
      const db = this.byPhysical[value.readUInt16BE(0)];
      const record = db?.lmdb.getBinaryFast(value.subarray(2));
      const live = record !== undefined && typeOf(record) !== TYPE_STRING && idOf(record).equals(key);
      if (!live) orphans.push(last);
    }
    if (scanning) this.orphanCursor = scanned > scan ? last : null;
    if (orphans.length === 0) return 0;
    const pages = (limit + orphans.length) * this.pagesPerWrite(0) + COMMIT_BASE_PAGES;
    if (!this.guard.admit(pages * this.pageSize)) return 0;
    this.root.transactionSync(() => {
      for (const id of orphans) {
        let left = false;
        for (const { key } of this.elements.getRange({ start: id, end: idEnd(id) })) {
          if (reclaimed >= limit) {
            left = true;
            break;
          }
          this.elements.removeSync(key);
          reclaimed++;
        }
        if (left) {
          this.draining = id;
          break;
        }
        this.owners.removeSync(id);
      }
    });
    this.reclaimedElements += reclaimed;
    return reclaimed;
  }

  /** Deletes every key of every database, and the expiry index. */
  clearAll(): WriteBatch {
    this.observer.flushed();
    this.deferred.clear();
    for (const db of this.dbs) db.queueClear();
    const batch = this.joinBatch();
    // Log mode: the deletions are tombstones on their way; the collections they hide stay readable
    // through the overlay for a write that fails and gives its key back.
    if (this.log === null) this.elementOverlay.clear();
    this.decoded.clear();
    for (const dbi of [this.expiryIndex, this.elements, this.owners]) batch.ops.push({ dbi, clear: true });
    this.commitNow();
    return batch;
  }

  /** Keys with an expiry per database, and their average time to live in ms (INFO keyspace). */
  expiringStats(now = Date.now()): { expires: number; avgTtl: number }[] {
    const stats = this.dbs.map(() => ({ expires: 0, avgTtl: 0 }));
    const totals = this.dbs.map(() => 0);
    for (const { key, value } of this.expiryIndex.getRange({})) {
      const db = this.byPhysical[expiryIndexDb(key)];
      const record = db?.lmdb.getBinaryFast(value);
      const at = expiryIndexTime(key);
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
   * Flushes everything committed so far to disk (fsync): lmdb-js's "flushed", where "committed" means
   * visible and surviving the process. Resolves once a flush that started after this call has
   * completed; calls that arrive during a flush share the next one.
   */
  flushToDisk(): Promise<void> {
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
          return this.flushToDisk();
        },
        () => {
          this.flushQueued = null;
          return this.flushToDisk();
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
    this.guard.close();
    await this.flushToDisk();
    await this.root.close();
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
