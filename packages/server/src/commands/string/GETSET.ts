import { stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putArg, replyValue } from './_shared.js';

export const GETSET = command(
  {
    name: 'getset',
    group: 'string',
    summary: 'Sets the string value of a key, removing its expiry, and returns the value it had.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'value', type: 'string' },
    ],
    reply: {
      resp2: 'Bulk string: the previous value, or a null bulk string ($-1) when the key did not exist.',
      resp3: 'Bulk string: the previous value, or null (_) when the key did not exist.',
    },
    errors: ['wrongType'],
    example: ['> SET counter 7', 'OK', '> GETSET counter 0', '"7"', '> GET counter', '"0"'],
  },
  (c) => {
    const record = stringAt(c, 1);
    if (record === null) return;
    replyValue(c.out, record);
    putArg(c, 1, 2, 0);
    notify(c, NOTIFY_STRING, 'set', 1);
  },
);
