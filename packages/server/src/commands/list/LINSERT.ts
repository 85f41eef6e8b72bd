import { errorReply } from '../../errors.js';
import { isToken } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notify } from '../_notify.js';
import { command } from '../spec.js';
import { itemsIn, listAt, oneKey, rewriteBefore, rewriteFrom, saveListAt, walk } from './_shared.js';

export const LINSERT = command(
  {
    ...oneKey,
    name: 'linsert',
    summary: 'Inserts an element before or after the first occurrence of a pivot element in a list.',
    since: '2.2.0',
    complexity:
      'O(N) where N is the number of elements before the pivot, plus those on the shorter side of it, which move.',
    arity: 5,
    flags: ['write', 'denyoom'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'where',
        type: 'oneof',
        arguments: [
          { name: 'before', type: 'pure-token', token: 'BEFORE' },
          { name: 'after', type: 'pure-token', token: 'AFTER' },
        ],
      },
      { name: 'pivot', type: 'string' },
      { name: 'element', type: 'string' },
    ],
    reply: {
      resp2:
        'Integer: the length of the list after the insert, -1 when the pivot was not found, 0 when the key does not exist.',
      resp3:
        'Integer: the length of the list after the insert, -1 when the pivot was not found, 0 when the key does not exist.',
    },
    errors: ['wrongType', 'syntax'],
    example: ['> RPUSH q a c', '(integer) 2', '> LINSERT q BEFORE c b', '(integer) 3'],
  },
  (c) => {
    const after = isToken(c, 2, 'after');
    if (!after && !isToken(c, 2, 'before')) return c.out.error(errorReply('syntax'));
    if (!collectionWritesAllowed(c)) return;
    const list = listAt(c, 1);
    if (list === undefined) return;
    if (list === null) return c.out.integer(0);
    const a = c.args;
    const pivot = a.arg(3);
    let position = 0;
    let found = false;
    for (const value of walk(c, list)) {
      if (value.equals(pivot)) {
        found = true;
        break;
      }
      position++;
    }
    if (!found) return c.out.integer(-1);
    // Where the new element goes; the elements on the shorter side of it move by one.
    const at = after ? position + 1 : position;
    const element = a.argCopy(4);
    if (at <= list.count - at) rewriteBefore(c, list, at, [...itemsIn(c, list, 0, at - 1), element]);
    else rewriteFrom(c, list, at, [element, ...itemsIn(c, list, at, list.count - 1)]);
    saveListAt(c, 1, list);
    notify(c, NOTIFY_LIST, 'linsert', 1);
    c.out.integer(list.count);
  },
);
