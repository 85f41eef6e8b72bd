import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notify } from '../_notify.js';
import { command } from '../spec.js';
import { listAt, oneKey, saveListAt, setItem } from './_shared.js';

export const LSET = command(
  {
    ...oneKey,
    name: 'lset',
    summary: 'Sets the element at an index of a list (negative indexes count from the end).',
    since: '1.0.0',
    complexity: 'O(1): any element is one write.',
    arity: 4,
    flags: ['write', 'denyoom'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'index', type: 'integer' },
      { name: 'element', type: 'string' },
    ],
    reply: { resp2: 'Simple string: OK.', resp3: 'Simple string: OK.' },
    errors: ['wrongType', 'noSuchKey', 'notInteger', 'indexOutOfRange'],
    example: ['> RPUSH q a b', '(integer) 2', '> LSET q 0 z', 'OK'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const list = listAt(c, 1);
    if (list === undefined) return;
    if (list === null) return c.out.error(errorReply('noSuchKey'));
    const index = integerArg(c, 2);
    if (index === null) return c.out.error(errorReply('notInteger'));
    const position = index < 0 ? list.count + index : index;
    if (position < 0 || position >= list.count) return c.out.error(errorReply('indexOutOfRange'));
    setItem(c, list, position, c.args.argCopy(3));
    saveListAt(c, 1, list);
    c.out.ok();
    notify(c, NOTIFY_LIST, 'lset', 1);
  },
);
