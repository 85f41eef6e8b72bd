import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notifyCollection } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { listAt, pop, popMany, saveListAt } from './_shared.js';

/**
 * LPOP and RPOP, as popGenericCommand: without a count one element (a null bulk string for a missing
 * key), with one up to that many (a null array for a missing key).
 */
export function popCommand(c: CommandContext, left: boolean): void {
  if (!collectionWritesAllowed(c)) return;
  const a = c.args;
  if (a.argc > 3) {
    c.out.error(errorReply('wrongArity', left ? 'lpop' : 'rpop'));
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
  const list = listAt(c, 1);
  if (list === undefined) return;
  if (list === null) {
    if (count === -1) c.out.nullBulk();
    else c.out.nullArray();
    return;
  }
  if (count === -1) {
    const value = pop(c, list, left);
    saveListAt(c, 1, list);
    c.out.bulk(value);
    notifyCollection(c, NOTIFY_LIST, left ? 'lpop' : 'rpop', 1, list);
    return;
  }
  if (count === 0) {
    c.out.arrayHeader(0);
    return;
  }
  const items = popMany(c, list, left, count);
  saveListAt(c, 1, list);
  c.out.arrayHeader(items.length);
  for (const item of items) c.out.bulk(item);
  notifyCollection(c, NOTIFY_LIST, left ? 'lpop' : 'rpop', 1, list);
}
