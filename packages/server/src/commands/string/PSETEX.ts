import { NOTIFY_GENERIC, NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { expireAtOrReply, putArg } from './_shared.js';

export const PSETEX = command(
  {
    name: 'psetex',
    group: 'string',
    summary: 'Sets the string value of a key with an expiry in milliseconds.',
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 4,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'milliseconds', type: 'integer' },
      { name: 'value', type: 'string' },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['notInteger', 'invalidExpire'],
    example: ['> PSETEX session 1500 data', 'OK', '> PTTL session', '(integer) 1499'],
  },
  (c) => {
    const expiresAt = expireAtOrReply(c, 2, false, true, 'psetex');
    if (expiresAt === null) return;
    putArg(c, 1, 3, expiresAt);
    notify(c, NOTIFY_STRING, 'set', 1);
    notify(c, NOTIFY_GENERIC, 'expire', 1);
    c.out.ok();
  },
);
