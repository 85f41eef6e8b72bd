/**
 * SORT and SORT_RO, as redis-server 7.0's sort.c runs them: the options are read first (the first bad
 * one answers), then the key (a list, a set or a sorted set; a missing key sorts as an empty list), then
 * the elements are weighed, sorted, cut to LIMIT and replied (or stored as a list with STORE).
 *
 * - A sorted set's members are sorted as a set's are (their scores play no part). A BY pattern without
 *   `*` keeps the set's own order, by score (reversed by DESC), reading only the LIMIT range, with STORE
 *   too. redis-server converts a listpack sorted set to a skiplist for good before it reads it; so does
 *   Sluice (OBJECT ENCODING tells). Members that compare equal (ALPHA with BY weights) keep the order
 *   they were read in, which for redis-server is its hash table's: Sluice reads them by score.
 *
 * - Numeric order (the default): each weight is read as C's strtod reads it (`cDouble`); one that is not
 *   a number fails the whole command. Equal weights are ordered by the elements' bytes, so the order is
 *   total.
 * - ALPHA: the weights are compared as strings. Without STORE redis-server uses strcoll, which in the
 *   C and C.UTF-8 locales compares bytes up to the first NUL byte (a C string); with STORE it compares
 *   every byte. Elements that compare equal keep the order they were read in, as glibc's qsort (a merge
 *   sort) keeps them.
 * - BY pattern: the weight of an element is the string at the key the pattern names with its first `*`
 *   replaced by the element, or a hash field's value with `key->field`; a missing one weighs 0 (numeric)
 *   or sorts first (ALPHA). A pattern without `*` sorts nothing: a list keeps its order (reversed by
 *   DESC), a set is listed in its own order, except with STORE or from a script, where redis-server
 *   sorts the set's members by their bytes so that the result does not depend on its hash table.
 * - GET pattern: replies what the pattern names for each element instead of the element (`#` is the
 *   element itself), null (or an empty string in a stored list) where there is nothing.
 */

