import { randomBytes } from 'node:crypto';
import type { Database as LmdbDatabase } from 'lmdb';
import { NOTIFY_EXPIRED, NOTIFY_NEW, type Notifier } from '../pubsub/notify.js';
import { internalPut, type Op, type PutOp, type WriteBatch } from './batch.js';
import {
  type CollectionMeta,
  decodeMeta,
  ID_BYTES,
  idOf,
  TYPE_STREAM,
  TYPE_STRING,
  typeOf,
} from './collections.js';
import {
  asBuffer,
  decodeKey,
  encodeKey,
  expiryIndexKey,
  expiryOf,
  FLAG_HASHED_KEY,
  KeyRange,
  latin1,
  layout,
  MAX_DIRECT_KEY,
} from './encoding.js';
import type { SlotIndex } from './slot-index.js';

/** What a database needs of the keyspace it belongs to. */
export interface DatabaseHost {
  /** The batch that writes join now, recorded for the command being run (Keyspace.joinBatch). */
  joinBatch(): WriteBatch;
  /** Commits the open batch now. */
  commitNow(): void;
  readonly expiryIndex: LmdbDatabase<Buffer, Buffer>;
  /**
   * Log mode: writes are records produced to Kafka and applied from it, not LMDB commits of their own
   * (see log/log-mode.ts).
   */
  readonly logMode: boolean;
  /** Keyspace notifications: the keyspace announces new keys and expired ones itself. */
  readonly notifier: Notifier;
  /** Who learns of changed keys beyond WATCH: client-side caching (tracking/table.ts). */
  readonly observer: KeyObserver;
  /** Log mode: a write on its way refers to collection `idName` (see Keyspace.retainCollection). */
  retainCollection(idName: string): void;
}

/** What learns that keys changed, beyond WATCH: client-side caching's tracking table (tracking/table.ts). */
export interface KeyObserver {
  /** Nothing to tell while 0: checked before any other work. */
  readonly size: number;
  /** Key `name` (latin1) changed: written, deleted, expired, or applied from the topic. */
  changed(name: string): void;
  /** FLUSHDB or FLUSHALL emptied databases. */
  flushed(): void;
}

/** A collection's metadata as `Database.metas` keeps it: what `openAt` decodes from the key's record. */
export interface RememberedMeta {
  readonly type: number;
  readonly meta: Readonly<CollectionMeta>;
  /** The record's expiry (0: none): a remembered key past it is read again (and found expired). */
  readonly expiresAt: number;
}

/** Keys whose metadata a database remembers at most. */
const MAX_METAS = 1024;

// The key of the read under way, so that reads allocate nothing.
const readKey = new KeyRange();
const NO_BYTES = new Uint8Array(0);
/** Below every stored key: where ranges start (lmdb-js's default start suits its own key encodings only). */
const FIRST_KEY = Buffer.from([0]);

function firstOf<T>(items: Iterable<T>): T | undefined {
  for (const item of items) return item;
  return undefined;
}

/** A connection blocked on keys (see `Database.blocked`). */
export interface KeyWaiter {
  /** When it first blocked: waiters are served in this order. */
  readonly order: number;
  /** The collection type it waits for (TYPE_LIST, …). */
  readonly type: number;
  /** Takes it out of every queue it is in and runs its command again; `key`: the key written that woke it. */
  wake(key?: string): void;
}

/** One Redis database (SELECT index): an LMDB sub-database plus the overlay of uncommitted writes. */
export class Database {
  /** Uncommitted writes by key (latin1 string of the key's bytes). Reads look here first. */
  readonly overlay = new Map<string, PutOp>();
  /** WATCHed keys (latin1 string) and the callbacks that learn of a write to them. */
  readonly watchers = new Map<string, Set<() => void>>();
  /**
   * Connections blocked on a key (BLPOP, BLMOVE, …), by key (latin1 string), in the order they first
   * blocked. A write that leaves a collection of the type a waiter waits for under its key wakes as many
   * waiters as the collection has elements; each runs its command again (commands/_blocking.ts).
   */
  readonly blocked = new Map<string, KeyWaiter[]>();
  /**
   * Log mode: keys that a record applied from the topic changed in LMDB while a write of this node hid
   * them in the overlay. Their WATCHers learn of it when that write leaves the overlay (`settled`).
   */
  private readonly hiddenChanges = new Set<string>();
  /**
   * Keys whose expiry a read has announced (`expired`) while their record is still stored, by key
   * (latin1), with the expiry announced: the announcement is made once, by the first read or by the
   * active expiry, as redis-server's deletion on read makes it once. A write of the key forgets it.
   */
  private readonly expiryAnnounced = new Map<string, number>();
  /** Cluster mode: the index of this database's keys by hash slot (database 0 only), else null. */
  slots: SlotIndex | null = null;
  /**
   * Collection metadata as commands last decoded it (commands/_collection.ts, `openAt`), by key
   * (latin1), so that a run of commands on one collection reads and decodes its key's record once. A
   * collection command storing new metadata remembers it as written (`putCollection`); any other write
   * of the key (committed or not) drops the entry, and FLUSHDB and a failed commit drop all (the
   * overlay's records are then gone). Not used in log mode, where records applied from the
   * topic change LMDB under the overlay.
   */
  readonly metas = new Map<string, RememberedMeta | null>();

