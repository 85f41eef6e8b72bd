/**
 * What the sorted-set commands share, as redis-server 7.0's t_zset.c shares it. A sorted set is a
 * collection whose members are elements holding their scores (ZSCORE reads one entry) and whose order
 * is a B+tree of (score, member) counted by subtree (_tree.ts), so that ranks and score or member ranges
 * cost O(log n) to find. Redis names it `listpack` while it has at most zset-max-listpack-entries members
 * of at most zset-max-listpack-value bytes, then `skiplist` for good (the collection's `large` bit).
 */
import { errorReply } from '../../errors.js';
import {
  type CollectionMeta,
  encodeElement,
  encodeMeta,
  TYPE_ZSET,
  typeFlags,
} from '../../keyspace/collections.js';
import { encodeRecord } from '../../keyspace/encoding.js';
import type { Database } from '../../keyspace/keyspace.js';
import { deleteAt, recordAt } from '../_args.js';
import {
  collectionWritesAllowed,
  elementValue,
  getElement,
  newCollection,
  type OpenCollection,
  openAt,
  openOrCreateAt,
  saveAt,
} from '../_collection.js';
import { cText, formatG17, strtod } from '../_double.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from '../spec.js';
import { memberAt, ZTree } from './_tree.js';

/** What every sorted-set command's spec shares. */
export const base = { group: 'sorted_set' } as const satisfies Partial<CommandSpec>;
/** The spec of a command whose only key is argument 1. */
export const oneKey = {
  group: 'sorted_set',
  keys: { first: 1, last: 1, step: 1 },
} as const satisfies Partial<CommandSpec>;

/** The sorted set at argument i: null when missing, undefined once WRONGTYPE is replied. */
export function zsetAt(c: CommandContext, i: number, db?: Database): OpenCollection | null | undefined {
  return openAt(c, i, TYPE_ZSET, db);
}

/**
 * The sorted set at argument i for a write, created when missing, or undefined once an error has been
 * replied (WRONGTYPE, or log mode).
 */
export function zsetForWrite(c: CommandContext, i: number): OpenCollection | undefined {
  if (!collectionWritesAllowed(c)) return undefined;
  return openOrCreateAt(c, i, TYPE_ZSET);
}

/**
 * The order of a sorted set: the tree a command opened over it (its working set, written back by
 * `saveZset`), kept in the open collection's `work`.
 */
export function treeOf(c: CommandContext, z: OpenCollection): ZTree {
  let tree = z.work as ZTree | undefined;
  if (tree === undefined) {
    tree = new ZTree(c.server.keyspace, z);
    z.work = tree;
  }
  return tree;
}

/** The score of member `name[start, end)`, or undefined when it is not in the set. */
export function scoreOf(
  c: CommandContext,
  z: CollectionMeta,
  name: Uint8Array,
  start = 0,
  end = name.length,
): number | undefined {
  const entry = getElement(c, z, name, start, end);
  return entry === undefined ? undefined : entryScore(entry);
}

/** The score of the member at argument i, or undefined. */
export function scoreAt(c: CommandContext, z: CollectionMeta, i: number): number | undefined {
  const a = c.args;
  return scoreOf(c, z, a.buffer, a.argStart(i), a.argEnd(i));
}

/**
 * Gives `member` the score `score`: `old` is its score now, undefined when it is not in the set (it is
 * added then, and the set converted to skiplist when Redis would).
 */
export function setScore(
  c: CommandContext,
  z: OpenCollection,
  member: Buffer,
  score: number,
  old: number | undefined,
): void {
  // An equal score (0 and -0 included) leaves the member as it is, as Redis does.
  if (old === score) return;
  if (old === undefined) {
    z.count++;
    convertIfLarge(c, z, member.length);
  }
  // A listpack keeps -0 as 0 (redis-server prints it back as 0); a skiplist keeps the sign.
  if (score === 0 && !z.large) score = 0;
  writeMember(c, z, member, score);
  const tree = treeOf(c, z);
  if (old !== undefined) tree.remove(old, member);
  tree.insert(score, member);
}

/** Removes `member` (whose score is `score`) from the set. */
export function removeMember(c: CommandContext, z: OpenCollection, member: Uint8Array, score: number): void {
  const keyspace = c.server.keyspace;
  keyspace.putElement(keyspace.elementKey(z.id, member), null);
  treeOf(c, z).remove(score, member);
  z.count--;
}

/**
 * Stores a sorted set's tree and metadata under the key at argument i (of `db`); deletes the key when
 * the set is empty.
 */
export function saveZset(c: CommandContext, i: number, z: OpenCollection, db: Database = c.db): void {
  (z.work as ZTree | undefined)?.flush();
  saveAt(c, i, z, db);
}

