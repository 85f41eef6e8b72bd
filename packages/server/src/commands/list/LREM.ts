import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notifyCollection } from '../_notify.js';
import { command } from '../spec.js';
import { itemsIn, listAt, oneKey, reader, rewriteBefore, rewriteFrom, saveListAt, walk } from './_shared.js';

export const LREM = command(
  {
    ...oneKey,
    name: 'lrem',
    summary:
      'Removes occurrences of an element from a list: the first `count` from the head (count > 0), the last from the tail (count < 0), or all (0).',
    since: '1.0.0',
    complexity:
      'O(N+M) where N is the number of elements scanned and M the number of those on the shorter side of the removed ones, which move.',
    arity: 4,
    flags: ['write'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer' },
      { name: 'element', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the number of elements removed.',
      resp3: 'Integer: the number of elements removed.',
    },
    errors: ['wrongType', 'notInteger'],
    example: [
      '> RPUSH q a b a c a',
      '(integer) 5',
      '> LREM q -2 a',
      '(integer) 2',
      '> LRANGE q 0 -1',
      '1) "a"',
      '2) "b"',
      '3) "c"',
    ],
  },
  (c) => {
    const count = integerArg(c, 2);
    if (count === null) return c.out.error(errorReply('notInteger'));
    if (!collectionWritesAllowed(c)) return;
    const list = listAt(c, 1);
    if (list === undefined) return;
    if (list === null) return c.out.integer(0);
    const element = c.args.arg(3);
    const limit = count === 0 ? Number.POSITIVE_INFINITY : Math.abs(count);
    /** Positions of the elements to remove, ascending. */
    const removed: number[] = [];
    if (count >= 0) {
      let position = 0;
      for (const value of walk(c, list)) {
        if (value.equals(element)) {
          removed.push(position);
          if (removed.length >= limit) break;
        }
        position++;
      }
    } else {
      // Backwards, reading each chunk once.
      const read = reader(c, list);
      for (let position = list.count - 1; position >= 0 && removed.length < limit; position--) {
        if (read(position).equals(element)) removed.push(position);
      }
      removed.reverse();
    }
    if (removed.length === 0) return c.out.integer(0);
    const first = removed[0] as number;
    const last = removed[removed.length - 1] as number;
    const gone = new Set(removed);
    if (list.count - first <= last + 1) {
      // Rewrite from the first removed element to the tail.
      const keep = itemsIn(c, list, first, list.count - 1).filter((_, i) => !gone.has(first + i));
      rewriteFrom(c, list, first, keep);
    } else {
      // Rewrite from the head to the last removed element.
      const keep = itemsIn(c, list, 0, last).filter((_, i) => !gone.has(i));
      rewriteBefore(c, list, last + 1, keep);
    }
    saveListAt(c, 1, list);
    notifyCollection(c, NOTIFY_LIST, 'lrem', 1, list);
    c.out.integer(removed.length);
  },
);
