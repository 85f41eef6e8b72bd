import { errorReply } from '../../errors.js';
import { TYPE_LIST } from '../../keyspace/collections.js';
import { timeoutArg, unblocked, waitForKeys } from '../_blocking.js';
import { collectionWritesAllowed, newCollection, type OpenCollection } from '../_collection.js';
import { NOTIFY_LIST, notify, notifyCollection } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { listAt, pop, push, saveListAt, sideAt } from './_shared.js';

/**
 * Pops from the source list (argument 1, a list with elements), pushes onto the destination (argument 2,
 * created when missing; the same list when the keys are equal) and replies with the element moved; or
 * replies WRONGTYPE for the destination, moving nothing.
 */
function moveFrom(c: CommandContext, src: OpenCollection, fromLeft: boolean, toLeft: boolean): void {
  const a = c.args;
  const same = a.arg(1).equals(a.arg(2));
  let dst: OpenCollection | null | undefined = src;
  if (!same) {
    dst = listAt(c, 2);
    if (dst === undefined) return;
    dst ??= newCollection(c, TYPE_LIST);
  }
  const value = pop(c, src, fromLeft);
  push(c, dst, value, toLeft);
  if (!same) saveListAt(c, 1, src);
  saveListAt(c, 2, dst);
  // As redis-server: the push to the destination is announced, the value replied, then the pop.
  notify(c, NOTIFY_LIST, toLeft ? 'lpush' : 'rpush', 2);
  c.out.bulk(value);
  notifyCollection(c, NOTIFY_LIST, fromLeft ? 'lpop' : 'rpop', 1, src);
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
    moveFrom(c, src, fromLeft, toLeft);
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
