/**
 * What the blocking commands share (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP): their timeout argument,
 * and waiting for keys.
 *
 * A command that finds nothing to pop waits in the queue of each of its keys (`Database.blocked`), in the
 * order connections first blocked. A write that leaves a collection of the awaited type under the key
 * wakes as many waiters as it has elements, and each runs its command again, as Redis 7 reprocesses a
 * blocked command: one that still finds nothing (another took the element) waits again, in its old place.
 * Writes wake waiters from any connection, from MULTI/EXEC, from scripts and from RENAME or MOVE.
 */
import { errorReply } from '../errors.js';
import type { KeyWaiter } from '../keyspace/keyspace.js';
import { LLONG_MAX } from './_args.js';
import type { CommandContext } from './context.js';
import { parseLongDouble } from './string/_longdouble.js';

/** Orders waiters across connections: a connection keeps its number until its command ends. */
let nextOrder = 0;

/**
 * Argument i as a blocking timeout in seconds (a float, as redis-server's getTimeoutFromObjectOrReply
 * reads it), in milliseconds: 0 waits for ever. Null once the error is replied.
 */
export function timeoutArg(c: CommandContext, i: number): number | null {
  const a = c.args;
  const x = parseLongDouble(a.buffer, a.argStart(i), a.argEnd(i));
  if (x === null) {
    c.out.error(errorReply('timeoutNotFloat'));
    return null;
  }
  // (long long)ceill(seconds * 1000.0): the product rounded to a long double's 64 bits, then rounded up.
  // Infinity and products past the 64-bit range convert to LLONG_MIN on x86-64: "negative".
  let ms: bigint;
  if (!x.finite) {
    ms = -1n;
  } else {
    let m = x.m * 1000n;
    let e = x.e;
    const excess = m.toString(2).length - 64;
    if (excess > 0) {
      const half = 1n << BigInt(excess - 1);
      const rest = m & ((1n << BigInt(excess)) - 1n);
      m >>= BigInt(excess);
      if (rest > half || (rest === half && (m & 1n) === 1n)) m++;
      e += excess;
    }
    let magnitude: bigint;
    if (e >= 0) magnitude = m << BigInt(e);
    else if (x.neg) magnitude = m >> BigInt(-e);
    else magnitude = (m + (1n << BigInt(-e)) - 1n) >> BigInt(-e);
    ms = magnitude > LLONG_MAX ? -1n : x.neg ? -magnitude : magnitude;
  }
  if (ms < 0n) {
    c.out.error(errorReply('timeoutNegative'));
    return null;
  }
  // Past the 64-bit range once added to the clock, redis-server's deadline never comes.
  if (ms > LLONG_MAX - BigInt(c.now)) return 0;
  return Number(ms);
}

/**
 * After CLIENT UNBLOCK ended this connection's blocked command: replies UNBLOCKED (reason ERROR), or
 * calls `timedOut` to reply as on a timeout (reason TIMEOUT), and returns true. False when not unblocked.
 */
export function unblocked(c: CommandContext, timedOut: () => void): boolean {
  const reason = c.session.unblockedBy;
  if (reason === null) return false;
  c.session.unblockedBy = null;
  if (reason === 'error') c.out.error(errorReply('unblocked'));
  else timedOut();
  return true;
}

/**
 * Blocks the connection until one of `keys` (latin1 strings, of the selected database) holds a
 * collection of `type`, or `timeoutMs` (0: for ever) has passed since the command first ran; the command
 * then runs again. Blocks nothing when the timeout has passed (`timedOut`) or the command cannot block
 * (`denied`: MULTI/EXEC, scripts); the caller then replies as Redis does in each case.
 */
export function waitForKeys(
  c: CommandContext,
  keys: readonly string[],
  type: number,
  timeoutMs: number,
): 'blocked' | 'timedOut' | 'denied' {
  const since = c.session.blockedSince ?? c.now;
  const left = since + timeoutMs - c.now;
  if (timeoutMs > 0 && left <= 0) return 'timedOut';
  const session = c.session;
  const db = c.db;
  const registry = c.server.keyBlocked;
  const blocked = c.block((wake) => {
    session.blockOrder ??= nextOrder++;
    let timer: NodeJS.Timeout | undefined;
    const cancel = (): void => {
      for (const key of keys) {
        const queue = db.blocked.get(key);
        if (queue === undefined) continue;
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        if (queue.length === 0) db.blocked.delete(key);
      }
      clearTimeout(timer);
      registry.delete(session.id);
    };
    const waiter: KeyWaiter = {
      order: session.blockOrder,
      type,
      wake: (key) => {
        session.wokenBy = key ?? null;
        cancel();
        wake();
      },
    };
    for (const key of keys) {
      let queue = db.blocked.get(key);
      if (queue === undefined) {
        queue = [];
        db.blocked.set(key, queue);
      }
      if (queue.includes(waiter)) continue;
      // Usually last; a command woken for nothing takes its old place back.
      let at = queue.length;
      while (at > 0 && (queue[at - 1] as KeyWaiter).order > waiter.order) at--;
      queue.splice(at, 0, waiter);
    }
    if (timeoutMs > 0) timer = setTimeout(waiter.wake, left);
    registry.set(session.id, {
      unblock: (reason) => {
        session.unblockedBy = reason;
        waiter.wake();
      },
      timed: timeoutMs > 0,
    });
    return cancel;
  });
  return blocked ? 'blocked' : 'denied';
}
