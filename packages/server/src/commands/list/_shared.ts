/**
 * What the list commands share: a list is a collection whose elements have indexes head … head + count - 1,
 * stored by chunks of consecutive indexes (see keyspace/collections.ts), so that pushes and pops at either
 * end, LINDEX and LSET touch one chunk. A command reads the chunks it changes once and stores them back
 * with the list (`saveListAt`). redis-server 7.0 reports every list as `quicklist`.
 */
import { LIST_CHUNK, LIST_INLINE_MAX, listEntryKey, TYPE_LIST } from '../../keyspace/collections.js';
import { latin1 } from '../../keyspace/encoding.js';
import type { Database } from '../../keyspace/keyspace.js';
import { isToken } from '../_args.js';
import { type OpenCollection, openAt, saveKey } from '../_collection.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from '../spec.js';

/** What every list command's spec shares. */
export const base = { group: 'list' } as const satisfies Partial<CommandSpec>;
/** The spec of a command whose only key is argument 1. */
export const oneKey = {
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
} as const satisfies Partial<CommandSpec>;

/** The list at argument i: null when missing, undefined once WRONGTYPE is replied. */
export function listAt(c: CommandContext, i: number, db?: Database): OpenCollection | null | undefined {
  return openAt(c, i, TYPE_LIST, db);
}

const CHUNK = LIST_CHUNK;
const INLINE_MAX = LIST_INLINE_MAX;
/** A chunk's length field with this bit set: the element is in its own entry. */
const OUT_OF_LINE = 0x80000000;
/** Bytes before a chunk's data: the element-entry header (collections.ts), first slot, count. */
const CHUNK_HEADER = 5 + 2;
const chunkKey = (id: Buffer, n: number): Buffer => listEntryKey(id, n);
const ownKey = (id: Buffer, index: number): Buffer => listEntryKey(id, index, true);

/** The slot value of an element stored out of line and not read yet. */
const LAZY = Buffer.alloc(0);

/** A chunk's element at `slot`, reading it from its own entry when it is stored out of line. */
function resolve(c: CommandContext, list: OpenCollection, n: number, chunk: Chunk, slot: number): Buffer {
  const value = chunk.slots[slot];
  if (value == null) throw new Error(`list element ${n * CHUNK + slot} is missing`);
  if (value !== LAZY) return value;
  const loaded = ownElement(c, list, n * CHUNK + slot);
  chunk.slots[slot] = loaded;
  return loaded;
}

/** The element at `index` stored out of line (in its own entry), copied. */
function ownElement(c: CommandContext, list: OpenCollection, index: number): Buffer {
  const own = c.server.keyspace.getElement(ownKey(list.id, index));
  if (own === undefined) throw new Error(`list element ${index} is missing`);
  return Buffer.from(own.subarray(5, own.length));
}

/** A chunk entry of `bytes` bytes, its header written: the element-entry header, first slot, count. */
function newChunk(bytes: number, first: number, count: number): Buffer {
  const record = Buffer.allocUnsafe(bytes);
  record.fill(0, 0, 5);
  record[5] = first;
  record[6] = count;
  return record;
}

/** The entry of an element stored out of line: the element-entry header, then the element. */
function ownEntry(value: Uint8Array): Buffer {
  const entry = Buffer.allocUnsafe(5 + value.length);
  entry.fill(0, 0, 5);
  entry.set(value, 5);
  return entry;
}

/** A chunk read by a command: its slots, and what changed since it was read. */
interface Chunk {
  readonly slots: (Buffer | null)[];
  /** Slots whose element was stored out of line when read (their entries exist). */
  readonly outOfLine: Set<number>;
  /** Slots written since the chunk was read or last stored. */
  changed: Set<number> | null;
}

/**
 * The chunks an open list has read (a command's working set, stored back by `saveListAt`), kept in the
 * open collection's `work`: a property, not a WeakMap, whose entries cost the garbage collector on every
 * command.
 */
const chunkCache = {
  get(list: OpenCollection): Map<number, Chunk> | undefined {
    return list.work as Map<number, Chunk> | undefined;
  },
  set(list: OpenCollection, chunks: Map<number, Chunk>): void {
    list.work = chunks;
  },
};

