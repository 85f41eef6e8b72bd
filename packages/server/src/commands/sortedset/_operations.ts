/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, as redis-server 7.0's
 * zunionInterDiffGenericCommand runs them all: numkeys, then every key (a sorted set, or a plain set whose
 * members score 1; another type answers WRONGTYPE before any option is read), then the options, then the
 * operation. The result is a sorted set built in memory, so it is listed (or stored) by score, then by
 * member, whatever order the inputs were read in.
 *
 * - Scores are weighted (WEIGHTS) as they are read; a product that is NaN (0 × ±inf) counts as 0, and so
 *   does a sum of +inf and -inf (AGGREGATE SUM), as redis-server has it. ZINTER weighs the other sets'
 *   scores without that first check: their NaN reaches the aggregate, where a sum becomes 0 and MIN or
 *   MAX ignore it.
 * - ZUNION and ZINTER read the inputs from the smallest to the largest (a stable sort: inputs of the same
 *   size keep their order), which decides the order of the additions of a sum.
 * - ZDIFF keeps the first set's scores, unweighted; the first key given again makes the result empty.
 * - A stored result is encoded as redis-server converts it once built (zsetConvertToListpackIfNeeded):
 *   listpack when it has at most zset-max-listpack-entries members, none longer than
 *   zset-max-listpack-value; an empty result deletes the destination.
 */
import { errorReply } from '../../errors.js';
import { TYPE_SET, TYPE_ZSET, typeOf } from '../../keyspace/collections.js';
import { integerArg, isToken, recordAt } from '../_args.js';
import { collectionWritesAllowed, type OpenCollection, openAt } from '../_collection.js';
import { doubleValue } from '../_double.js';
import type { CommandContext } from '../context.js';
import { isMember, iterateMembers } from '../set/_shared.js';
import { replyScore, scoreOf, storeZsetAndReply, treeOf, type ZElement } from './_shared.js';
import { compareElements } from './_tree.js';

export type ZSetOp = 'union' | 'inter' | 'diff';

/** How a command runs the operation. */
export interface ZSetOpCommand {
  readonly op: ZSetOp;
  /** The command's name, for the numkeys error. */
  readonly name: string;
  /** ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: the destination is argument 1, numkeys argument 2. */
  readonly store?: boolean;
  /** ZINTERCARD: only the size of the intersection, up to LIMIT. */
  readonly cardinality?: boolean;
}

/** One input: a sorted set or a set (null when the key does not exist) and its weight. */
interface Source {
  readonly coll: OpenCollection | null;
  weight: number;
}

type Aggregate = (target: number, value: number) => number;

const AGGREGATES: Record<'sum' | 'min' | 'max', Aggregate> = {
  sum: (target, value) => {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  },
  // Not Math.min and Math.max: a NaN value leaves the target as it is, and -0 does not replace 0.
  // biome-ignore lint/complexity/useMathMinMax: redis-server's comparison, NaN and -0 included
  min: (target, value) => (value < target ? value : target),
  // biome-ignore lint/complexity/useMathMinMax: redis-server's comparison, NaN and -0 included
  max: (target, value) => (value > target ? value : target),
};

/** The key at argument i as an input: a sorted set or a set, null when missing, undefined after WRONGTYPE. */
function openInput(c: CommandContext, i: number): OpenCollection | null | undefined {
  const record = recordAt(c, i);
  if (record === undefined) return null;
  const type = typeOf(record);
  if (type !== TYPE_ZSET && type !== TYPE_SET) {
    c.out.error(errorReply('wrongType'));
    return undefined;
  }
  return openAt(c, i, type);
}

const size = (s: Source): number => (s.coll === null ? 0 : s.coll.count);

/** Calls `visit` with every element of an input (a set's members score 1), members copied. */
function eachElement(
  c: CommandContext,
  coll: OpenCollection,
  visit: (score: number, member: Buffer) => void,
): void {
  if (coll.type === TYPE_SET) {
    for (const member of iterateMembers(c, coll)) visit(1, member);
    return;
  }
  treeOf(c, coll).walk(0, coll.count, false, (score, member) => visit(score, Buffer.from(member)));
}

