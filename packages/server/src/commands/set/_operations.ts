/**
 * Intersection, union and difference of the sets at some arguments, as redis-server 7.0's
 * sinterGenericCommand and sunionDiffGenericCommand compute them: the result's members, in the order
 * redis-server lists them, and the encoding its result set ends up with (for the *STORE commands).
 */
import type { OpenCollection } from '../_collection.js';
import type { CommandContext } from '../context.js';
import {
  compareIntegers,
  isIntegerMember,
  isMember,
  iterateMembers,
  maxIntsetEntries,
  members,
  wouldBeIntset,
} from './_shared.js';

export interface SetResult {
  /** Distinct members, in redis-server's order where it has one (ascending for an intset). */
  readonly names: Buffer[];
  /** Whether redis-server's result set is a hashtable (else an intset). */
  readonly large: boolean;
}

const EMPTY: SetResult = { names: [], large: false };

/**
 * The intersection (every key exists: a missing one makes it empty, checked by the caller). Walks the
 * smallest set, in its order, and looks each member up in the others; stops at `limit` members (0: no
 * limit). Its result set starts as an intset and converts as members are added.
 */
export function intersection(c: CommandContext, sets: readonly OpenCollection[], limit = 0): SetResult {
  // Smallest first; an intset before a hashtable of the same size, so that the order is defined.
  const sorted = [...sets].sort((x, y) => x.count - y.count || Number(x.large) - Number(y.large));
  const first = sorted[0];
  if (first === undefined) return EMPTY;
  const others = sorted.slice(1).filter((s) => !s.id.equals(first.id));
  const names: Buffer[] = [];
  // Counting only (SINTERCARD), the order does not matter: the members are not sorted then.
  const walk = limit > 0 ? iterateMembers(c, first) : members(c, first);
  for (const name of walk) {
    if (!others.every((s) => isMember(c, s, name))) continue;
    names.push(name);
    if (limit > 0 && names.length >= limit) break;
  }
  return { names, large: !wouldBeIntset(c, names) };
}

/** The union (missing keys are empty sets). */
export function union(c: CommandContext, sets: readonly (OpenCollection | null)[]): SetResult {
  const seen = new Map<string, Buffer>();
  for (const set of sets) {
    if (set === null) continue;
    for (const name of iterateMembers(c, set)) seen.set(name.toString('latin1'), name);
  }
  return ordered(c, [...seen.values()]);
}

/**
 * The members of the first set in none of the others (missing keys are empty sets). redis-server picks
 * one of two algorithms by the work each would do, and the second one (add the whole first set, then
 * remove the others' members) leaves a hashtable when the first set could not be an intset, whatever
 * the result: that is kept here.
 */
export function difference(c: CommandContext, sets: readonly (OpenCollection | null)[]): SetResult {
  const [first, ...rest] = sets;
  if (!first) return EMPTY;
  // The first key given again: the result is empty.
  if (rest.some((s) => s?.id.equals(first.id))) return EMPTY;
  const others = rest.filter((s): s is OpenCollection => s !== null);
  const size = first.count;
  const algoOne = Math.floor((size * (others.length + 1)) / 2);
  const algoTwo = others.reduce((sum, s) => sum + s.count, size);
  if (algoOne <= algoTwo) {
    // Algorithm 1: each member of the first set, looked up in the others.
    const names: Buffer[] = [];
    for (const name of iterateMembers(c, first))
      if (!others.some((s) => isMember(c, s, name))) names.push(name);
    return ordered(c, names);
  }
  // Algorithm 2: the first set, minus every member of the others.
  const left = new Map<string, Buffer>();
  let large = size > maxIntsetEntries(c);
  for (const name of iterateMembers(c, first)) {
    left.set(name.toString('latin1'), name);
    if (!large && !isIntegerMember(name)) large = true;
  }
  for (const set of others) {
    if (left.size === 0) break;
    for (const name of iterateMembers(c, set)) left.delete(name.toString('latin1'));
  }
  const names = [...left.values()];
  if (!large) names.sort(compareIntegers);
  return { names, large };
}

/** A result set built by adding `names` to an empty intset: ascending if it stays one. */
function ordered(c: CommandContext, names: Buffer[]): SetResult {
  const large = !wouldBeIntset(c, names);
  if (!large) names.sort(compareIntegers);
  return { names, large };
}