/** Reads chunk `n` of list `id` from the keyspace (uncommitted writes included), copying its elements. */
function readChunk(c: CommandContext, id: Buffer, n: number): Chunk {
  const slots: (Buffer | null)[] = new Array(CHUNK).fill(null);
  const outOfLine = new Set<number>();
  const keyspace = c.server.keyspace;
  const found = keyspace.getElement(chunkKey(id, n));
  if (found !== undefined) {
    const { first, values } = decodeChunk(found);
    for (let j = 0; j < values.length; j++) {
      const slot = first + j;
      const value = values[j] ?? null;
      if (value === null) {
        // Stored out of line, read when first used (`resolve`): a push or a pop need not read its
        // neighbours.
        slots[slot] = LAZY;
        outOfLine.add(slot);
      } else {
        slots[slot] = value;
      }
    }
  }
  return { slots, outOfLine, changed: null };
}

/** Chunk `n` of `list`, from the command's cache or read into it. */
function chunkOf(c: CommandContext, list: OpenCollection, n: number): Chunk {
  let cache = chunkCache.get(list);
  if (cache === undefined) {
    cache = new Map();
    chunkCache.set(list, cache);
  }
  let chunk = cache.get(n);
  if (chunk === undefined) {
    chunk = readChunk(c, list.id, n);
    cache.set(n, chunk);
  }
  return chunk;
}

/** Chunk `n` for reading only: the cached one if the command has it, else read without caching it. */
function peekChunk(c: CommandContext, list: OpenCollection, n: number): Chunk {
  return chunkCache.get(list)?.get(n) ?? readChunk(c, list.id, n);
}

/** Stores the chunks a command changed (and the elements stored out of line among them). */
function storeChunks(c: CommandContext, list: OpenCollection): void {
  const cache = chunkCache.get(list);
  if (cache === undefined) return;
  const keyspace = c.server.keyspace;
  for (const [n, chunk] of cache) {
    if (chunk.changed === null) continue;
    for (const slot of chunk.changed) {
      const value = chunk.slots[slot] ?? null;
      if (value === LAZY) continue;
      const key = ownKey(list.id, n * CHUNK + slot);
      if (value !== null && value.length > INLINE_MAX) {
        keyspace.putElement(key, ownEntry(value));
        chunk.outOfLine.add(slot);
      } else if (chunk.outOfLine.delete(slot)) {
        keyspace.putElement(key, null);
      }
    }
    chunk.changed = null;
    let first = 0;
    while (first < CHUNK && chunk.slots[first] === null) first++;
    if (first === CHUNK) {
      keyspace.putElement(chunkKey(list.id, n), null);
      continue;
    }
    let end = first;
    while (end < CHUNK && chunk.slots[end] !== null) end++;
    for (let k = end; k < CHUNK; k++) {
      if (chunk.slots[k] !== null) throw new Error(`list chunk ${n} has a gap at slot ${end}`);
    }
    const entries: ChunkEntries = { first, lens: [], values: [] };
    for (let k = first; k < end; k++) {
      const value = chunk.slots[k] as Buffer;
      const inline = value !== LAZY && value.length <= INLINE_MAX;
      entries.lens.push(inline ? value.length : (OUT_OF_LINE | value.length) >>> 0);
      entries.values.push(inline ? value : null);
    }
    keyspace.putElement(chunkKey(list.id, n), encodeChunk(entries));
  }
}

/** The element at `position` (0 ≤ position < count). */
export function itemAt(c: CommandContext, list: OpenCollection, position: number): Buffer {
  return reader(c, list)(position);
}

/**
 * A function that reads elements by position, keeping the last chunk it read: for scans, which then
 * read each chunk once.
 */
export function reader(c: CommandContext, list: OpenCollection): (position: number) => Buffer {
  let last = Number.NaN;
  let chunk: Chunk | undefined;
  return (position) => {
    const index = list.head + position;
    const n = Math.floor(index / CHUNK);
    if (n !== last || chunk === undefined) {
      chunk = peekChunk(c, list, n);
      last = n;
    }
    return resolve(c, list, n, chunk, index - n * CHUNK);
  };
}

/** Writes the element at `position` (any index: the caller keeps head and count right). */
export function setItem(c: CommandContext, list: OpenCollection, position: number, value: Uint8Array): void {
  writeSlot(c, list, list.head + position, Buffer.isBuffer(value) ? value : Buffer.from(value));
}

function deleteItem(c: CommandContext, list: OpenCollection, position: number): void {
  writeSlot(c, list, list.head + position, null);
}

function writeSlot(c: CommandContext, list: OpenCollection, index: number, value: Buffer | null): void {
  const n = Math.floor(index / CHUNK);
  const chunk = chunkOf(c, list, n);
  const slot = index - n * CHUNK;
  chunk.slots[slot] = value;
  chunk.changed ??= new Set();
  chunk.changed.add(slot);
}

/**
 * Calls `visit` with each element at positions from … to (inclusive, within the list), in order, as a
 * range of bytes valid during the call: LRANGE's path, reading the stored chunks with one cursor.
 */