  constructor(
    /** The number clients SELECT; SWAPDB changes it. */
    public index: number,
    /** Which LMDB sub-database (`db<physical>`) holds the data; never changes. */
    readonly physical: number,
    readonly lmdb: LmdbDatabase<Buffer, Buffer>,
    private readonly host: DatabaseHost,
  ) {}

  /**
   * The record stored under `key[start, end)`, or undefined. Expired records count as absent.
   * The buffer may be lmdb-js's shared read buffer: use it before the next read, copy what you keep.
   */
  get(key: Uint8Array, start: number, end: number, now: number): Buffer | undefined {
    const record = this.getIncludingExpired(key, start, end);
    if (record === undefined) return undefined;
    const expiresAt = expiryOf(record);
    if (expiresAt === 0 || expiresAt > now) return record;
    // Expired but not yet removed (active expiry removes it soon): caches learn of it now, as redis-server's
    // lazy expiry tells them.
    const observer = this.host.observer;
    if (observer.size > 0) observer.changed(latin1(key, start, end));
    if (this.host.notifier.flags & NOTIFY_EXPIRED) this.announceExpired(key, start, end, expiresAt);
    return undefined;
  }

  /** A read found the key expired: announces it (`expired`) unless that was done for this expiry. */
  private announceExpired(key: Uint8Array, start: number, end: number, expiresAt: number): void {
    const name = latin1(key, start, end);
    if (this.expiryAnnounced.get(name) === expiresAt) return;
    this.expiryAnnounced.set(name, expiresAt);
    this.host.notifier.notify(NOTIFY_EXPIRED, 'expired', key.subarray(start, end), this.index);
  }

  /**
   * Active expiry removes `name`, whose record expired at `expiresAt`: whether a read has already
   * announced it (then it is not announced again).
   */
  takeExpiryAnnounced(name: string, expiresAt: number): boolean {
    if (this.expiryAnnounced.get(name) !== expiresAt) return false;
    this.expiryAnnounced.delete(name);
    return true;
  }

  /** Log mode: records applied from the topic replaced these keys (Buffers): their expiry is a new one. */
  forgetExpiryAnnounced(keys: readonly { readonly key: Buffer }[]): void {
    if (this.expiryAnnounced.size === 0) return;
    for (const { key } of keys) this.expiryAnnounced.delete(key.toString('latin1'));
  }

  getIncludingExpired(key: Uint8Array, start: number, end: number): Buffer | undefined {
    if (this.overlay.size > 0) {
      const pending = this.overlay.get(latin1(key, start, end));
      if (pending !== undefined) return pending.record ?? undefined;
    }
    readKey.buf = key;
    readKey.start = start;
    readKey.end = end;
    // The data sub-databases' key encoder takes a KeyRange where lmdb-js's types say key.
    const record = asBuffer(this.lmdb.getBinaryFast(readKey as unknown as Buffer));
    readKey.buf = NO_BYTES;
    if (record === undefined || end - start <= MAX_DIRECT_KEY) return record;
    // A hashed key: check that the record is this key's (SHA-256 collisions aside, it always is).
    const l = layout(record);
    if ((l.flags & FLAG_HASHED_KEY) === 0) return undefined;
    return Buffer.compare(record.subarray(l.keyStart, l.keyEnd), key.subarray(start, end)) === 0
      ? record
      : undefined;
  }

  /**
   * Stores `record` (see encodeRecord) under `key[start, end)`. Visible to reads at once; returns the
   * batch whose commit makes it durable.
   */
  put(key: Uint8Array, start: number, end: number, record: Buffer): WriteBatch {
    return this.write(key, start, end, record);
  }

