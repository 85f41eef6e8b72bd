/**
 * What hash and set commands share: opening a key's collection (or replying WRONGTYPE), reading and
 * writing its elements, and storing its metadata back (see keyspace/collections.ts for the layout).
 */
import { sliceCopy } from '@sluice/protocol';
import { errorReply } from '../errors.js';
import {
  type CollectionMeta,
  decodeMeta,
  elementName,
  elementSeq,
  elementValueStart,
  encodeElement,
  encodeMeta,
  ID_BYTES,
  idOf,
  LIST_MIDDLE,
  TYPE_LIST,
  TYPE_STREAM,
  TYPE_STRING,
  typeFlags,
  typeOf,
} from '../keyspace/collections.js';
import { encodeKey, encodeRecord, expiryOf, latin1 } from '../keyspace/encoding.js';
import { globMatch } from '../keyspace/glob.js';
import type { Database, RememberedMeta } from '../keyspace/keyspace.js';
import { integerArg, isToken, recordAt } from './_args.js';
import type { CommandContext } from './context.js';
import { scanCursor } from './generic/SCAN.js';

/** A collection opened by a command: its metadata, expiry, and whether it is new (not stored yet). */
export interface OpenCollection extends CollectionMeta {
  expiresAt: number;
  readonly created: boolean;
  readonly type: number;
  /** The metadata as stored when opened (null when created): `saveAt` writes only what changed. */
  readonly stored: Readonly<CollectionMeta> | null;
  /**
   * What a command builds over the collection as it runs, made on first use and gone with the command
   * (a sorted set's tree: sortedset/_shared.ts, `treeOf`).
   */
  work: unknown;
}

/**
 * The collection of `type` at argument i (of `db`): null when the key does not exist, undefined after
 * replying WRONGTYPE when it holds another type.
 */
export function openAt(
  c: CommandContext,
  i: number,
  type: number,
  db: Database = c.db,
): OpenCollection | null | undefined {
  const a = c.args;
  // A key read since its last write: its metadata as decoded then (Database.metas).
  let name: string | undefined;
  if (db.remembersMetas) {
    name = latin1(a.buffer, a.argStart(i), a.argEnd(i));
    const known = db.metas.get(name);
    if (known != null && (known.expiresAt === 0 || known.expiresAt > c.now)) {
      if (known.type !== type) {
        c.out.error(errorReply('wrongType'));
        return undefined;
      }
      return opened(known.meta, known.expiresAt, type);
    }
  }
  const record = recordAt(c, i, db);
  if (record === undefined) return null;
  const held = typeOf(record);
  const expiresAt = expiryOf(record);
  // A string's record holds no metadata; a collection of another type is remembered too.
  const meta = held === TYPE_STRING ? null : decodeMeta(record);
  if (name !== undefined && meta !== null) db.rememberMeta(name, { type: held, meta, expiresAt });
  if (held !== type || meta === null) {
    c.out.error(errorReply('wrongType'));
    return undefined;
  }
  return opened(meta, expiresAt, type);
}

/** An existing collection opened from its stored metadata (shared, never changed: `stored`). */
function opened(meta: Readonly<CollectionMeta>, expiresAt: number, type: number): OpenCollection {
  return {
    id: meta.id,
    count: meta.count,
    large: meta.large,
    nextSeq: meta.nextSeq,
    head: meta.head,
    expiresAt,
    created: false,
    type,
    stored: meta,
    work: undefined,
  };
}

/** Like `openAt`, a missing key giving a new empty collection (stored by `saveAt` once it has elements). */
export function openOrCreateAt(c: CommandContext, i: number, type: number): OpenCollection | undefined {
  const open = openAt(c, i, type);
  if (open === undefined) return undefined;
  return open ?? newCollection(c, type);
}

export function newCollection(c: CommandContext, type: number): OpenCollection {
  const id = c.server.keyspace.newId();
  const head = type === TYPE_LIST ? LIST_MIDDLE : 0;
  return {
    id,
    count: 0,
    large: false,
    nextSeq: 0,
    head,
    expiresAt: 0,
    created: true,
    type,
    stored: null,
    work: undefined,
  };
}