export function forEachItem(
  c: CommandContext,
  list: OpenCollection,
  from: number,
  to: number,
  visit: (buf: Buffer, start: number, end: number) => void,
): void {
  if (from > to) return;
  const lo = list.head + from;
  const hi = list.head + to;
  const firstChunk = Math.floor(lo / CHUNK);
  const lastChunk = Math.floor(hi / CHUNK);
  const cache = chunkCache.get(list);
  if (cache !== undefined && cache.size > 0) {
    // The command changed chunks (not stored yet): read element by element.
    const read = reader(c, list);
    for (let p = from; p <= to; p++) {
      const value = read(p);
      visit(value, 0, value.length);
    }
    return;
  }
  const keyspace = c.server.keyspace;
  // A list's chunks are contiguous: one point read each (cheaper in lmdb-js than a cursor's steps).
  for (let n = firstChunk; n <= lastChunk; n++) {
    const found = keyspace.getElement(chunkKey(list.id, n));
    if (found === undefined) throw new Error(`list chunk ${n} is missing`);
    let record = found;
    const first = record[5] as number;
    const count = record[6] as number;
    let pos = CHUNK_HEADER + 4 * count;
    const base = n * CHUNK + first;
    for (let j = 0; j < count; j++) {
      const len = record.readUInt32LE(CHUNK_HEADER + 4 * j);
      const index = base + j;
      if ((len & OUT_OF_LINE) !== 0) {
        if (index >= lo && index <= hi) {
          // Another read may reuse the cursor's buffer: keep this chunk first.
          if (record === found) record = Buffer.from(found.subarray(0, found.length));
          const own = keyspace.getElement(ownKey(list.id, index));
          if (own === undefined) throw new Error(`list element ${index} is missing`);
          visit(own, 5, own.length);
        }
        continue;
      }
      if (index >= lo && index <= hi) visit(record, pos, pos + len);
      pos += len;
    }
  }
}

/** Pushes `value` at the head (left) or the tail. */
export function push(c: CommandContext, list: OpenCollection, value: Uint8Array, left: boolean): void {
  const index = left ? list.head - 1 : list.head + list.count;
  const n = Math.floor(index / CHUNK);
  if (chunkCache.get(list)?.has(n)) {
    writeSlot(c, list, index, Buffer.isBuffer(value) ? value : Buffer.from(value));
  } else {
    pushStored(c, list, n, index - n * CHUNK, value, left);
  }
  if (left) list.head--;
  list.count++;
}

/**
 * A chunk's entry as its elements' length fields and bytes (null for an element stored out of line), from
 * slot `first` on: what `encodeChunk` writes and `decodeChunk` reads. A chunk pushed onto or popped from
 * by commands that have not read it (`pushStored`, `popStored`) is kept so, deferred in the keyspace
 * (`deferElement`), and encoded once when the batch commits, however many pushes and pops of the batch
 * change it (reads meanwhile see its encoding).
 */
interface ChunkEntries {
  first: number;
  readonly lens: number[];
  readonly values: (Buffer | null)[];
}

/** A chunk's entries from its stored entry (copied: the entry may be lmdb-js's read buffer). */
function decodeChunk(found: Buffer): ChunkEntries {
  const record = Buffer.from(found.subarray(0, found.length));
  const count = record[6] as number;
  const chunk: ChunkEntries = { first: record[5] as number, lens: [], values: [] };
  let pos = CHUNK_HEADER + 4 * count;
  for (let j = 0; j < count; j++) {
    const len = record.readUInt32LE(CHUNK_HEADER + 4 * j);
    chunk.lens.push(len);
    if ((len & OUT_OF_LINE) !== 0) {
      chunk.values.push(null);
    } else {
      chunk.values.push(record.subarray(pos, pos + len));
      pos += len;
    }
  }
  return chunk;
}

/** A chunk's stored entry, or null (delete it) when it has no element. */
function encodeChunk(chunk: ChunkEntries): Buffer | null {
  const count = chunk.lens.length;
  if (count === 0) return null;
  let bytes = CHUNK_HEADER + 4 * count;
  for (let j = 0; j < count; j++) bytes += chunk.values[j]?.length ?? 0;
  const record = newChunk(bytes, chunk.first, count);
  let pos = CHUNK_HEADER + 4 * count;
  for (let j = 0; j < count; j++) {
    record.writeUInt32LE(chunk.lens[j] as number, CHUNK_HEADER + 4 * j);
    const value = chunk.values[j];
    if (value != null) {
      value.copy(record, pos);
      pos += value.length;
    }
  }
  return record;
}

