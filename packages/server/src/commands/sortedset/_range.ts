/**
 * ZRANGE and its older forms (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX)
 * and ZRANGESTORE, as redis-server 7.0's zrangeGenericCommand runs them all: options first, then the
 * range, then the key.
 */
import { errorReply } from '../../errors.js';
import { integerArg, isToken } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import type { CommandContext } from '../context.js';
import {
  type LexRange,
  lexRangeAt,
  lexRanks,
  replyScore,
  type ScoreRange,
  scoreRangeAt,
  scoreRanks,
  storeZsetAndReply,
  treeOf,
  type ZElement,
  zsetAt,
} from './_shared.js';

/** How the range is given: by rank, by score or by member; `auto`: ZRANGE's options say. */
export type RangeBy = 'auto' | 'rank' | 'score' | 'lex';
/** Which way the range goes; `auto`: ZRANGE's REV says. */
export type Direction = 'auto' | 'forward' | 'reverse';

/**
 * Runs a range command whose source key is argument `at` (min and max follow it); with `store`, the
 * destination is argument 1 (ZRANGESTORE).
 */
export function zrange(
  c: CommandContext,
  at: number,
  store: boolean,
  by: RangeBy,
  direction: Direction,
): void {
  const a = c.args;
  let minAt = at + 1;
  let maxAt = at + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let limited = false;
  for (let j = at + 3; j < a.argc; j++) {
    const left = a.argc - j - 1;
    if (!store && isToken(c, j, 'withscores')) withScores = true;
    else if (isToken(c, j, 'limit') && left >= 2) {
      const o = integerArg(c, j + 1);
      const l = o === null ? null : integerArg(c, j + 2);
      if (o === null || l === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      offset = o;
      limit = l;
      limited = true;
      j += 2;
    } else if (direction === 'auto' && isToken(c, j, 'rev')) direction = 'reverse';
    else if (by === 'auto' && isToken(c, j, 'bylex')) by = 'lex';
    else if (by === 'auto' && isToken(c, j, 'byscore')) by = 'score';
    else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }
  const reverse = direction === 'reverse';
  if (by === 'auto') by = 'rank';
  // redis-server tells LIMIT was given by its count: LIMIT 0 -1 passes with a rank range.
  if (limited && limit !== -1 && by === 'rank') {
    c.out.error(errorReply('zrangeLimitByRank'));
    return;
  }
  if (withScores && by === 'lex') {
    c.out.error(errorReply('zrangeWithscoresByLex'));
    return;
  }
  if (reverse && by !== 'rank') [minAt, maxAt] = [maxAt, minAt];
  let start = 0;
  let stop = 0;
  let scores: ScoreRange | null = null;
  let lex: LexRange | null = null;
  if (by === 'rank') {
    const s = integerArg(c, minAt);
    const e = s === null ? null : integerArg(c, maxAt);
    if (s === null || e === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    start = s;
    stop = e;
  } else if (by === 'score') {
    scores = scoreRangeAt(c, minAt, maxAt);
    if (scores === null) return;
  } else {
    lex = lexRangeAt(c, minAt, maxAt);
    if (lex === null) return;
  }
  if (store && !collectionWritesAllowed(c)) return;
  const z = zsetAt(c, at);
  if (z === undefined) return;
  // The ranks [first, end) of the range, then walked from `first` (forward) or `end - 1` (reverse).
  let first = 0;
  let end = 0;
  if (z !== null) {
    const tree = treeOf(c, z);
    if (by === 'rank') {
      const n = z.count;
      if (start < 0) start += n;
      if (stop < 0) stop += n;
      if (start < 0) start = 0;
      if (start <= stop && start < n) {
        if (stop >= n) stop = n - 1;
        // A reversed rank range counts its ranks from the end.
        first = reverse ? n - 1 - stop : start;
        end = reverse ? n - start : stop + 1;
      }
    } else {
      ({ first, end } = scores !== null ? scoreRanks(tree, scores) : lexRanks(tree, lex as LexRange));
      // Negative offsets give nothing (zrangeGenericCommand's `while (offset--)` never ends early).
      if (offset < 0 || (offset > 0 && offset >= z.count)) end = first;
      else if (reverse) end -= Math.min(offset, end - first);
      else first += Math.min(offset, end - first);
      if (limit >= 0 && end - first > limit) {
        if (reverse) first = end - limit;
        else end = first + limit;
      }
    }
  }
  const count = end - first;
  if (store) {
    // A rank range's size is known before it is read: redis-server creates a skiplist at once when it
    // is past zset-max-listpack-entries.
    const startLarge = by === 'rank' && count > c.server.config['zset-max-listpack-entries'];
    const elements = z === null || count === 0 ? [] : collect(c, z, first, end, reverse);
    storeZsetAndReply(c, 1, elements, 'zrangestore', startLarge);
    return;
  }
  const out = c.out;
  const pairs = withScores && out.protocol === 3;
  out.arrayHeader(withScores && !pairs ? 2 * count : count);
  if (z === null || count === 0) return;
  treeOf(c, z).walk(reverse ? end - 1 : first, count, reverse, (score, member) => {
    if (pairs) out.arrayHeader(2);
    out.bulkCopy(member);
    if (withScores) replyScore(c, score);
  });
}

/** Ranks [first, end) of a set, copied, in the walk's order. */
function collect(
  c: CommandContext,
  z: Parameters<typeof treeOf>[1],
  first: number,
  end: number,
  reverse: boolean,
): ZElement[] {
  const elements: ZElement[] = [];
  treeOf(c, z).walk(reverse ? end - 1 : first, end - first, reverse, (score, member) => {
    elements.push({ score, member: Buffer.from(member) });
  });
  return elements;
}
