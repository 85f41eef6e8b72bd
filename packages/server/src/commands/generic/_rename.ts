import { errorReply } from '../../errors.js';
import { recordAt } from '../_args.js';
import { movedRecord } from '../_collection.js';
import { announceReplacing, NOTIFY_GENERIC, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { recordFor } from './_keys.js';

/** RENAME and RENAMENX: moves the value and expiry of argument 1 to argument 2. Returns what was done. */
export function renameKey(c: CommandContext, onlyIfNew: boolean): 'missing' | 'exists' | 'renamed' {
  const a = c.args;
  const source = recordAt(c, 1);
  if (source === undefined) {
    c.out.error(errorReply('noSuchKey'));
    return 'missing';
  }
  const from = a.arg(1);
  const to = a.arg(2);
  if (from.equals(to)) return onlyIfNew ? 'exists' : 'renamed';
  const moved = recordFor(to, source);
  if (onlyIfNew && recordAt(c, 2) !== undefined) return 'exists';
  announceReplacing(c, to);
  c.db.delete(from, 0, from.length);
  c.db.put(to, 0, to.length, moved);
  movedRecord(c, c.db, to, moved);
  notify(c, NOTIFY_GENERIC, 'rename_from', from);
  notify(c, NOTIFY_GENERIC, 'rename_to', to);
  return 'renamed';
}
