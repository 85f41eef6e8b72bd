import { errorReply } from '../../errors.js';
import { isToken } from '../_args.js';
import { doubleValue } from '../_double.js';
import { NOTIFY_ZSET, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { replyScore, saveZset, scoreAt, setScore, zsetForWrite } from './_shared.js';

/**
 * ZADD, and ZINCRBY (as `ZADD key INCR increment member`, which redis-server 7.0 runs through the same
 * code, options parsing included): options from argument 2 on, then score and member pairs; every score
 * is read before the key is looked at.
 */
export function zadd(c: CommandContext, incrby: boolean): void {
  const a = c.args;
  let nx = false;
  let xx = false;
  let ch = false;
  let incr = incrby;
  let gt = false;
  let lt = false;
  let i = 2;
  for (; i < a.argc; i++) {
    if (isToken(c, i, 'nx')) nx = true;
    else if (isToken(c, i, 'xx')) xx = true;
    else if (isToken(c, i, 'ch')) ch = true;
    else if (isToken(c, i, 'incr')) incr = true;
    else if (isToken(c, i, 'gt')) gt = true;
    else if (isToken(c, i, 'lt')) lt = true;
    else break;
  }
  const pairs = a.argc - i;
  if (pairs === 0 || pairs % 2 !== 0) {
    c.out.error(errorReply('syntax'));
    return;
  }
  if (nx && xx) {
    c.out.error(errorReply('zaddNxXx'));
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.out.error(errorReply('zaddGtLtNx'));
    return;
  }
  if (incr && pairs > 2) {
    c.out.error(errorReply('zaddIncrPairs'));
    return;
  }
  const scores: number[] = [];
  for (let j = i; j < a.argc; j += 2) {
    const score = doubleValue(a.arg(j));
    if (score === null) {
      c.out.error(errorReply('notFloat'));
      return;
    }
    scores.push(score);
  }
  const z = zsetForWrite(c, 1);
  if (z === undefined) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  if (!(xx && z.created)) {
    for (let j = i, k = 0; j < a.argc; j += 2, k++) {
      let score = scores[k] as number;
      const old = z.count === 0 ? undefined : scoreAt(c, z, j + 1);
      if (old === undefined) {
        if (xx) continue;
        setScore(c, z, a.argCopy(j + 1), score, undefined);
        added++;
      } else {
        if (nx) continue;
        if (incr) {
          score += old;
          if (Number.isNaN(score)) {
            saveZset(c, 1, z);
            c.out.error(errorReply('scoreNan'));
            return;
          }
        }
        if ((lt && score >= old) || (gt && score <= old)) continue;
        if (score !== old) {
          setScore(c, z, a.argCopy(j + 1), score, old);
          updated++;
        }
      }
      processed++;
      last = score;
    }
    saveZset(c, 1, z);
  }
  if (incr) {
    if (processed > 0) replyScore(c, last);
    else c.out.nullBulk();
  } else c.out.integer(ch ? added + updated : added);
  if (added > 0 || updated > 0) notify(c, NOTIFY_ZSET, incr ? 'zincr' : 'zadd', 1);
}
