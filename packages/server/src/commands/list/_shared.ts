/**
 * What the list commands share: a list is a collection whose elements are named by their index (see
 * keyspace/collections.ts), head … head + count - 1, so that pushes and pops at either end, LINDEX and
 * LSET touch one element. redis-server 7.0 reports every list as `quicklist`.
 */
import { elementValueStart, encodeElement, listIndexName, TYPE_LIST } from '../../keyspace/collections.js';
import type { Database } from '../../keyspace/keyspace.js';
import { integerArg, isToken } from '../_args.js';
import {
  collectionWritesAllowed,
  type OpenCollection,
  openAt,
  openOrCreateAt,
  saveKey,
} from '../_collection.js';
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

/** The list at argument i for a push, created when missing; undefined once an error is replied. */
export function listForPush(c: CommandContext, i: number): OpenCollection | undefined {
  if (!collectionWritesAllowed(c)) return undefined;
  return openOrCreateAt(c, i, TYPE_LIST);
}

/** The stored key of the element at `position` (0 = head). */
function storedAt(c: CommandContext, list: OpenCollection, position: number): Buffer {
  return c.server.keyspace.elementKey(list.id, listIndexName(list.head + position));
}

/** The element at `position` (0 ≤ position < count), copied. */
export function itemAt(c: CommandContext, list: OpenCollection, position: number): Buffer {
  const record = c.server.keyspace.getElement(storedAt(c, list, position));
  if (record === undefined) throw new Error(`list element ${position} of ${list.count} is missing`);
  return Buffer.from(record.subarray(elementValueStart(record)));
}

/** Writes the element at `position` (any index: the caller keeps head and count right). */
export function setItem(c: CommandContext, list: OpenCollection, position: number, value: Uint8Array): void {
  const stored = storedAt(c, list, position);
  c.server.keyspace.putElement(stored, encodeElement(stored, stored.subarray(9), 0, value));
}

function deleteItem(c: CommandContext, list: OpenCollection, position: number): void {
  c.server.keyspace.putElement(storedAt(c, list, position), null);
}

/** Pushes `value` at the head (left) or the tail. */
export function push(c: CommandContext, list: OpenCollection, value: Uint8Array, left: boolean): void {
  if (left) {
    list.head--;
    setItem(c, list, 0, value);
  } else {
    setItem(c, list, list.count, value);
  }
  list.count++;
}

/** Pops the element at the head (left) or the tail of a list that has one. */
export function pop(c: CommandContext, list: OpenCollection, left: boolean): Buffer {
  const position = left ? 0 : list.count - 1;
  const value = itemAt(c, list, position);
  deleteItem(c, list, position);
  if (left) list.head++;
  list.count--;
  return value;
}

/** The elements at positions from … to (inclusive, within the list), copied, in order. */
export function itemsIn(c: CommandContext, list: OpenCollection, from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  if (from > to) return out;
  const wanted = to - from + 1;
  if (wanted <= 4) {
    for (let p = from; p <= to; p++) out.push(itemAt(c, list, p));
    return out;
  }
  const after = storedAt(c, list, from - 1);
  for (const { record } of c.server.keyspace.elementsOf(list.id, after)) {
    out.push(Buffer.from(record.subarray(elementValueStart(record))));
    if (out.length === wanted) break;
  }
  if (out.length !== wanted) throw new Error(`list elements ${from}..${to} of ${list.count} are missing`);
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
  for (let p = 0; p < position; p++) deleteItem(c, list, p);
  for (let p = end; p < list.count; p++) deleteItem(c, list, p);
  list.head += position;
  list.count = Math.max(0, end - position);
}

/** Stores a list under the key at argument i (deleting the key when it is empty). */
export function saveListAt(c: CommandContext, i: number, list: OpenCollection): void {
  const a = c.args;
  saveKey(c, a.buffer, a.argStart(i), a.argEnd(i), list);
}

/** LEFT or RIGHT at argument i: true for LEFT, null when neither. */
export function sideAt(c: CommandContext, i: number): boolean | null {
  if (isToken(c, i, 'left')) return true;
  if (isToken(c, i, 'right')) return false;
  return null;
}

/**
 * An index argument as Redis reads it (a 64-bit integer, negative from the end), resolved against a
 * list of `count` elements; null when it is not an integer.
 */
export function indexArg(c: CommandContext, i: number): number | null {
  return integerArg(c, i);
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

/** The elements from `position` on, in order, as views that are valid until the next read. */
export function* walk(c: CommandContext, list: OpenCollection, position = 0): Generator<Buffer> {
  if (position >= list.count) return;
  let left = list.count - position;
  for (const { record } of c.server.keyspace.elementsOf(list.id, storedAt(c, list, position - 1))) {
    yield record.subarray(elementValueStart(record));
    if (--left === 0) return;
  }
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