/** Writes member `member`'s entry, holding `score` (the tree is the caller's). */
function writeMember(c: CommandContext, z: CollectionMeta, member: Buffer, score: number): void {
  const keyspace = c.server.keyspace;
  const stored = keyspace.elementKey(z.id, member);
  const value = Buffer.allocUnsafe(8);
  value.writeDoubleLE(score, 0);
  keyspace.putElement(stored, encodeElement(stored, member, 0, value));
}

/**
 * Redis converts a sorted set from listpack to skiplist, for good, when it gets more than
 * zset-max-listpack-entries members or a member longer than zset-max-listpack-value.
 */
export function convertIfLarge(c: CommandContext, z: OpenCollection, memberLength: number): void {
  if (z.large) return;
  const config = c.server.config;
  if (z.count > config['zset-max-listpack-entries'] || memberLength > config['zset-max-listpack-value']) {
    z.large = true;
  }
}

/**
 * SORT and SORT_RO convert a listpack sorted set (the key at argument i) to a skiplist for good, as
 * redis-server 7.0 does before it reads one; its value is the same, so nobody is told. Not in log mode,
 * where a stored record goes to the topic (and sorted sets cannot be written yet).
 */
export function convertForSort(c: CommandContext, i: number, z: OpenCollection): void {
  if (z.large || c.server.logMode !== null) return;
  z.large = true;
  const a = c.args;
  const start = a.argStart(i);
  const end = a.argEnd(i);
  const meta = encodeMeta(z);
  c.db.putQuietly(
    a.buffer,
    start,
    end,
    encodeRecord(a.buffer, start, end, meta, 0, meta.length, z.expiresAt, typeFlags(TYPE_ZSET)),
  );
}

/** A score reply: `%.17g`, as redis-server 7.0 prints it, a double in RESP3 and a bulk string in RESP2. */
export function replyScore(c: CommandContext, score: number): void {
  c.out.double(score, formatG17(score));
}

