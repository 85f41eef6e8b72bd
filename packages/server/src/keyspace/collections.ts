/**
 * How collections (hashes, sets) are stored: one LMDB entry per element, so that a write or a read of
 * one element costs the same whatever the collection's size.
 *
 * - The key's record (in its database's sub-database, as a string's) is the collection's metadata: the
 *   record's flags byte names its type (bits 4–6), and its value holds the collection's id (8 bytes,
 *   never reused), its element count, whether Redis would have converted it to its large encoding
 *   (hashtable) yet, and the next insertion number.
 * - Elements live in the `elements` sub-database, shared by every database, keyed by the collection's
 *   id, then a tag byte and the element's name (field or member): `id · 0x00 · name` for names of up to
 *   `MAX_DIRECT_NAME` bytes, `id · 0x01 · SHA-256(name)` for longer ones, whose entry then holds the
 *   name. An element's entry holds a flags byte, its insertion number (for the order Redis's small
 *   encodings keep), the name when hashed, then the value (a hash field's value; nothing for a set).
 * - A list's elements have indexes: its metadata also holds the index of its first element (`head`),
 *   and the list is the indexes head … head + count - 1, without gaps. A new list starts at LIST_MIDDLE,
 *   a push at the left takes head - 1, one at the right head + count. Elements are stored by chunks of
 *   LIST_CHUNK consecutive indexes, aligned on multiples of LIST_CHUNK (`listEntryKey`), each entry a
 *   flags byte and 4 zero bytes (an element entry's header), the first slot used, the number of elements,
 *   their lengths (4 bytes each; the top bit marks an element longer than LIST_INLINE_MAX, stored in an
 *   entry of its own), then the elements. A push or a pop rewrites one chunk, LINDEX and LSET reach any
 *   element with one read, LRANGE reads LIST_CHUNK elements per entry; LINSERT and LREM move the elements
 *   on one side of the change.
 * - A sorted set's members are elements as a hash's fields are, each entry's value its score (float64
 *   LE), so that ZSCORE and ZADD find a member with one read. Its order is an order-statistic B+tree
 *   (commands/sortedset/_tree.ts) whose nodes are entries `id · 0x03 · n` (n: the node's number, 4 bytes
 *   big-endian) and whose inner nodes' child counts are entries `id · 0x04 · n`; the root's number is in
 *   the metadata's `head`, the next node number in its insertion number (`nextSeq`).
 * - A stream's entries are entries `id · 0x00 · ms · seq` (the entry id, 8 + 8 bytes big-endian, so key
 *   order is id order): XADD writes past the last one, and XRANGE, XREVRANGE and XREAD are range reads.
 *   Its metadata's count is its length (a stream may be empty and still exist); the rest of its state
 *   (last id, max deleted id, entries added, first id) is the entry `id · 0x05`. Redis keeps a stream in
 *   listpack nodes of up to stream-node-max-entries entries: `id · 0x06 · master id` records each node
 *   (its live and deleted entries, bytes, last id, master fields), so that MAXLEN ~ and MINID ~ remove
 *   the entries redis-server removes. Consumer groups are entries `id · 0x07 · name`, their consumers
 *   `id · 0x08 · group · consumer`, and each group's pending entries list (PEL) is `id · 0x09 · group ·
 *   entry id`, with each consumer's own view `id · 0x0a · group · consumer · entry id`, so that XACK,
 *   XCLAIM and XPENDING ranges are seeks (see commands/stream/_shared.ts).
 * - Deleting a collection (DEL, expiry, an overwrite, FLUSHDB) only removes its metadata: the elements
 *   become unreachable at once (no other key has that id) and a background sweep reclaims them, a
 *   bounded number per turn. The `owners` sub-database maps each id to where its metadata lives (the
 *   sub-database and stored key), so that the sweep can tell a live collection from an orphan by reading
 *   one record; RENAME and MOVE rewrite it.
 */
import { createHash } from 'node:crypto';
import { copyBytes, sliceCopy } from '@sluice/protocol';
import { layout } from './encoding.js';

