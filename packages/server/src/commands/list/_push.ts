import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { listAt, listForPush, push, saveListAt } from './_shared.js';

/**
 * LPUSH, RPUSH, LPUSHX and RPUSHX: pushes every element argument in turn at one end; the X forms only
 * onto an existing list. Replies the list's length.
 */
export function pushCommand(c: CommandContext, left: boolean, onlyExisting: boolean): void {
  const a = c.args;
  let list: ReturnType<typeof listForPush> | null;
  if (onlyExisting) {
    if (!collectionWritesAllowed(c)) return;
    list = listAt(c, 1);
  } else {
    list = listForPush(c, 1);
  }
  if (list === undefined) return;
  if (list === null) {
    c.out.integer(0);
    return;
  }
  for (let i = 2; i < a.argc; i++) push(c, list, a.argCopy(i), left);
  saveListAt(c, 1, list);
  c.out.integer(list.count);
  notify(c, NOTIFY_LIST, left ? 'lpush' : 'rpush', 1);
}