/**
 * The stored key of the end chunk last used and its latin1 name: a run of pushes onto one list's tail
 * uses the same chunk 16 times. (Keys are never changed once made, so they can be shared.)
 */
let lastEnd: { readonly id: Buffer; readonly n: number; readonly key: Buffer; readonly name: string } | null =
  null;

/**
 * Chunk `n` of list `id` as the batch's deferred end chunk: the one deferred already, else the stored
 * one decoded (a copy: the stored bytes may be lmdb-js's read buffer), or an empty one when `fresh`
 * (nothing is stored in the chunk: a push fills its first slot).
 */
function endChunk(c: CommandContext, id: Buffer, n: number, fresh: boolean): ChunkEntries {
  const keyspace = c.server.keyspace;
  let last = lastEnd;
  if (last === null || last.n !== n || (last.id !== id && !last.id.equals(id))) {
    const key = chunkKey(id, n);
    last = { id, n, key, name: latin1(key, 0, key.length) };
    lastEnd = last;
  }
  const { key, name } = last;
  let chunk = keyspace.deferredValue<ChunkEntries>(name);
  if (chunk !== undefined) return chunk;
  const found = fresh ? undefined : keyspace.getElement(key);
  chunk = found === undefined ? { first: 0, lens: [], values: [] } : decodeChunk(found);
  keyspace.deferElement(key, chunk, encodeChunk, name);
  return chunk;
}

/**
 * A push onto a chunk the command has not read: the element joins the chunk's deferred form (see
 * `ChunkEntries`), without the chunk being decoded into slots; later reads see it at once.
 */
function pushStored(
  c: CommandContext,
  list: OpenCollection,
  n: number,
  slot: number,
  value: Uint8Array,
  left: boolean,
): void {
  const own = value.length > INLINE_MAX;
  if (own) {
    c.server.keyspace.putElement(ownKey(list.id, n * CHUNK + slot), ownEntry(value));
  }
  const lenField = own ? (OUT_OF_LINE | value.length) >>> 0 : value.length;
  const bytes = own ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
  // A push at the left fills a chunk from its end, one at the right from its start.
  const chunk = endChunk(c, list.id, n, left ? slot === CHUNK - 1 : slot === 0);
  const count = chunk.lens.length;
  if (count > 0 && slot !== (left ? chunk.first - 1 : chunk.first + count)) {
    throw new Error(`list chunk ${n} does not end next to slot ${slot}`);
  }
  if (left) {
    chunk.first = slot;
    chunk.lens.unshift(lenField);
    chunk.values.unshift(bytes);
  } else {
    if (count === 0) chunk.first = slot;
    chunk.lens.push(lenField);
    chunk.values.push(bytes);
  }
}

/** Pops the element at the head (left) or the tail of a list that has one. */
export function pop(c: CommandContext, list: OpenCollection, left: boolean): Buffer {
  const index = left ? list.head : list.head + list.count - 1;
  const n = Math.floor(index / CHUNK);
  let value: Buffer;
  if (chunkCache.get(list)?.has(n)) {
    value = resolve(c, list, n, chunkOf(c, list, n), index - n * CHUNK);
    writeSlot(c, list, index, null);
  } else {
    value = popStored(c, list, n, index - n * CHUNK, left);
  }
  if (left) list.head++;
  list.count--;
  return value;
}

/**
 * A pop from a chunk the command has not read: the chunk's deferred form (see `ChunkEntries`) loses its
 * first (left) or last element. Returns the element (the caller may keep it).
 */
function popStored(c: CommandContext, list: OpenCollection, n: number, slot: number, left: boolean): Buffer {
  const chunk = endChunk(c, list.id, n, false);
  const count = chunk.lens.length;
  if (count === 0 || slot !== (left ? chunk.first : chunk.first + count - 1)) {
    throw new Error(`list element ${n * CHUNK + slot} is missing`);
  }
  let bytes: Buffer | null | undefined;
  if (left) {
    chunk.lens.shift();
    bytes = chunk.values.shift();
    chunk.first++;
  } else {
    chunk.lens.pop();
    bytes = chunk.values.pop();
  }
  if (bytes != null) return bytes;
  // Stored out of line: its own entry goes with it.
  const value = ownElement(c, list, n * CHUNK + slot);
  c.server.keyspace.putElement(ownKey(list.id, n * CHUNK + slot), null);
  return value;
}

/** The elements at positions from … to (inclusive, within the list), in order. */
export function itemsIn(c: CommandContext, list: OpenCollection, from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  const read = reader(c, list);
  for (let p = from; p <= to; p++) out.push(read(p));
  return out;
}