export const TYPE_STRING = 0;
export const TYPE_HASH = 1;
export const TYPE_SET = 2;
export const TYPE_LIST = 3;
export const TYPE_ZSET = 4;
export const TYPE_STREAM = 5;
/** Redis's type names (TYPE, SCAN TYPE), by type number. */
export const TYPE_NAMES: readonly string[] = ['string', 'hash', 'set', 'list', 'zset', 'stream'];
const TYPE_SHIFT = 4;
export const TYPE_MASK = 0x70;

/** The type of a record (TYPE_STRING for a string). */
export function typeOf(record: Uint8Array): number {
  return ((record[0] as number) & TYPE_MASK) >> TYPE_SHIFT;
}

/** The flags bits that mark a record's type. */
export function typeFlags(type: number): number {
  return type << TYPE_SHIFT;
}

export const ID_BYTES = 8;
/** Element names up to this length are stored in the key as they are (LMDB keys stop at 1978 bytes). */
export const MAX_DIRECT_NAME = 1978 - ID_BYTES - 1;
const TAG_DIRECT = 0x00;
const TAG_HASHED = 0x01;
const ELEMENT_HASHED = 0x01;
const META_BYTES = ID_BYTES + 8 + 1 + 4;
/** A list's metadata also holds the index of its first element (8 more bytes). */
const LIST_META_BYTES = META_BYTES + 8;
const META_LARGE = 0x01;

/** A collection's metadata: the value of its key's record. */
export interface CollectionMeta {
  readonly id: Buffer;
  /** Number of elements (a collection is deleted when it reaches 0). */
  count: number;
  /** Converted to Redis's large encoding (hashtable): once converted, it stays so, as in Redis. */
  large: boolean;
  /** The insertion number the next new element gets. */
  nextSeq: number;
  /** Lists: the index of the first element (the others follow it without gaps); 0 for other types. */
  head: number;
}

export function decodeMeta(record: Buffer): CollectionMeta {
  const start = layout(record).valueStart;
  // A copy: the record may be lmdb-js's shared read buffer.
  const id = Buffer.allocUnsafe(ID_BYTES);
  copyBytes(id, 0, record, start, start + ID_BYTES);
  return {
    id,
    count: record.readDoubleLE(start + ID_BYTES),
    large: ((record[start + ID_BYTES + 8] as number) & META_LARGE) !== 0,
    nextSeq: record.readUInt32LE(start + ID_BYTES + 9),
    head: record.length - start >= LIST_META_BYTES ? record.readDoubleLE(start + META_BYTES) : 0,
  };
}

/** The id of a collection's record, without decoding the rest (a view: copy it to keep it). */
export function idOf(record: Uint8Array): Buffer {
  const start = layout(record).valueStart;
  return Buffer.from(record.buffer, record.byteOffset + start, ID_BYTES);
}

export function encodeMeta(meta: CollectionMeta): Buffer {
  const out = Buffer.allocUnsafe(meta.head === 0 ? META_BYTES : LIST_META_BYTES);
  if (meta.head !== 0) out.writeDoubleLE(meta.head, META_BYTES);
  meta.id.copy(out, 0);
  out.writeDoubleLE(meta.count, ID_BYTES);
  out[ID_BYTES + 8] = meta.large ? META_LARGE : 0;
  out.writeUInt32LE(meta.nextSeq >>> 0, ID_BYTES + 9);
  return out;
}

/**
 * Where a new list's indexes start: 2^52 pushes fit on either side, and every index stays an exact
 * double (head is stored as one).
 */
export const LIST_MIDDLE = 2 ** 52;

/** Elements per list chunk: the element at index i is in chunk floor(i / LIST_CHUNK), slot i % LIST_CHUNK. */
export const LIST_CHUNK = 16;
/** List elements longer than this are stored in an entry of their own, so that a chunk stays small. */
export const LIST_INLINE_MAX = 256;

/**
 * The stored key of chunk `n` of list `id` (`id · 0x00 · n`), or with `outOfLine` of the element at index
 * `n` stored in its own entry (`id · 0x02 · n`); n is 8 bytes big-endian, so key order is list order.
 */
export function listEntryKey(id: Uint8Array, n: number, outOfLine = false): Buffer {
  const out = Buffer.allocUnsafe(ID_BYTES + 9);
  out.set(id, 0);
  out[ID_BYTES] = outOfLine ? 0x02 : 0x00;
  out.writeUInt32BE(Math.floor(n / 2 ** 32), ID_BYTES + 1);
  out.writeUInt32BE(n >>> 0, ID_BYTES + 5);
  return out;
}

