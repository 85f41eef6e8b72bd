/**
 * What the set commands share, as redis-server 7.0's t_set.c shares it: a set is `intset` while every
 * member is an integer (as string2ll reads it) and it has at most `set-max-intset-entries` members, else
 * `hashtable` for good (the collection's `large` bit). An intset lists its members in ascending numeric
 * order; a hashtable in an order of its own (here: stored-key order).
 */
import { type CollectionMeta, elementName, TYPE_SET } from '../../keyspace/collections.js';
import { deleteAt, parseInteger, recordAt } from '../_args.js';
import {
  elementAt,
  getElement,
  newCollection,
  type OpenCollection,
  openAt,
  putElement,
  saveAt,
} from '../_collection.js';
import { NOTIFY_GENERIC, NOTIFY_SET, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from '../spec.js';

/** What every set command's spec shares. */
export const base = { group: 'set' } as const satisfies Partial<CommandSpec>;
/** The spec of a command whose only key is argument 1. */
export const oneKey = {
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
} as const satisfies Partial<CommandSpec>;

/** redis-server caps set-max-intset-entries at 2^30 whatever the setting says (intset internals). */
const INTSET_HARD_LIMIT = 2 ** 30;
/**
 * Up to this many members, random picks read the whole set; past it they read by position in
 * stored-key order, up to the last position picked (see `membersAt`).
 */
const READ_ALL_LIMIT = 10_000;

/** The most members a set has while still an intset. */
export function maxIntsetEntries(c: CommandContext): number {
  return Math.min(c.server.config['set-max-intset-entries'], INTSET_HARD_LIMIT);
}

/** Whether `buf[start, end)` is a member an intset can hold: a 64-bit integer as string2ll reads it. */
export function isIntegerMember(buf: Uint8Array, start = 0, end = buf.length): boolean {
  return parseInteger(buf as Buffer, start, end) !== null;
}

/**
 * Orders integers written as string2ll accepts them (canonical: no sign but '-', no leading zero) by
 * value, without parsing them: negatives first, then by length, then byte by byte.
 */
export function compareIntegers(a: Buffer, b: Buffer): number {
  const negA = a[0] === 0x2d;
  const negB = b[0] === 0x2d;
  if (negA !== negB) return negA ? -1 : 1;
  const byMagnitude = a.length - b.length || Buffer.compare(a, b);
  return negA ? 0 - byMagnitude : byMagnitude;
}

/** Whether a set built from `names` (distinct) would be an intset: all integers, not too many. */
export function wouldBeIntset(c: CommandContext, names: readonly Buffer[]): boolean {
  return names.length <= maxIntsetEntries(c) && names.every((n) => isIntegerMember(n));
}

/** Every member of a set, copied, in stored-key order. */
export function* iterateMembers(c: CommandContext, coll: CollectionMeta): Generator<Buffer> {
  if (coll.count === 0) return;
  for (const { stored, record } of c.server.keyspace.elementsOf(coll.id)) yield elementName(stored, record);
}

/** Every member of a set, copied, in Redis's order: ascending while an intset. */
export function members(c: CommandContext, coll: CollectionMeta): Buffer[] {
  const names = [...iterateMembers(c, coll)];
  if (!coll.large) names.sort(compareIntegers);
  return names;
}

/** Whether `name` is a member (an intset holds no member that is not an integer: no lookup then). */
export function isMember(
  c: CommandContext,
  coll: CollectionMeta,
  name: Uint8Array,
  start = 0,
  end = name.length,
): boolean {
  if (!coll.large && !isIntegerMember(name, start, end)) return false;
  return getElement(c, coll, name, start, end) !== undefined;
}

/** Whether argument i is a member (`isMember`, without a view of the argument). */
export function isMemberAt(c: CommandContext, coll: CollectionMeta, i: number): boolean {
  const a = c.args;
  return isMember(c, coll, a.buffer, a.argStart(i), a.argEnd(i));
}

/**
 * Adds argument i (or `name`) to the set, converting it to hashtable as Redis's setTypeAdd does: when
 * the member is not an integer, or a new integer takes it past set-max-intset-entries. Returns whether
 * the member is new. The caller stores the metadata (`saveAt`).
 */
export function addMember(c: CommandContext, coll: OpenCollection, member: number | Buffer): boolean {
  const exists = typeof member === 'number' ? elementAt(c, coll, member) : getElement(c, coll, member);
  if (exists !== undefined) return false;
  const name = typeof member === 'number' ? c.args.argCopy(member) : member;
  putElement(c, coll, name, undefined, undefined);
  if (!coll.large && (!isIntegerMember(name) || coll.count > maxIntsetEntries(c))) coll.large = true;
  return true;
}

/**
 * Opens the sets at arguments [from, to): an entry per key, null for a missing one; undefined once
 * WRONGTYPE has been replied (every key is checked, missing ones included, as redis-server does).
 */
export function openSets(c: CommandContext, from: number, to: number): (OpenCollection | null)[] | undefined {
  const sets: (OpenCollection | null)[] = [];
  for (let i = from; i < to; i++) {
    const coll = openAt(c, i, TYPE_SET);
    if (coll === undefined) return undefined;
    sets.push(coll);
  }
  return sets;
}

/** Replies a set (`~` in RESP3, an array in RESP2) of these members, in this order. */
export function replySet(c: CommandContext, names: readonly Buffer[]): void {
  c.out.setHeader(names.length);
  for (const name of names) c.out.bulk(name);
}

/** Replies an array of these members. */
export function replyArray(c: CommandContext, names: readonly Buffer[]): void {
  c.out.arrayHeader(names.length);
  for (const name of names) c.out.bulk(name);
}

/**
 * Replies the set redis-server builds from `names` (distinct) when it answers with a new set (SUNION,
 * SDIFF, SPOP of the whole set): an intset if it can be one, listed in ascending order then.
 */
export function replyNewSet(c: CommandContext, names: Buffer[]): void {
  if (wouldBeIntset(c, names)) names.sort(compareIntegers);
  replySet(c, names);
}

/**
 * SINTERSTORE, SUNIONSTORE and SDIFFSTORE: stores `names` (distinct) as a new set under argument 1,
 * whatever the key held (its time to live goes too), or deletes the key when there is none; replies the
 * number of members. `large`: the encoding redis-server's result set ends up with.
 */
export function storeSet(
  c: CommandContext,
  names: readonly Buffer[],
  large: boolean,
  /** The command's event: sinterstore, sunionstore or sdiffstore. */
  event: string,
): void {
  if (names.length === 0) {
    if (recordAt(c, 1) !== undefined) {
      deleteAt(c, 1);
      // SINTERSTORE announces the deletion before its reply, SUNIONSTORE and SDIFFSTORE after.
      if (event === 'sinterstore') notify(c, NOTIFY_GENERIC, 'del', 1);
      c.out.integer(0);
      if (event !== 'sinterstore') notify(c, NOTIFY_GENERIC, 'del', 1);
      return;
    }
    c.out.integer(0);
    return;
  }
  const coll = newCollection(c, TYPE_SET);
  for (const name of names) putElement(c, coll, name, undefined, undefined);
  coll.large = large;
  saveAt(c, 1, coll);
  c.out.integer(names.length);
  notify(c, NOTIFY_SET, event, 1);
}

// --- Random members ---

/** A random integer in [0, n). */
export const randomBelow = (n: number): number => Math.floor(Math.random() * n);

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** `k` distinct positions in [0, n), each subset equally likely (Floyd's algorithm), ascending. */
export function distinctPositions(n: number, k: number): number[] {
  const picked = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = randomBelow(j + 1);
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked].sort((x, y) => x - y);
}

/**
 * The members at `positions` (ascending, distinct) of the set's stored-key order, read in one pass
 * that stops at the last of them; only those members are copied.
 */
function membersAt(
  c: CommandContext,
  coll: CollectionMeta,
  positions: readonly number[],
): Map<number, Buffer> {
  const found = new Map<number, Buffer>();
  if (positions.length === 0) return found;
  let p = 0;
  let at = 0;
  for (const { stored, record } of c.server.keyspace.elementsOf(coll.id)) {
    if (at === positions[p]) {
      found.set(at, elementName(stored, record));
      if (++p === positions.length) break;
    }
    at++;
  }
  return found;
}

/**
 * One member picked at random (SPOP, SRANDMEMBER without a count): as Keyspace.randomElement picks it,
 * else the one at a random position read in order (only it copied). The set is not empty.
 */
export function randomMember(c: CommandContext, coll: CollectionMeta): Buffer {
  const picked = c.server.keyspace.randomElement(coll.id, coll.count);
  if (picked !== undefined) return elementName(picked.stored, picked.record);
  const at = randomBelow(coll.count);
  return membersAt(c, coll, [at]).get(at) ?? (randomMembersWithRepeats(c, coll, 1)[0] as Buffer);
}

/** `k` members picked independently at random (repeats possible), in the order picked. */
export function randomMembersWithRepeats(c: CommandContext, coll: CollectionMeta, k: number): Buffer[] {
  const n = coll.count;
  const out: Buffer[] = new Array(k);
  if (n <= READ_ALL_LIMIT || k >= n) {
    const all = [...iterateMembers(c, coll)];
    for (let i = 0; i < k; i++) out[i] = all[randomBelow(all.length)] as Buffer;
    return out;
  }
  const picks = Array.from({ length: k }, () => randomBelow(n));
  const found = membersAt(
    c,
    coll,
    [...new Set(picks)].sort((x, y) => x - y),
  );
  return picks.map((p) => found.get(p)).filter((m): m is Buffer => m !== undefined);
}

/** `k` distinct members (k below the set's size), each subset equally likely, in random order. */
export function randomDistinctMembers(c: CommandContext, coll: CollectionMeta, k: number): Buffer[] {
  const n = coll.count;
  if (n <= READ_ALL_LIMIT) {
    const all = [...iterateMembers(c, coll)];
    // A partial Fisher–Yates shuffle: the first k are the pick.
    for (let i = 0; i < k; i++) {
      const j = i + randomBelow(all.length - i);
      [all[i], all[j]] = [all[j] as Buffer, all[i] as Buffer];
    }
    return all.slice(0, k);
  }
  return shuffle([...membersAt(c, coll, distinctPositions(n, k)).values()]);
}

/** `k` distinct positions in [0, n) as a set, for callers that keep some members of a list. */
export function randomPositionSet(n: number, k: number): Set<number> {
  return new Set(distinctPositions(n, k));
}
