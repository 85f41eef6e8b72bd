import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_LIST, notifyCollection } from '../_notify.js';
import { command } from '../spec.js';
import { clampRange, keepRange, listAt, oneKey, saveListAt } from './_shared.js';

export const LTRIM = command(
  {
    ...oneKey,
    name: 'ltrim',
    summary:
      'Keeps only the elements of a list between two indexes, both included (negative indexes count from the end).',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements removed.',
    arity: 4,
    flags: ['write'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
    reply: { resp2: 'Simple string: OK.', resp3: 'Simple string: OK.' },
    errors: ['wrongType', 'notInteger'],
    example: [
      '> RPUSH q a b c',
      '(integer) 3',
      '> LTRIM q 1 -1',
      'OK',
      '> LRANGE q 0 -1',
      '1) "b"',
      '2) "c"',
    ],
  },
  (c) => {
    const start = integerArg(c, 2);
    const stop = start === null ? null : integerArg(c, 3);
    if (start === null || stop === null) return c.out.error(errorReply('notInteger'));
    if (!collectionWritesAllowed(c)) return;
    const list = listAt(c, 1);
    if (list === undefined) return;
    if (list === null) return c.out.ok();
    const range = clampRange(start, stop, list.count);
    if (range === null) keepRange(c, list, 0, 0);
    else keepRange(c, list, range[0], range[1] + 1);
    saveListAt(c, 1, list);
    notifyCollection(c, NOTIFY_LIST, 'ltrim', 1, list);
    c.out.ok();
  },
);