/** The stored key of node `n` of sorted set `id`'s tree, or with `counts` of that inner node's counts. */
export function zsetNodeKey(id: Uint8Array, n: number, counts = false): Buffer {
  const out = Buffer.allocUnsafe(ID_BYTES + 5);
  out.set(id, 0);
  out[ID_BYTES] = counts ? 0x04 : 0x03;
  out.writeUInt32BE(n, ID_BYTES + 1);
  return out;
}

/** The stored key of element `name[start, end)` of collection `id`. */
export function elementKey(id: Uint8Array, name: Uint8Array, start = 0, end = name.length): Buffer {
  const len = end - start;
  if (len <= MAX_DIRECT_NAME) {
    const out = Buffer.allocUnsafe(ID_BYTES + 1 + len);
    out.set(id, 0);
    out[ID_BYTES] = TAG_DIRECT;
    copyBytes(out, ID_BYTES + 1, name, start, end);
    return out;
  }
  const out = Buffer.allocUnsafe(ID_BYTES + 1 + 32);
  out.set(id, 0);
  out[ID_BYTES] = TAG_HASHED;
  createHash('sha256')
    .update(name.subarray(start, end))
    .digest()
    .copy(out, ID_BYTES + 1);
  return out;
}

/** An element's entry: its insertion number, its name when hashed, and its value. */
export function encodeElement(
  stored: Uint8Array,
  name: Uint8Array,
  seq: number,
  value: Uint8Array = EMPTY,
): Buffer {
  const hashed = stored[ID_BYTES] === TAG_HASHED;
  const header = 5 + (hashed ? 4 + name.length : 0);
  const out = Buffer.allocUnsafe(header + value.length);
  out[0] = hashed ? ELEMENT_HASHED : 0;
  out.writeUInt32LE(seq >>> 0, 1);
  if (hashed) {
    out.writeUInt32LE(name.length, 5);
    out.set(name, 9);
  }
  out.set(value, header);
  return out;
}

const EMPTY = new Uint8Array(0);

/** The insertion number of an element's entry. */
export function elementSeq(record: Uint8Array): number {
  return (
    (record[1] as number) |
    ((record[2] as number) << 8) |
    ((record[3] as number) << 16) |
    (((record[4] as number) << 24) >>> 0)
  );
}

/** Where an element entry's value starts. */
export function elementValueStart(record: Uint8Array): number {
  if (((record[0] as number) & ELEMENT_HASHED) === 0) return 5;
  return 9 + Buffer.from(record.buffer, record.byteOffset, record.length).readUInt32LE(5);
}

/** An element's name, from its stored key (and, when hashed, its entry). A fresh buffer. */
export function elementName(stored: Uint8Array, record: Uint8Array): Buffer {
  if (stored[ID_BYTES] === TAG_DIRECT) return sliceCopy(stored, ID_BYTES + 1, stored.length);
  const len = Buffer.from(record.buffer, record.byteOffset, record.length).readUInt32LE(5);
  return sliceCopy(record, 9, 9 + len);
}

/**
 * The stored key of a stream's part: `tag` (a byte) then `rest` (an entry id's 16 bytes, a node's master
 * id, a group's name…).
 */
export function streamKey(id: Uint8Array, tag: number, ...rest: Uint8Array[]): Buffer {
  let len = ID_BYTES + 1;
  for (const r of rest) len += r.length;
  const out = Buffer.allocUnsafe(len);
  out.set(id, 0);
  out[ID_BYTES] = tag;
  let at = ID_BYTES + 1;
  for (const r of rest) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

/** The first stored key past every element of `id` (for range ends). */
export function idEnd(id: Uint8Array): Buffer {
  const out = Buffer.from(id);
  for (let i = ID_BYTES - 1; i >= 0; i--) {
    if (out[i] !== 0xff) {
      out[i] = (out[i] as number) + 1;
      return out.subarray(0, i + 1);
    }
  }
  return Buffer.alloc(ID_BYTES + 1, 0xff);
}