/** The score of `member` in an input, or undefined when it is not there. */
function find(c: CommandContext, coll: OpenCollection | null, member: Buffer): number | undefined {
  if (coll === null) return undefined;
  if (coll.type === TYPE_SET) return isMember(c, coll, member) ? 1 : undefined;
  return scoreOf(c, coll, member);
}

/** Runs one of the seven commands. */
export function zsetOperation(c: CommandContext, cmd: ZSetOpCommand): void {
  const a = c.args;
  const { op, store = false, cardinality = false } = cmd;
  const numkeysAt = store ? 2 : 1;
  const numkeys = integerArg(c, numkeysAt);
  if (numkeys === null) {
    c.out.error(errorReply('notInteger'));
    return;
  }
  if (numkeys < 1) {
    c.out.error(errorReply('inputKeysNeeded', cmd.name));
    return;
  }
  if (numkeys > a.argc - numkeysAt - 1) {
    c.out.error(errorReply('syntax'));
    return;
  }
  if (store && !collectionWritesAllowed(c)) return;

  const sources: Source[] = [];
  let j = numkeysAt + 1;
  for (let i = 0; i < numkeys; i++, j++) {
    const coll = openInput(c, j);
    if (coll === undefined) return;
    sources.push({ coll, weight: 1 });
  }

  let aggregate = AGGREGATES.sum;
  let withScores = false;
  let limit = 0;
  while (j < a.argc) {
    const remaining = a.argc - j;
    if (op !== 'diff' && !cardinality && remaining >= numkeys + 1 && isToken(c, j, 'weights')) {
      j++;
      for (const source of sources) {
        const weight = doubleValue(a.arg(j++));
        if (weight === null) {
          c.out.error(errorReply('weightNotFloat'));
          return;
        }
        source.weight = weight;
      }
    } else if (op !== 'diff' && !cardinality && remaining >= 2 && isToken(c, j, 'aggregate')) {
      if (isToken(c, j + 1, 'sum')) aggregate = AGGREGATES.sum;
      else if (isToken(c, j + 1, 'min')) aggregate = AGGREGATES.min;
      else if (isToken(c, j + 1, 'max')) aggregate = AGGREGATES.max;
      else {
        c.out.error(errorReply('syntax'));
        return;
      }
      j += 2;
    } else if (!store && !cardinality && isToken(c, j, 'withscores')) {
      withScores = true;
      j++;
    } else if (cardinality && remaining >= 2 && isToken(c, j, 'limit')) {
      const n = integerArg(c, j + 1);
      if (n === null || n < 0) {
        c.out.error(errorReply('limitNegative'));
        return;
      }
      limit = n;
      j += 2;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }

  // Smallest first (Array.prototype.sort is stable, as glibc's qsort is for redis-server's few inputs).
  if (op !== 'diff') sources.sort((x, y) => size(x) - size(y));

  if (cardinality) {
    c.out.integer(intersectionSize(c, sources, limit === 0 ? Number.POSITIVE_INFINITY : limit));
    return;
  }
  const result =
    op === 'union'
      ? union(c, sources, aggregate)
      : op === 'inter'
        ? intersection(c, sources, aggregate)
        : difference(c, sources);
  result.sort((x, y) => compareElements(x.score, x.member, y.score, y.member));
  if (store) storeResult(c, op, result);
  else replyResult(c, result, withScores);
}

function union(c: CommandContext, sources: readonly Source[], aggregate: Aggregate): ZElement[] {
  const scores = new Map<string, { score: number; member: Buffer }>();
  for (const { coll, weight } of sources) {
    if (coll === null || coll.count === 0) continue;
    eachElement(c, coll, (score, member) => {
      let weighted = weight * score;
      if (Number.isNaN(weighted)) weighted = 0;
      const name = member.toString('latin1');
      const seen = scores.get(name);
      if (seen === undefined) scores.set(name, { score: weighted, member });
      else seen.score = aggregate(seen.score, weighted);
    });
  }
  return [...scores.values()];
}

/** Walks the smallest input and looks its members up in the others (sources sorted by size). */
function intersection(c: CommandContext, sources: readonly Source[], aggregate: Aggregate): ZElement[] {
  const out: ZElement[] = [];
  eachCommon(
    c,
    sources,
    (member, score) => {
      out.push({ score, member });
      return true;
    },
    aggregate,
  );
  return out;
}

function intersectionSize(c: CommandContext, sources: readonly Source[], limit: number): number {
  let n = 0;
  eachCommon(c, sources, () => ++n < limit, AGGREGATES.sum);
  return n;
}

/**
 * Calls `found` with each member of the smallest input that every other input holds, and its aggregated
 * score; `found` returning false stops the walk.
 */
function eachCommon(
  c: CommandContext,
  sources: readonly Source[],
  found: (member: Buffer, score: number) => boolean,
  aggregate: Aggregate,
): void {
  const [first, ...others] = sources;
  if (first === undefined || first.coll === null || first.coll.count === 0) return;
  const firstId = first.coll.id;
  // A page of members at a time, copied: the other inputs are read while none of the first input's nodes
  // are held, and a walk that `found` stops early (ZINTERCARD's LIMIT) reads no more than it needs.
  for (const page of pagesOf(c, first.coll)) {
    for (const { score: own, member } of page) {
      let score = first.weight * own;
      if (Number.isNaN(score)) score = 0;
      let everywhere = true;
      for (const other of others) {
        // The first input given again: its own score, weighted again.
        const value = other.coll?.id.equals(firstId) ? own : find(c, other.coll, member);
        if (value === undefined) {
          everywhere = false;
          break;
        }
        score = aggregate(score, value * other.weight);
      }
      if (everywhere && !found(member, score)) return;
    }
  }
}

/** Elements of an input read at a time by `pagesOf`. */
const PAGE = 128;

/** The elements of an input (a set's members score 1), PAGE at a time, members copied. */
function* pagesOf(c: CommandContext, coll: OpenCollection): Generator<ZElement[]> {
  if (coll.type === TYPE_SET) {
    let page: ZElement[] = [];
    for (const member of iterateMembers(c, coll)) {
      page.push({ score: 1, member });
      if (page.length === PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
    return;
  }
  const tree = treeOf(c, coll);
  for (let rank = 0; rank < coll.count; rank += PAGE) {
    const page: ZElement[] = [];
    tree.walk(rank, PAGE, false, (score, member) => {
      page.push({ score, member: Buffer.from(member) });
    });
    yield page;
  }
}

function difference(c: CommandContext, sources: readonly Source[]): ZElement[] {
  const [first, ...others] = sources;
  if (first === undefined || first.coll === null || first.coll.count === 0) return [];
  const firstId = first.coll.id;
  if (others.some((s) => s.coll?.id.equals(firstId))) return [];
  const out: ZElement[] = [];
  eachElement(c, first.coll, (score, member) => {
    if (!others.some((s) => find(c, s.coll, member) !== undefined)) out.push({ score, member });
  });
  return out;
}

/** The result as an array of members, with their scores after each (RESP2) or in pairs (RESP3). */
function replyResult(c: CommandContext, result: readonly ZElement[], withScores: boolean): void {
  const out = c.out;
  const pairs = withScores && out.protocol === 3;
  out.arrayHeader(withScores && !pairs ? 2 * result.length : result.length);
  for (const { score, member } of result) {
    if (pairs) out.arrayHeader(2);
    out.bulk(member);
    if (withScores) replyScore(c, score);
  }
}

const EVENTS: Record<ZSetOp, string> = { union: 'zunionstore', inter: 'zinterstore', diff: 'zdiffstore' };

/** Stores the result under argument 1 (an empty one deletes it), replies its size, then announces it. */
function storeResult(c: CommandContext, op: ZSetOp, result: readonly ZElement[]): void {
  const config = c.server.config;
  let longest = 0;
  for (const { member } of result) if (member.length > longest) longest = member.length;
  const large =
    result.length > config['zset-max-listpack-entries'] || longest > config['zset-max-listpack-value'];
  storeZsetAndReply(c, 1, result, EVENTS[op], large);
}