  /**
   * `put` of a collection's record whose metadata is `meta` (what `openAt` would decode from `record`):
   * the key's metadata is remembered as written (see `metas`), so that the next command on the key (the
   * next RPUSH, the next new field's HSET) neither reads nor decodes the record.
   */
  putCollection(
    key: Uint8Array,
    start: number,
    end: number,
    record: Buffer,
    meta: RememberedMeta,
  ): WriteBatch {
    return this.write(key, start, end, record, false, meta);
  }

  /**
   * Stores a new record for a key whose value clients see unchanged (SORT converting a sorted set to its
   * large encoding, which redis-server does without a word): no event, and no WATCHer, client-side cache
   * or blocked client learns of it.
   */
  putQuietly(key: Uint8Array, start: number, end: number, record: Buffer): WriteBatch {
    return this.write(key, start, end, record, true);
  }

  /**
   * Deletes a key clients already see absent (cluster mode's fence writing a key's state again,
   * log/fence.ts): no event, and no WATCHer, client-side cache or blocked client learns of it.
   */
  deleteQuietly(key: Uint8Array, start: number, end: number): WriteBatch {
    return this.write(key, start, end, null, true);
  }

  /** Deletes `key[start, end)`. Visible to reads at once; returns the batch whose commit makes it durable. */
  delete(key: Uint8Array, start: number, end: number): WriteBatch {
    return this.write(key, start, end, null);
  }

  /** Whether `metas` may be used: in local mode only. */
  get remembersMetas(): boolean {
    return !this.host.logMode;
  }

  /** Remembers a key's collection metadata (see `metas`); bounded: past MAX_METAS, starts over. */
  rememberMeta(name: string, meta: RememberedMeta): void {
    if (this.metas.size >= MAX_METAS) this.metas.clear();
    this.metas.set(name, meta);
  }

  /**
   * Forgets a key's remembered metadata. Its entry is set to null rather than deleted: V8 shrinks a Map
   * whose deletions leave it under a quarter full, and a command that opens a key and then writes it
   * (every RPUSH) would otherwise reallocate the table each time (9% of the server's time under
   * redis-benchmark's RPUSH -P 16). The entries stay bounded by MAX_METAS.
   */
  private forgetMeta(name: string): void {
    if (this.metas.size > 0 && this.metas.get(name) != null) this.metas.set(name, null);
  }

  private write(
    key: Uint8Array,
    start: number,
    end: number,
    record: Buffer | null,
    quiet = false,
    meta?: RememberedMeta,
  ): WriteBatch {
    const name = latin1(key, start, end);
    this.forgetMeta(name);
    if (!quiet) {
      const notifier = this.host.notifier;
      // A key created: `new`, as redis-server's dbAdd announces it (reading it also announces its expiry).
      if (notifier.flags & (NOTIFY_NEW | NOTIFY_EXPIRED) && record !== null)
        this.announceNew(key, start, end);
      if (this.expiryAnnounced.size > 0) this.expiryAnnounced.delete(name);
      if (this.watchers.size > 0) this.touch(name);
      const observer = this.host.observer;
      if (observer.size > 0) observer.changed(name);
      if (record !== null && this.blocked.size > 0) this.wakeWaiters(name, record);
    }
    const batch = this.host.joinBatch();
    const log = this.host.logMode;
    const slots = this.slots;
    const replaced = this.overlay.get(name);
    if (replaced !== undefined && replaced.batch === batch && !log && slots === null) {
      // The key again in the same batch (a push onto a list, a new field's count): its write there takes
      // the new record, where a new write would supersede it. The batch commits as a whole, so where
      // in it the key is written does not matter.
      replaced.record = record;
      if (record !== null) this.indexExpiry(batch, record, replaced.stored);
      if (meta !== undefined) this.rememberMeta(name, meta);
      return batch;
    }
    const stored = encodeKey(key, start, end);
    // Cluster mode: the slot index gains or loses the key's entry when the key appears or goes (in log
    // mode, when the key's record is applied: Keyspace.applyRecords).
    if (
      slots !== null &&
      !log &&
      (this.getIncludingExpired(key, start, end) !== undefined) !== (record !== null)
    )
      slots.written(batch, key, start, end, stored, record !== null);
    if (replaced !== undefined && replaced.batch === batch) replaced.superseded = true;
    const op: PutOp = {
      dbi: this.lmdb,
      stored,
      record,
      overlay: this.overlay,
      key: name,
      previous: log ? replaced : undefined,
      batch,
      superseded: false,
    };
    this.overlay.set(name, op);
    batch.ops.push(op);
    if (log && record !== null && typeOf(record) !== TYPE_STRING)
      this.host.retainCollection(latin1(idOf(record), 0, ID_BYTES));
    if (record !== null) this.indexExpiry(batch, record, stored);
    if (meta !== undefined && !log) this.rememberMeta(name, meta);
    return batch;
  }