/**
 * Whether a write command on collections may run: the one switch for types that log mode cannot carry
 * yet. Hashes, sets, lists and sorted sets all can (each key a batch leaves changed is one record, its
 * whole value as DUMP serializes it: see log/records.ts), so this allows every write; a type without
 * DUMP support must call it with `carried` false, and replies `collectionsLogMode` in log mode. (Should
 * such a write get through, its batch fails as it closes, with the same error: log/records.ts.)
 */
export function collectionWritesAllowed(c: CommandContext, carried = true): boolean {
  if (carried || c.server.logMode === null) return true;
  c.out.error(errorReply('collectionsLogMode'));
  return false;
}

/**
 * Stores a collection's metadata under the key at argument i (of `db`), keeping its expiry; deletes the
 * key when the collection is empty (Redis never keeps an empty collection).
 */
export function saveAt(c: CommandContext, i: number, coll: OpenCollection, db: Database = c.db): void {
  const a = c.args;
  saveKey(c, a.buffer, a.argStart(i), a.argEnd(i), coll, db);
}

/** `saveAt` for a key given as bytes. */
export function saveKey(
  c: CommandContext,
  buf: Uint8Array,
  start: number,
  end: number,
  coll: OpenCollection,
  db: Database = c.db,
): void {
  // A stream stays when its last entry goes (XDEL, XTRIM): it keeps its last id and its groups.
  if (coll.count === 0 && coll.type !== TYPE_STREAM) {
    if (!coll.created) db.delete(buf, start, end);
    return;
  }
  const was = coll.stored;
  if (
    // Log mode: the key's record is written whatever changed, so that the batch's records carry the key
    // (keyspace/batch.ts; log/records.ts makes the key's record a DUMP of its whole value).
    c.server.logMode === null &&
    was !== null &&
    was.count === coll.count &&
    was.large === coll.large &&
    was.nextSeq === coll.nextSeq &&
    was.head === coll.head
  ) {
    // Only elements changed: the metadata stays as stored; WATCHers of the key still learn of it.
    if (db.watchers.size > 0) db.touch(Buffer.from(buf.subarray(start, end)).toString('latin1'));
    return;
  }
  const meta = encodeMeta(coll);
  db.putCollection(
    buf,
    start,
    end,
    encodeRecord(buf, start, end, meta, 0, meta.length, coll.expiresAt, typeFlags(coll.type)),
    rememberedAs(coll),
  );
  if (coll.created) c.server.keyspace.setOwner(coll.id, db.physical, encodeKey(buf, start, end));
}

/**
 * What `openAt` would decode from the record `saveKey` writes for `coll`: a snapshot, for
 * Database.putCollection to remember.
 */
export function rememberedAs(coll: OpenCollection): RememberedMeta {
  const meta: CollectionMeta = {
    id: coll.id,
    count: coll.count,
    large: coll.large,
    nextSeq: coll.nextSeq >>> 0,
    head: coll.head,
  };
  return { type: coll.type, meta, expiresAt: coll.expiresAt };
}

/**
 * After a collection's record was stored under another key or in another database (RENAME, MOVE):
 * the orphan sweep must find it there.
 */
export function movedRecord(c: CommandContext, db: Database, key: Uint8Array, record: Uint8Array): void {
  if (typeOf(record) === TYPE_STRING) return;
  c.server.keyspace.setOwner(Buffer.from(idOf(record)), db.physical, encodeKey(key));
}

/** An element's entry (field or member `name[start, end)`), or undefined. */
export function getElement(
  c: CommandContext,
  coll: CollectionMeta,
  name: Uint8Array,
  start = 0,
  end = name.length,
): Buffer | undefined {
  if (coll.count === 0) return undefined;
  const keyspace = c.server.keyspace;
  return keyspace.getElement(keyspace.elementKey(coll.id, name, start, end));
}

/** Argument i's element entry in `coll`, or undefined. */
export function elementAt(c: CommandContext, coll: CollectionMeta, i: number): Buffer | undefined {
  const a = c.args;
  return getElement(c, coll, a.buffer, a.argStart(i), a.argEnd(i));
}

