import { deleteAt, stringAt } from '../_args.js';
import { NOTIFY_GENERIC, notify } from '../_notify.js';
import { command } from '../spec.js';
import { replyValue } from './_shared.js';

export const GETDEL = command(
  {
    name: 'getdel',
    group: 'string',
    summary: 'Returns the string value of a key and deletes the key.',
    since: '6.2.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Bulk string: the value the key had, or a null bulk string ($-1) when it did not exist.',
      resp3: 'Bulk string: the value the key had, or null (_) when it did not exist.',
    },
    errors: ['wrongType'],
    example: ['> SET token abc', 'OK', '> GETDEL token', '"abc"', '> GET token', '(nil)'],
  },
  (c) => {
    const record = stringAt(c, 1);
    if (record === null) return;
    replyValue(c.out, record);
    if (record === undefined) return;
    deleteAt(c, 1);
    notify(c, NOTIFY_GENERIC, 'del', 1);
  },
);