  /** A record with an expiry gets its entry in the expiry index, in the same batch. */
  private indexExpiry(batch: WriteBatch, record: Buffer, stored: Buffer): void {
    const expiresAt = expiryOf(record);
    if (expiresAt === 0) return;
    batch.ops.push(
      internalPut(this.host.expiryIndex, expiryIndexKey(expiresAt, this.physical, stored), stored),
    );
  }

  /** Before a write of `key`: announces `new` when it does not exist (an expired key does not). */
  private announceNew(key: Uint8Array, start: number, end: number): void {
    const notifier = this.host.notifier;
    if (this.get(key, start, end, notifier.now) !== undefined || !notifier.wants(NOTIFY_NEW)) return;
    notifier.notify(NOTIFY_NEW, 'new', key.subarray(start, end), this.index);
  }

  /** Log mode's FLUSHDB: a deletion of each key, committed (in LMDB) or still in the overlay. */
  private deleteEach(): WriteBatch {
    const names = new Set<string>();
    for (const { key } of this.entries()) names.add(key.toString('latin1'));
    for (const [name, op] of this.overlay) {
      if (op.record === null) names.delete(name);
      else names.add(name);
    }
    let batch = this.host.joinBatch();
    for (const name of names) {
      const key = Buffer.from(name, 'latin1');
      batch = this.delete(key, 0, key.length);
    }
    return batch;
  }

  /**
   * Log mode: records applied from the topic changed these keys in LMDB. Their WATCHers (and client-side
   * caches) learn of it now, or, for a key a write of this node still hides, once that write has left the
   * overlay.
   */
  appliedChanges(names: Iterable<string>): void {
    const observer = this.host.observer;
    for (const name of names) {
      this.forgetMeta(name);
      if (!this.overlay.has(name)) {
        this.touch(name);
        if (observer.size > 0) observer.changed(name);
        if (this.blocked.has(name)) this.wakeApplied(name);
      } else if (this.watchers.has(name) || observer.size > 0) this.hiddenChanges.add(name);
    }
  }

  /**
   * Log mode: a record applied from the topic left key `name` as it is in LMDB now: the clients blocked
   * on it that its collection can serve wake (each runs its command again, a write of its own).
   */
  private wakeApplied(name: string): void {
    const key = Buffer.from(name, 'latin1');
    const record = this.get(key, 0, key.length, Date.now());
    // Read whole before any other read (the waiters run their commands again in a later turn).
    if (record !== undefined) this.wakeWaiters(name, record);
  }

  /** Log mode: writes of this node left the overlay; WATCHers of keys they hid learn of the change. */
  settled(ops: readonly Op[]): void {
    if (this.hiddenChanges.size === 0) return;
    for (const op of ops) {
      const name = (op as PutOp).key;
      if (name !== undefined && !this.overlay.has(name) && this.hiddenChanges.delete(name)) {
        this.touch(name);
        const observer = this.host.observer;
        if (observer.size > 0) observer.changed(name);
      }
    }
  }

  /** Tells the WATCHers of `name` that it changed. */
  /** Wakes the waiters of key `name` that `record`'s collection can serve (one element each). */
  private wakeWaiters(name: string, record: Buffer): void {
    const queue = this.blocked.get(name);
    if (queue === undefined) return;
    const type = typeOf(record);
    if (type === TYPE_STRING) return;
    // Every reader of a stream may take the same new entries: they all wake.
    let left = type === TYPE_STREAM ? queue.length : decodeMeta(record).count;
    for (const waiter of [...queue]) {
      if (left === 0) break;
      if (waiter.type !== type) continue;
      waiter.wake(name);
      left--;
    }
  }

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
  clear(): WriteBatch {
    this.host.observer.flushed();
    const batch = this.queueClear();
    this.host.commitNow();
    return batch;
  }

  /**
   * Queues the deletion of every key; reads see it once it commits. In log mode that is a deletion of
   * every key this node holds, committed or on its way, each a tombstone in the topic.
   */
  queueClear(): WriteBatch {
    if (this.host.logMode) return this.deleteEach();
    this.expiryAnnounced.clear();
    this.metas.clear();
    this.touchAll();
    // Writes still in the overlay are committed (see above) and waiting for a flush: they are gone now.
    this.overlay.clear();
    const batch = this.host.joinBatch();
    const op: Op = { dbi: this.lmdb, clear: true };
    batch.ops.push(op);
    if (this.slots !== null) batch.ops.push({ dbi: this.slots.dbi, clear: true });
    return batch;
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
