import { recordAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putArg } from './_shared.js';

export const SETNX = command(
  {
    name: 'setnx',
    group: 'string',
    summary: 'Sets the string value of a key only when the key does not exist.',
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
      resp2: 'Integer: 1 when the key was set, 0 when it already existed.',
      resp3: 'Integer: 1 when the key was set, 0 when it already existed.',
    },
    errors: [],
    example: [
      '> SETNX lock owner-1',
      '(integer) 1',
      '> SETNX lock owner-2',
      '(integer) 0',
      '> GET lock',
      '"owner-1"',
    ],
  },
  (c) => {
    if (recordAt(c, 1) !== undefined) {
      c.out.integer(0);
      return;
    }
    putArg(c, 1, 2, 0);
    notify(c, NOTIFY_STRING, 'set', 1);
    c.out.integer(1);
  },
);
