import { errorReply } from '../../errors.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putArg } from './_shared.js';

export const MSET = command(
  {
    name: 'mset',
    group: 'string',
    summary: 'Sets the string values of one or more keys, removing their expiry.',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: -1, step: 2 },
    arguments: [
      {
        name: 'data',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['wrongArity'],
    example: ['> MSET a 1 b 2', 'OK', '> MGET a b', '1) "1"', '2) "2"'],
  },
  (c) => {
    const a = c.args;
    if (a.argc % 2 === 0) {
      c.out.error(errorReply('wrongArity', 'mset'));
      return;
    }
    for (let i = 1; i < a.argc; i += 2) {
      putArg(c, i, i + 1, 0);
      notify(c, NOTIFY_STRING, 'set', i);
    }
    c.out.ok();
  },
);