import { errorReply } from '../../errors.js';
import {
  decodeMeta,
  TYPE_HASH,
  TYPE_LIST,
  TYPE_SET,
  TYPE_STRING,
  TYPE_ZSET,
  typeOf,
} from '../../keyspace/collections.js';
import { deleteAt, integerArg, isToken, recordAt } from '../_args.js';
import {
  collectionWritesAllowed,
  elementValue,
  getElement,
  newCollection,
  type OpenCollection,
  openAt,
} from '../_collection.js';
import { cText, strtod } from '../_double.js';
import { NOTIFY_GENERIC, NOTIFY_LIST, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { itemsIn, push, saveListAt } from '../list/_shared.js';
import { members } from '../set/_shared.js';
import { convertForSort, treeOf } from '../sortedset/_shared.js';
import { valueStart } from '../string/_shared.js';

/** What SORT's options ask for. */
interface SortOptions {
  desc: boolean;
  alpha: boolean;
  offset: number;
  /** Negative: up to the end. */
  count: number;
  by: Buffer | null;
  /** A BY pattern without `*` was given: no sorting (it stays so if a later BY has a `*`, as in Redis). */
  dontSort: boolean;
  readonly gets: Buffer[];
  /** The argument index of STORE's destination, or 0. */
  store: number;
}

/** One element to sort: its bytes and its weight (a number, or a string for BY … ALPHA). */
interface Item {
  readonly value: Buffer;
  score: number;
  weight: Buffer | null;
}

const STAR = 0x2a;
const NUL = 0x00;

/**
 * Reads SORT's options from argument 2 on, replying the error and returning null on the first bad one:
 * an unknown word, a word without its values (then it is unknown too), or a LIMIT value that is not an
 * integer. SORT_RO (`readonly`) does not know STORE.
 */
function parseOptions(c: CommandContext, readonly: boolean): SortOptions | null {
  const a = c.args;
  const o: SortOptions = {
    desc: false,
    alpha: false,
    offset: 0,
    count: -1,
    by: null,
    dontSort: false,
    gets: [],
    store: 0,
  };
  for (let j = 2; j < a.argc; j++) {
    const left = a.argc - j - 1;
    if (isToken(c, j, 'asc')) {
      o.desc = false;
    } else if (isToken(c, j, 'desc')) {
      o.desc = true;
    } else if (isToken(c, j, 'alpha')) {
      o.alpha = true;
    } else if (isToken(c, j, 'limit') && left >= 2) {
      const offset = integerArg(c, j + 1);
      const count = offset === null ? null : integerArg(c, j + 2);
      if (offset === null || count === null) {
        c.out.error(errorReply('notInteger'));
        return null;
      }
      o.offset = offset;
      o.count = count;
      j += 2;
    } else if (!readonly && isToken(c, j, 'store') && left >= 1) {
      o.store = ++j;
    } else if (isToken(c, j, 'by') && left >= 1) {
      o.by = a.argCopy(++j);
      if (cStringIndex(o.by, STAR) < 0) o.dontSort = true;
    } else if (isToken(c, j, 'get') && left >= 1) {
      o.gets.push(a.argCopy(++j));
    } else {
      c.out.error(errorReply('syntax'));
      return null;
    }
  }
  return o;
}

/** SORT (readonly false) and SORT_RO (readonly true). */
export function sortCommand(c: CommandContext, readonly: boolean): void {
  const o = parseOptions(c, readonly);
  if (o === null) return;
  if (o.store !== 0 && !collectionWritesAllowed(c)) return;
  const record = recordAt(c, 1);
  const type = record === undefined ? null : typeOf(record);
  if (type !== null && type !== TYPE_LIST && type !== TYPE_SET && type !== TYPE_ZSET) {
    c.out.error(errorReply('wrongType'));
    return;
  }
  const coll = type === null ? null : (openAt(c, 1, type) as OpenCollection);
  const n = coll === null ? 0 : coll.count;
  if (coll !== null && type === TYPE_ZSET) convertForSort(c, 1, coll);

  // A set listed in its own order would depend on its hash table: with STORE or from a script,
  // redis-server sorts it by the members' bytes instead.
  if (o.dontSort && type === TYPE_SET && (o.store !== 0 || c.inScript === true)) {
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }

  // LIMIT, clamped into the collection as redis-server clamps it; [start, end] may be empty.
  let start = Math.min(Math.max(o.offset, 0), n);
  const count = Math.min(Math.max(o.count, -1), n);
  let end = count < 0 ? n - 1 : start + count - 1;
  if (start >= n) {
    start = n - 1;
    end = n - 2;
  }
  if (end >= n) end = n - 1;

  let items: Item[];
  if (coll === null) {
    items = [];
  } else if (type === TYPE_LIST && o.dontSort) {
    // The list's own order (from the tail with DESC), reading only the range asked for.
    const values =
      end < start
        ? []
        : o.desc
          ? itemsIn(c, coll, n - 1 - end, n - 1 - start).reverse()
          : itemsIn(c, coll, start, end);
    items = values.map(item);
    end -= start;
    start = 0;
  } else if (type === TYPE_ZSET) {
    // By score (from the highest with DESC and nothing to sort), only the LIMIT range when not sorting.
    const [from, count] = o.dontSort ? [o.desc ? n - 1 - start : start, end - start + 1] : [0, n];
    items = [];
    treeOf(c, coll).walk(from, count, o.dontSort && o.desc, (_, member) => {
      items.push(item(Buffer.from(member)));
    });
    if (o.dontSort) {
      end -= start;
      start = 0;
    }
  } else {
    const values = type === TYPE_LIST ? itemsIn(c, coll, 0, n - 1) : members(c, coll);
    items = values.map(item);
  }

  if (!o.dontSort) {
    let notANumber = false;
    for (const it of items) {
      const weight = o.by === null ? it.value : lookupByPattern(c, o.by, it.value);
      if (weight === null) continue;
      if (o.alpha) {
        if (o.by !== null) it.weight = weight;
      } else {
        const score = cDouble(weight);
        if (score === null) notANumber = true;
        else it.score = score;
      }
    }
    if (notANumber) {
      c.out.error(errorReply('sortNotDouble'));
      return;
    }
    items.sort(comparator(o));
  }

  const chosen = end < start ? [] : items.slice(start, end + 1);
  if (o.store === 0) {
    reply(c, o, chosen);
  } else {
    store(c, o, chosen);
  }
}

const item = (value: Buffer): Item => ({ value, score: 0, weight: null });

/** The order of the sort: numeric, or ALPHA by the elements or by their BY weights. */
function comparator(o: SortOptions): (x: Item, y: Item) => number {
  const strings = o.store !== 0 ? Buffer.compare : collate;
  let cmp: (x: Item, y: Item) => number;
  if (!o.alpha) {
    cmp = (x, y) => (x.score > y.score ? 1 : x.score < y.score ? -1 : Buffer.compare(x.value, y.value));
  } else if (o.by !== null) {
    cmp = (x, y) => {
      if (x.weight === null || y.weight === null) {
        return x.weight === y.weight ? 0 : x.weight === null ? -1 : 1;
      }
      return strings(x.weight, y.weight);
    };
  } else {
    cmp = (x, y) => strings(x.value, y.value);
  }
  return o.desc ? (x, y) => -cmp(x, y) : cmp;
}

/** Replies the chosen elements, or what the GET patterns name for each. */
function reply(c: CommandContext, o: SortOptions, chosen: readonly Item[]): void {
  const out = c.out;
  if (o.gets.length === 0) {
    out.arrayHeader(chosen.length);
    for (const it of chosen) out.bulk(it.value);
    return;
  }
  out.arrayHeader(chosen.length * o.gets.length);
  for (const it of chosen) {
    for (const pattern of o.gets) {
      const value = lookupByPattern(c, pattern, it.value);
      if (value === null) out.nullBulk();
      else out.bulk(value);
    }
  }
}

/**
 * STORE: the result replaces what the destination held, as a list (without a time to live); an empty
 * result deletes the destination. Replies the number of elements stored.
 */
function store(c: CommandContext, o: SortOptions, chosen: readonly Item[]): void {
  const values: Buffer[] = [];
  for (const it of chosen) {
    if (o.gets.length === 0) values.push(it.value);
    for (const pattern of o.gets) values.push(lookupByPattern(c, pattern, it.value) ?? EMPTY);
  }
  if (values.length === 0) {
    if (recordAt(c, o.store) !== undefined) {
      deleteAt(c, o.store);
      notify(c, NOTIFY_GENERIC, 'del', o.store);
    }
  } else {
    const list = newCollection(c, TYPE_LIST);
    for (const value of values) push(c, list, value, false);
    saveListAt(c, o.store, list);
    notify(c, NOTIFY_LIST, 'sortstore', o.store);
  }
  c.out.integer(values.length);
}

const EMPTY = Buffer.alloc(0);

/**
 * What a BY or GET pattern names for `element` (redis-server's lookupKeyByPattern), copied, or null:
 * `#` is the element itself; otherwise the pattern's first `*` is replaced by the element to make a key
 * name, and the key's string value is taken, or with `->field` after the `*` the field of the hash at
 * that key. A pattern without `*`, a missing key or field, or a key of another type name nothing. The
 * pattern is read as a C string (a NUL byte ends it) where redis-server reads it so, except the field
 * and the rest of the key name, which are taken whole.
 */
export function lookupByPattern(c: CommandContext, pattern: Buffer, element: Buffer): Buffer | null {
  if (pattern[0] === 0x23 && (pattern.length === 1 || pattern[1] === NUL)) return element;
  const star = cStringIndex(pattern, STAR);
  if (star < 0) return null;
  // The arrow is looked for after the `*`, up to the first NUL byte; an empty field is no field.
  const nul = pattern.indexOf(NUL);
  const arrow = pattern.indexOf('->', star + 1, 'latin1');
  const field =
    arrow >= 0 && (nul < 0 || arrow + 1 < nul) && arrow + 2 < pattern.length && pattern[arrow + 2] !== NUL
      ? pattern.subarray(arrow + 2)
      : null;
  const key = Buffer.concat([
    pattern.subarray(0, star),
    element,
    pattern.subarray(star + 1, field === null ? pattern.length : arrow),
  ]);
  const record = c.db.get(key, 0, key.length, c.now);
  if (record === undefined) return null;
  if (field === null) {
    return typeOf(record) === TYPE_STRING ? Buffer.from(record.subarray(valueStart(record))) : null;
  }
  if (typeOf(record) !== TYPE_HASH) return null;
  const entry = getElement(c, decodeMeta(record), field);
  return entry === undefined ? null : Buffer.from(elementValue(entry));
}

/** Where `byte` first is in `buf` read as a C string (before any NUL byte), or -1. */
function cStringIndex(buf: Buffer, byte: number): number {
  const at = buf.indexOf(byte);
  if (at < 0) return -1;
  const nul = buf.indexOf(NUL);
  return nul >= 0 && nul < at ? -1 : at;
}

/** `buf` up to its first NUL byte. */
function cString(buf: Buffer): Buffer {
  const nul = buf.indexOf(NUL);
  return nul < 0 ? buf : buf.subarray(0, nul);
}

/**
 * strcoll in redis-server's locale (C or C.UTF-8, where glibc collates by bytes): the two strings
 * compared byte by byte up to their first NUL byte.
 */
function collate(x: Buffer, y: Buffer): number {
  return Buffer.compare(cString(x), cString(y));
}

/**
 * A weight as redis-server 7.0 reads it: strtod on the C string (a NUL byte ends it), refused (null)
 * when strtod stops before the end, reports a range error (overflow to infinity; underflow: a result
 * below the smallest normal double that is not exact) or gives NaN. An empty string converts nothing and
 * ends at once: it weighs 0.
 */
export function cDouble(buf: Buffer): number | null {
  const text = cText(buf);
  if (text === '') return 0;
  const r = strtod(text);
  if (r === null || r.range || Number.isNaN(r.value)) return null;
  return r.value;
}
