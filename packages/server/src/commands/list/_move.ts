import { errorReply } from '../../errors.js';
import { TYPE_LIST } from '../../keyspace/collections.js';
import { timeoutArg, unblocked, waitForKeys } from '../_blocking.js';
import { collectionWritesAllowed, newCollection, type OpenCollection } from '../_collection.js';
import type { CommandContext } from '../context.js';
import { listAt, pop, push, saveListAt, sideAt } from './_shared.js';

/**
 * Pops from the source list (argument 1, a list with elements) and pushes onto the destination
 * (argument 2, created when missing; the same list when the keys are equal). Returns the element moved,
 * or undefined once WRONGTYPE is replied for the destination (nothing moved then).
 */
function moveFrom(
  c: CommandContext,
  src: OpenCollection,
  fromLeft: boolean,
  toLeft: boolean,
): Buffer | undefined {
  const a = c.args;
  const same = a.arg(1).equals(a.arg(2));
  let dst: OpenCollection | null | undefined = src;
  if (!same) {
    dst = listAt(c, 2);
    if (dst === undefined) return undefined;
    dst ??= newCollection(c, TYPE_LIST);
  }
  const value = pop(c, src, fromLeft);
  push(c, dst, value, toLeft);
  if (!same) saveListAt(c, 1, src);
  saveListAt(c, 2, dst);
  return value;
}

/**
 * LMOVE, RPOPLPUSH, BLMOVE and BRPOPLPUSH: `sides` are the argument indexes of wherefrom and whereto
 * (null: RIGHT then LEFT, RPOPLPUSH's), `timeoutAt` the timeout's (null: not blocking).
 */
export function moveCommand(
  c: CommandContext,
  sides: readonly [number, number] | null,
  timeoutAt: number | null,
): void {
  let fromLeft = false;
  let toLeft = true;
  if (sides !== null) {
    const from = sideAt(c, sides[0]);
    const to = from === null ? null : sideAt(c, sides[1]);
    if (from === null || to === null) {
      c.out.error(errorReply('syntax'));
      return;
    }
    fromLeft = from;
    toLeft = to;
  }
  let timeout = 0;
  if (timeoutAt !== null) {
    const ms = timeoutArg(c, timeoutAt);
    if (ms === null) return;
    timeout = ms;
    // A blocked command times out with a null array (replyToBlockedClientTimedOut).
    if (unblocked(c, () => c.out.nullArray())) return;
  }
  if (!collectionWritesAllowed(c)) return;
  const src = listAt(c, 1);
  if (src === undefined) return;
  if (src !== null) {
    const value = moveFrom(c, src, fromLeft, toLeft);
    if (value !== undefined) c.out.bulk(value);
    return;
  }
  if (timeoutAt === null) {
    c.out.nullBulk();
    return;
  }
  const waited = waitForKeys(c, [c.args.argString(1, 'latin1')], TYPE_LIST, timeout);
  if (waited === 'timedOut') c.out.nullArray();
  else if (waited === 'denied') c.out.nullBulk();
}