/**
 * Writes element `name` with `value` (a hash field's; none for a set member), counting it in when new.
 * Returns whether it was new. `existing`: its entry when the caller has read it (keeps its insertion
 * number), else it is read here.
 *
 * An entry read here from LMDB, committed, that the write would leave byte for byte as it is (a field set
 * to the value it holds) is not written again: the command's state already holds on disk, so neither a
 * copy of the B-tree page nor a commit is spent on it, and the reply waits for nothing of its own. The
 * command's other effects stay (its keyspace event, WATCH and client-side caching invalidation, which
 * Redis signals for an unchanged value too). An entry read from the overlay is written as before: the
 * reply must wait for a batch that carries it, in case the write it read fails. Not in log mode, where
 * the key's record goes to the topic whatever changed.
 */
export function putElement(
  c: CommandContext,
  coll: OpenCollection,
  name: Buffer,
  value?: Uint8Array,
  existing: Buffer | undefined | null = null,
): boolean {
  const keyspace = c.server.keyspace;
  const stored = keyspace.elementKey(coll.id, name);
  const read = existing === null && coll.count !== 0;
  const old = read ? keyspace.getElement(stored) : existing === null ? undefined : existing;
  if (old === undefined) {
    keyspace.putElement(stored, encodeElement(stored, name, coll.nextSeq++, value));
    coll.count++;
    return true;
  }
  const record = encodeElement(stored, name, elementSeq(old), value);
  // `old` may be lmdb-js's shared read buffer, whose byteLength is not its length: compare by range.
  const unchanged =
    read &&
    keyspace.readCommitted &&
    c.server.logMode === null &&
    record.length === old.length &&
    record.compare(old, 0, old.length) === 0;
  if (!unchanged) keyspace.putElement(stored, record);
  return false;
}

/** Deletes element `name`; returns whether it existed. */
export function deleteElement(
  c: CommandContext,
  coll: OpenCollection,
  name: Uint8Array,
  start = 0,
  end = name.length,
): boolean {
  if (coll.count === 0) return false;
  const keyspace = c.server.keyspace;
  const stored = keyspace.elementKey(coll.id, name, start, end);
  if (keyspace.getElement(stored) === undefined) return false;
  keyspace.putElement(stored, null);
  coll.count--;
  return true;
}

/** One element read whole: its name, value (hashes), and insertion number. */
export interface Element {
  readonly name: Buffer;
  readonly value: Buffer;
  readonly seq: number;
}

/**
 * Every element of a collection, copied, in the order Redis lists it: insertion order while the
 * collection is in its small encoding (listpack), stored-key order once large (Redis's hashtable order
 * is its own: any order is as good). Sets of integers in their intset encoding are sorted by value by
 * the set commands themselves.
 */
export function allElements(c: CommandContext, coll: CollectionMeta): Element[] {
  const out: Element[] = [];
  if (coll.count === 0) return out;
  for (const { stored, record } of c.server.keyspace.elementsOf(coll.id)) {
    out.push({
      name: elementName(stored, record),
      value: sliceCopy(record, elementValueStart(record), record.length),
      seq: elementSeq(record),
    });
  }
  if (!coll.large) out.sort((x, y) => x.seq - y.seq);
  return out;
}

/** The value part of an element's entry (a view of it). */
export function elementValue(record: Buffer): Buffer {
  return record.subarray(elementValueStart(record));
}

/**
 * COPY of a collection: a new collection (a new id) with a copy of every element, stored under `to` in
 * `target` with the source's expiry and encoding. `source` may be lmdb-js's shared read buffer.
 */
export function copyCollection(c: CommandContext, source: Buffer, target: Database, to: Buffer): void {
  const meta = decodeMeta(source);
  const keyspace = c.server.keyspace;
  const copy: OpenCollection = {
    ...meta,
    id: keyspace.newId(),
    expiresAt: expiryOf(source),
    created: true,
    type: typeOf(source),
    stored: null,
    work: undefined,
  };
  for (const { stored, record } of keyspace.elementsOf(meta.id)) {
    const key = Buffer.from(stored);
    copy.id.copy(key, 0);
    keyspace.putElement(key, Buffer.from(record));
  }
  saveKey(c, to, 0, to.length, copy, target);
}

/**
 * How a scan reads a type's elements where hashes' defaults do not fit: sets list an intset by value,
 * and a sorted set's entries include its tree's nodes, and its values are scores to print.
 */
