import { errorReply } from '../../errors.js';
import { TYPE_LIST } from '../../keyspace/collections.js';
import { integerArg, isToken } from '../_args.js';
import { timeoutArg, unblocked, waitForKeys } from '../_blocking.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notifyCollection } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { listAt, pop, popMany, saveListAt, sideAt } from './_shared.js';

/**
 * BLPOP and BRPOP (keys …, timeout): pops one element from the first of the keys that holds a list,
 * replying the key and the element; else blocks until one does or the timeout passes (a null array).
 */
export function blockingPopCommand(c: CommandContext, left: boolean): void {
  const a = c.args;
  const timeout = timeoutArg(c, a.argc - 1);
  if (timeout === null) return;
  if (unblocked(c, () => c.out.nullArray())) return;
  if (!collectionWritesAllowed(c)) return;
  for (let i = 1; i < a.argc - 1; i++) {
    const list = listAt(c, i);
    if (list === undefined) return;
    if (list === null) continue;
    const value = pop(c, list, left);
    saveListAt(c, i, list);
    c.out.arrayHeader(2);
    c.out.bulkCopy(a.buffer, a.argStart(i), a.argEnd(i));
    c.out.bulk(value);
    notifyCollection(c, NOTIFY_LIST, left ? 'lpop' : 'rpop', i, list);
    return;
  }
  const keys: string[] = [];
  for (let i = 1; i < a.argc - 1; i++) keys.push(a.argString(i, 'latin1'));
  if (waitForKeys(c, keys, TYPE_LIST, timeout) !== 'blocked') c.out.nullArray();
}

/**
 * LMPOP (first = 1) and BLMPOP (first = 2, after the timeout): numkeys, the keys, LEFT or RIGHT, and
 * COUNT, as lmpopGenericCommand parses them; pops up to count elements from the first key that holds a
 * list, replying the key and the elements; else a null array, or (BLMPOP) blocks.
 */
export function multiPopCommand(c: CommandContext, first: 1 | 2): void {
  const a = c.args;
  let timeout = 0;
  if (first === 2) {
    const ms = timeoutArg(c, 1);
    if (ms === null) return;
    timeout = ms;
  }
  const numkeys = integerArg(c, first);
  if (numkeys === null || numkeys < 1) {
    c.out.error(errorReply('numkeysPositive'));
    return;
  }
  const sideIndex = first + numkeys + 1;
  if (sideIndex >= a.argc) {
    c.out.error(errorReply('syntax'));
    return;
  }
  const left = sideAt(c, sideIndex);
  if (left === null) {
    c.out.error(errorReply('syntax'));
    return;
  }
  let count = -1;
  for (let j = sideIndex + 1; j < a.argc; j++) {
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
  if (first === 2 && unblocked(c, () => c.out.nullArray())) return;
  if (!collectionWritesAllowed(c)) return;
  for (let i = first + 1; i < sideIndex; i++) {
    const list = listAt(c, i);
    if (list === undefined) return;
    if (list === null) continue;
    const items = count === 1 ? [pop(c, list, left)] : popMany(c, list, left, count);
    saveListAt(c, i, list);
    c.out.arrayHeader(2);
    c.out.bulkCopy(a.buffer, a.argStart(i), a.argEnd(i));
    c.out.arrayHeader(items.length);
    for (const item of items) c.out.bulk(item);
    notifyCollection(c, NOTIFY_LIST, left ? 'lpop' : 'rpop', i, list);
    return;
  }
  if (first === 1) {
    c.out.nullArray();
    return;
  }
  const keys: string[] = [];
  for (let i = first + 1; i < sideIndex; i++) keys.push(a.argString(i, 'latin1'));
  if (waitForKeys(c, keys, TYPE_LIST, timeout) !== 'blocked') c.out.nullArray();
}
