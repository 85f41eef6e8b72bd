import { TYPE_LIST } from '../../keyspace/collections.js';
import { collectionWritesAllowed, openOrCreateAt } from '../_collection.js';
import { NOTIFY_LIST, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { listAt, push, saveListAt } from './_shared.js';

/**
 * LPUSH, RPUSH, LPUSHX and RPUSHX: pushes every element argument in turn at one end; the X forms only
 * onto an existing list. Replies the list's length.
 */
export function pushCommand(c: CommandContext, left: boolean, onlyExisting: boolean): void {
  if (!collectionWritesAllowed(c)) return;
  const a = c.args;
  const list = onlyExisting ? listAt(c, 1) : openOrCreateAt(c, 1, TYPE_LIST);
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