export interface ScanSource {
  /** Every element of a collection in its small encoding, in the order it lists them (default: insertion order). */
  readonly small?: (c: CommandContext, coll: CollectionMeta) => Element[];
  /**
   * An entry of a large collection, in stored-key order, as the element to list; null when it is not an
   * element and none follows it (default: every entry is an element, its value as stored).
   */
  readonly entry?: (stored: Buffer, record: Buffer) => Element | null;
}

const storedElement = (stored: Buffer, record: Buffer): Element => ({
  name: elementName(stored, record),
  value: sliceCopy(record, elementValueStart(record), record.length),
  seq: 0,
});

/**
 * HSCAN, SSCAN and ZSCAN: a collection in its small encoding answers every element at once with cursor
 * 0, as redis-server does; a large one is walked in stored-key order, `count` elements per call, the
 * cursor standing for the last element returned (see keyspace/cursors.ts).
 */
export function scanCollection(
  c: CommandContext,
  coll: CollectionMeta | null,
  options: { cursor: bigint; pattern: Buffer | null; count: number },
  /** Reply items per element: 1 (SSCAN's members) or 2 (HSCAN's fields and values). */
  itemsPerElement: 1 | 2,
  source: ScanSource = {},
): void {
  const out = c.out;
  const matched: Element[] = [];
  let next = '0';
  if (coll !== null && !coll.large) {
    for (const e of source.small === undefined ? allElements(c, coll) : source.small(c, coll)) {
      if (options.pattern === null || globMatch(options.pattern, e.name)) matched.push(e);
    }
  } else if (coll !== null) {
    const cursors = c.server.cursors;
    const position =
      options.cursor === 0n || options.cursor > BigInt(Number.MAX_SAFE_INTEGER)
        ? undefined
        : cursors.resolve(SCAN_ELEMENTS_DB, Number(options.cursor));
    // A cursor handed out for another collection starts the scan over.
    const after = position?.subarray(0, ID_BYTES).equals(coll.id) ? position : undefined;
    let examined = 0;
    let last: Buffer | undefined;
    let more = false;
    const entry = source.entry ?? storedElement;
    for (const { stored, record } of c.server.keyspace.elementsOf(coll.id, after)) {
      const element = entry(stored, record);
      if (element === null) break;
      if (examined === options.count) {
        more = true;
        break;
      }
      examined++;
      last = Buffer.from(stored);
      if (options.pattern !== null && !globMatch(options.pattern, element.name)) continue;
      matched.push(element);
    }
    if (more && last !== undefined) next = String(cursors.issue(SCAN_ELEMENTS_DB, last));
  }
  out.arrayHeader(2);
  out.bulkString(next);
  out.arrayHeader(matched.length * itemsPerElement);
  for (const e of matched) {
    out.bulk(e.name);
    if (itemsPerElement === 2) out.bulk(e.value);
  }
}

/** The cursor table's "database" for HSCAN/SSCAN cursors (element keys carry their collection's id). */
const SCAN_ELEMENTS_DB = -1;

/**
 * HSCAN, SSCAN and ZSCAN as redis-server runs them: the cursor (argument 2) is checked first, then the
 * key (missing: an empty scan; another type: WRONGTYPE), then the options (MATCH, COUNT).
 */
export function scanCommand(
  c: CommandContext,
  type: number,
  itemsPerElement: 1 | 2,
  source?: ScanSource,
): void {
  const a = c.args;
  const cursor = scanCursor(a.argString(2, 'latin1'));
  if (cursor === null) {
    c.out.error(errorReply('invalidCursor'));
    return;
  }
  const coll = openAt(c, 1, type);
  if (coll === undefined) return;
  if (coll === null) {
    c.out.arrayHeader(2);
    c.out.bulkString('0');
    c.out.arrayHeader(0);
    return;
  }
  let pattern: Buffer | null = null;
  let count = 10;
  for (let j = 3; j < a.argc; j += 2) {
    if (j + 1 >= a.argc) {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (isToken(c, j, 'match')) {
      pattern = a.argCopy(j + 1);
    } else if (isToken(c, j, 'count')) {
      const n = integerArg(c, j + 1);
      if (n === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      if (n < 1) {
        c.out.error(errorReply('syntax'));
        return;
      }
      count = n;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }
  scanCollection(c, coll, { cursor, pattern, count }, itemsPerElement, source);
}