/** A score range (ZCOUNT, ZRANGEBYSCORE, …): its bounds and whether each is excluded. */
export interface ScoreRange {
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

/**
 * A score range bound as zslParseRange reads it: `(` makes it exclusive, then strtod up to the argument's
 * first NUL byte, which must stop at its end (an empty bound is 0); NaN is refused. Null when invalid.
 */
function scoreBound(buf: Buffer): { value: number; exclusive: boolean } | null {
  const exclusive = buf[0] === 0x28;
  const text = cText(exclusive ? buf.subarray(1) : buf);
  // strtod converts nothing and stops at once: at the end of an empty bound, which reads as 0.
  if (text === '') return { value: 0, exclusive };
  const r = strtod(text);
  if (r === null || Number.isNaN(r.value)) return null;
  return { value: r.value, exclusive };
}

/** The score range of arguments `minAt` and `maxAt`, or null once `min or max is not a float` is replied. */
export function scoreRangeAt(c: CommandContext, minAt: number, maxAt: number): ScoreRange | null {
  const min = scoreBound(c.args.arg(minAt));
  const max = scoreBound(c.args.arg(maxAt));
  if (min === null || max === null) {
    c.out.error(errorReply('minMaxNotFloat'));
    return null;
  }
  return { min: min.value, max: max.value, minExclusive: min.exclusive, maxExclusive: max.exclusive };
}

/** Ranks [first, end) of the elements of `range` (empty when first >= end). */
export function scoreRanks(tree: ZTree, range: ScoreRange): { first: number; end: number } {
  const { min, max, minExclusive, maxExclusive } = range;
  if (min > max || (min === max && (minExclusive || maxExclusive))) return { first: 0, end: 0 };
  const first = tree.rankWhere(minExclusive ? (s) => s > min : (s) => s >= min);
  const end = tree.rankWhere(maxExclusive ? (s) => s >= max : (s) => s > max);
  return { first, end: Math.max(first, end) };
}

/** A member range bound: `-` and `+` (below and above every member), or `[` or `(` and a member. */
export interface LexBound {
  /** -1: `-`, 1: `+`, 0: `member`. */
  readonly infinite: -1 | 0 | 1;
  readonly member: Buffer;
  readonly exclusive: boolean;
}

/** A member range (ZLEXCOUNT, ZRANGEBYLEX, …). */
export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

function lexBound(buf: Buffer): LexBound | null {
  const first = buf[0];
  if (buf.length === 1 && first === 0x2d) return { infinite: -1, member: buf, exclusive: false };
  if (buf.length === 1 && first === 0x2b) return { infinite: 1, member: buf, exclusive: false };
  if (first === 0x28 || first === 0x5b)
    return { infinite: 0, member: buf.subarray(1), exclusive: first === 0x28 };
  return null;
}

/** The member range of arguments `minAt` and `maxAt`, or null once the error is replied. */
export function lexRangeAt(c: CommandContext, minAt: number, maxAt: number): LexRange | null {
  const min = lexBound(c.args.argCopy(minAt));
  const max = lexBound(c.args.argCopy(maxAt));
  if (min === null || max === null) {
    c.out.error(errorReply('minMaxNotLex'));
    return null;
  }
  return { min, max };
}

/** Whether `member` is at or past bound `b` (past it when the bound is exclusive) from below. */
function reachedMin(member: Uint8Array, b: LexBound): boolean {
  if (b.infinite !== 0) return b.infinite < 0;
  const cmp = Buffer.compare(member, b.member);
  return b.exclusive ? cmp > 0 : cmp >= 0;
}

/** Whether `member` is past bound `b` as a maximum. */
function pastMax(member: Uint8Array, b: LexBound): boolean {
  if (b.infinite !== 0) return b.infinite < 0;
  const cmp = Buffer.compare(member, b.member);
  return b.exclusive ? cmp >= 0 : cmp > 0;
}

/**
 * Ranks [first, end) of the members in `range`, the set's scores being all equal (as Redis, the result
 * is unspecified otherwise).
 */
export function lexRanks(tree: ZTree, range: LexRange): { first: number; end: number } {
  const { min, max } = range;
  // An empty range (min above max) gives nothing, as zslIsInLexRange checks first.
  if (min.infinite === 1 || max.infinite === -1) return { first: 0, end: 0 };
  if (min.infinite === 0 && max.infinite === 0) {
    const cmp = Buffer.compare(min.member, max.member);
    if (cmp > 0 || (cmp === 0 && (min.exclusive || max.exclusive))) return { first: 0, end: 0 };
  }
  const first = tree.rankWhere((_, node, k) => reachedMin(memberAt(node, k), min));
  const end = tree.rankWhere((_, node, k) => pastMax(memberAt(node, k), max));
  return { first, end: Math.max(first, end) };
}

/** The member entry's score (for callers holding an entry). */
export function entryScore(record: Buffer): number {
  return elementValue(record).readDoubleLE(0);
}

/** One element of a sorted set, read out of it. */
export interface ZElement {
  readonly score: number;
  readonly member: Buffer;
}

/**
 * Stores `elements` (in order, distinct) as a new sorted set under the key at argument i, replacing
 * what it held; with none, deletes the key. Encoded as Redis would encode the result: skiplist past
 * zset-max-listpack-entries members or with a member longer than zset-max-listpack-value, converted as
 * the members are added one by one, or from the start with `startLarge` (redis-server creates the
 * result as a skiplist then: a -0 score added before the set would have grown keeps its sign).
 */
export function storeZset(
  c: CommandContext,
  i: number,
  elements: readonly ZElement[],
  startLarge = false,
): void {
  const z = newCollection(c, TYPE_ZSET);
  z.large = startLarge;
  insertElements(c, z, elements, { convert: true, signedZero: false });
  saveZset(c, i, z);
}

/**
 * The end of a command that stores its result as a sorted set under argument i (ZRANGESTORE,
 * ZUNIONSTORE and its kin, GEORADIUS … STORE, GEOSEARCHSTORE): the elements stored (see `storeZset`),
 * their number replied, then `event` announced; with none, 0 replied and the key deleted (`del`
 * announced when it existed).
 */
export function storeZsetAndReply(
  c: CommandContext,
  i: number,
  elements: readonly ZElement[],
  event: string,
  startLarge = false,
): void {
  if (elements.length === 0) {
    c.out.integer(0);
    if (recordAt(c, i) !== undefined) {
      deleteAt(c, i);
      notify(c, NOTIFY_GENERIC, 'del', i);
    }
    return;
  }
  storeZset(c, i, elements, startLarge);
  c.out.integer(elements.length);
  notify(c, NOTIFY_ZSET, event, i);
}

/**
 * Adds `elements` (distinct, none in the set) to a sorted set. With `convert`, the set becomes a
 * skiplist as they are added when Redis would convert it; a listpack keeps -0 as 0 unless `signedZero`
 * (a listpack read from a payload keeps the score as written). The caller stores the set.
 */
export function insertElements(
  c: CommandContext,
  z: OpenCollection,
  elements: readonly ZElement[],
  options: { readonly convert: boolean; readonly signedZero: boolean },
): void {
  const tree = treeOf(c, z);
  for (const element of elements) {
    const member = element.member;
    z.count++;
    if (options.convert) convertIfLarge(c, z, member.length);
    const score = element.score === 0 && !z.large && !options.signedZero ? 0 : element.score;
    writeMember(c, z, member, score);
    tree.insert(score, member);
  }
}
