import { errorReply } from '../../errors.js';
import { recordAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putArg } from './_shared.js';

export const MSETNX = command(
  {
    name: 'msetnx',
    group: 'string',
    summary: 'Sets the string values of several keys, only when none of them exists.',
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
    reply: {
      resp2: 'Integer: 1 when every key was set, 0 when none was because one of them existed.',
      resp3: 'Integer: 1 when every key was set, 0 when none was because one of them existed.',
    },
    errors: ['wrongArity'],
    example: [
      '> MSETNX a 1 b 2',
      '(integer) 1',
      '> MSETNX b 3 c 4',
      '(integer) 0',
      '> EXISTS c',
      '(integer) 0',
    ],
  },
  (c) => {
    const argc = c.args.argc;
    if (argc % 2 === 0) {
      c.out.error(errorReply('wrongArity', 'msetnx'));
      return;
    }
    for (let i = 1; i < argc; i += 2) {
      if (recordAt(c, i) !== undefined) {
        c.out.integer(0);
        return;
      }
    }
    for (let i = 1; i < argc; i += 2) {
      putArg(c, i, i + 1, 0);
      notify(c, NOTIFY_STRING, 'set', i);
    }
    c.out.integer(1);
  },
);
