/**
 * ZPOPMIN, ZPOPMAX, BZPOPMIN, BZPOPMAX, ZMPOP and BZMPOP, as redis-server 7.0's genericZpopCommand
 * serves them all: the first key that holds a sorted set gives up to `count` elements from its low
 * (MIN) or high (MAX) end, in the order taken, each found by walking the tree from that end (O(log n)
 * for the first, then the next ones in order). The blocking forms wait for a sorted set otherwise
 * (commands/_blocking.ts).
 */
import { errorReply } from '../../errors.js';
import { TYPE_ZSET } from '../../keyspace/collections.js';
import { integerArg, isToken } from '../_args.js';
import { timeoutArg, unblocked, waitForKeys } from '../_blocking.js';
import { collectionWritesAllowed, type OpenCollection } from '../_collection.js';
import { NOTIFY_GENERIC, NOTIFY_ZSET, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { removeMember, replyScore, saveZset, treeOf, type ZElement, zsetAt } from './_shared.js';

/**
 * How the elements popped are replied:
 * - `flat`: member, score, member, score … (ZPOPMIN/ZPOPMAX in RESP2, or without a count);
 * - `pairs`: an array of [member, score] (ZPOPMIN/ZPOPMAX with a count in RESP3);
 * - `keyed`: the key, then member and score (BZPOPMIN/BZPOPMAX in both protocols);
 * - `nested`: the key and an array of [member, score] (ZMPOP/BZMPOP in both protocols).
 */
type ReplyShape = 'flat' | 'pairs' | 'keyed' | 'nested';

/** Removes up to `count` elements from one end of the set, in the order taken (lowest first for MIN). */
function popEnd(c: CommandContext, z: OpenCollection, max: boolean, count: number): ZElement[] {
  const taken: ZElement[] = [];
  // Copies: the members are views of tree nodes that the removals change.
  treeOf(c, z).walk(max ? z.count - 1 : 0, Math.min(count, z.count), max, (score, member) => {
    taken.push({ score, member: Buffer.from(member) });
  });
  for (const { score, member } of taken) removeMember(c, z, member, score);
  return taken;
}

/**
 * Pops up to `count` elements from the set at argument i, stores it back (deleted when emptied), replies
 * them in `shape`, and announces `zpopmin` or `zpopmax`, then `del` when the key went.
 */
function serve(
  c: CommandContext,
  i: number,
  z: OpenCollection,
  max: boolean,
  count: number,
  shape: ReplyShape,
): void {
  const popped = popEnd(c, z, max, count);
  saveZset(c, i, z);
  const out = c.out;
  const a = c.args;
  if (shape === 'flat') out.arrayHeader(popped.length * 2);
  else if (shape === 'pairs') out.arrayHeader(popped.length);
  else if (shape === 'keyed') out.arrayHeader(popped.length * 2 + 1);
  else out.arrayHeader(2);
  if (shape === 'keyed' || shape === 'nested') out.bulkCopy(a.buffer, a.argStart(i), a.argEnd(i));
  if (shape === 'nested') out.arrayHeader(popped.length);
  // redis-server announces the pop as it takes the first element, after the reply's headers: a RESP3
  // connection subscribed to its own key gets the push there.
  notify(c, NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', i);
  const inPairs = shape === 'pairs' || shape === 'nested';
  for (const { score, member } of popped) {
    if (inPairs) out.arrayHeader(2);
    out.bulk(member);
    replyScore(c, score);
  }
  if (z.count === 0) notify(c, NOTIFY_GENERIC, 'del', i);
}

/**
 * ZPOPMIN and ZPOPMAX (key [count]): without a count one element, as a flat array; with one, up to that
 * many (pairs in RESP3). A missing key, or a count of 0, gives an empty array.
 */
export function zpopCommand(c: CommandContext, max: boolean): void {
  if (!collectionWritesAllowed(c)) return;
  const a = c.args;
  if (a.argc > 3) {
    c.out.error(errorReply('syntax'));
    return;
  }
  let count = -1;
  if (a.argc === 3) {
    const n = integerArg(c, 2);
    if (n === null || n < 0) {
      c.out.error(errorReply('mustBePositive'));
      return;
    }
    count = n;
  }
  const z = zsetAt(c, 1);
  if (z === undefined) return;
  if (z === null || count === 0) {
    c.out.arrayHeader(0);
    return;
  }
  const shape = count !== -1 && c.out.protocol === 3 ? 'pairs' : 'flat';
  serve(c, 1, z, max, count === -1 ? 1 : count, shape);
}

/**
 * Pops from the first of the keys at arguments [first, end) that holds a sorted set; else, when
 * `timeout` is not null, blocks until one does or the timeout passes. Replies a null array when
 * nothing was popped (a timeout, or where a command cannot block).
 */
function popFirst(
  c: CommandContext,
  first: number,
  end: number,
  max: boolean,
  count: number,
  shape: ReplyShape,
  timeout: number | null,
): void {
  for (let i = first; i < end; i++) {
    const z = zsetAt(c, i);
    if (z === undefined) return;
    if (z === null) continue;
    serve(c, i, z, max, count, shape);
    return;
  }
  if (timeout === null) {
    c.out.nullArray();
    return;
  }
  const keys: string[] = [];
  for (let i = first; i < end; i++) keys.push(c.args.argString(i, 'latin1'));
  if (waitForKeys(c, keys, TYPE_ZSET, timeout) !== 'blocked') c.out.nullArray();
}

/** BZPOPMIN and BZPOPMAX (keys …, timeout): [key, member, score], or a null array on the timeout. */
export function blockingZpopCommand(c: CommandContext, max: boolean): void {
  const a = c.args;
  const timeout = timeoutArg(c, a.argc - 1);
  if (timeout === null) return;
  if (unblocked(c, () => c.out.nullArray())) return;
  if (!collectionWritesAllowed(c)) return;
  popFirst(c, 1, a.argc - 1, max, 1, 'keyed', timeout);
}

/**
 * ZMPOP (first = 1) and BZMPOP (first = 2, after the timeout): numkeys, the keys, MIN or MAX, and
 * COUNT, as zmpopGenericCommand parses them; BZMPOP reads its timeout only after them. Replies the key
 * and an array of [member, score], or a null array.
 */
export function zmpopCommand(c: CommandContext, first: 1 | 2): void {
  const a = c.args;
  const numkeys = integerArg(c, first);
  if (numkeys === null || numkeys < 1) {
    c.out.error(errorReply('numkeysPositive'));
    return;
  }
  const whereAt = first + numkeys + 1;
  if (whereAt >= a.argc) {
    c.out.error(errorReply('syntax'));
    return;
  }
  const max = isToken(c, whereAt, 'max');
  if (!max && !isToken(c, whereAt, 'min')) {
    c.out.error(errorReply('syntax'));
    return;
  }
  let count = -1;
  for (let j = whereAt + 1; j < a.argc; j++) {
    if (count === -1 && isToken(c, j, 'count') && j + 1 < a.argc) {
      const n = integerArg(c, ++j);
      if (n === null || n < 1) {
        c.out.error(errorReply('countPositive'));
        return;
      }
      count = n;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }
  if (count === -1) count = 1;
  let timeout: number | null = null;
  if (first === 2) {
    timeout = timeoutArg(c, 1);
    if (timeout === null) return;
    if (unblocked(c, () => c.out.nullArray())) return;
  }
  if (!collectionWritesAllowed(c)) return;
  popFirst(c, first + 1, whereAt, max, count, 'nested', timeout);
}