/**
 * Replaces the elements from `position` on by `items` (the list then has position + items.length
 * elements): LREM and LINSERT rewrite one side of a list this way.
 */
export function rewriteFrom(
  c: CommandContext,
  list: OpenCollection,
  position: number,
  items: Uint8Array[],
): void {
  for (let i = 0; i < items.length; i++) setItem(c, list, position + i, items[i] as Uint8Array);
  for (let p = position + items.length; p < list.count; p++) deleteItem(c, list, p);
  list.count = position + items.length;
}

/**
 * Replaces the elements before `position` by `items` (the list then has items.length elements before
 * what was at `position`), moving the head.
 */
export function rewriteBefore(
  c: CommandContext,
  list: OpenCollection,
  position: number,
  items: Uint8Array[],
): void {
  const shift = position - items.length;
  for (let p = 0; p < Math.min(shift, position); p++) deleteItem(c, list, p);
  list.head += shift;
  list.count -= shift;
  for (let i = 0; i < items.length; i++) setItem(c, list, i, items[i] as Uint8Array);
  // A negative shift (the left side grew) leaves nothing to delete.
}

/** Deletes the elements before `position` and from `end` on, keeping [position, end). */
export function keepRange(c: CommandContext, list: OpenCollection, position: number, end: number): void {
  dropIndexes(c, list, list.head, list.head + Math.min(position, end) - 1);
  dropIndexes(c, list, list.head + Math.max(end, position), list.head + list.count - 1);
  list.head += position;
  list.count = Math.max(0, end - position);
}

/**
 * Deletes the elements at indexes lo … hi: whole chunks without decoding them (their out-of-line
 * elements found from their lengths), the chunks at either end slot by slot.
 */
function dropIndexes(c: CommandContext, list: OpenCollection, lo: number, hi: number): void {
  if (lo > hi) return;
  const keyspace = c.server.keyspace;
  const cache = chunkCache.get(list);
  let index = lo;
  while (index <= hi) {
    const n = Math.floor(index / CHUNK);
    const chunkEnd = n * CHUNK + CHUNK - 1;
    if (index === n * CHUNK && chunkEnd <= hi && cache?.get(n)?.changed == null) {
      const record = keyspace.getElement(chunkKey(list.id, n));
      if (record !== undefined) {
        const first = record[5] as number;
        const count = record[6] as number;
        for (let j = 0; j < count; j++) {
          if ((record.readUInt32LE(CHUNK_HEADER + 4 * j) & OUT_OF_LINE) !== 0) {
            keyspace.putElement(ownKey(list.id, n * CHUNK + first + j), null);
          }
        }
        keyspace.putElement(chunkKey(list.id, n), null);
      }
      cache?.delete(n);
      index = chunkEnd + 1;
      continue;
    }
    writeSlot(c, list, index, null);
    index++;
  }
}

/** Stores a list under the key at argument i (deleting the key when it is empty), with its chunks. */
export function saveListAt(c: CommandContext, i: number, list: OpenCollection): void {
  storeChunks(c, list);
  const a = c.args;
  saveKey(c, a.buffer, a.argStart(i), a.argEnd(i), list);
}

/** LEFT or RIGHT at argument i: true for LEFT, null when neither. */
export function sideAt(c: CommandContext, i: number): boolean | null {
  if (isToken(c, i, 'left')) return true;
  if (isToken(c, i, 'right')) return false;
  return null;
}

/** Redis's range rules (LRANGE, LTRIM): clamps start and end into the list; null for an empty range. */
export function clampRange(start: number, end: number, count: number): [number, number] | null {
  let s = start < 0 ? count + start : start;
  let e = end < 0 ? count + end : end;
  if (s < 0) s = 0;
  if (s > e || s >= count) return null;
  if (e >= count) e = count - 1;
  return [s, e];
}

/** The elements from `position` on, in order. */
export function* walk(c: CommandContext, list: OpenCollection, position = 0): Generator<Buffer> {
  const read = reader(c, list);
  for (let p = position; p < list.count; p++) yield read(p);
}

/** Pops up to `n` elements from one end, in popping order. */
export function popMany(c: CommandContext, list: OpenCollection, left: boolean, n: number): Buffer[] {
  const take = Math.min(n, list.count);
  const items = left
    ? itemsIn(c, list, 0, take - 1)
    : itemsIn(c, list, list.count - take, list.count - 1).reverse();
  if (left) keepRange(c, list, take, list.count);
  else keepRange(c, list, 0, list.count - take);
  return items;
}
