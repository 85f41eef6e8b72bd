import { command } from '../spec.js';
import { pushCommand } from './_push.js';
import { oneKey } from './_shared.js';

export const RPUSHX = command(
  {
    ...oneKey,
    name: 'rpushx',
    summary: 'Appends elements to a list, only when the list exists.',
    since: '2.2.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements.',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'element', type: 'string', multiple: true },
    ],
    reply: {
      resp2:
        'Integer: the length of the list after the push (0 when the key does not exist: nothing is pushed).',
      resp3:
        'Integer: the length of the list after the push (0 when the key does not exist: nothing is pushed).',
    },
    errors: ['wrongType'],
    example: ['> RPUSH q a', '(integer) 1', '> RPUSHX q b c', '(integer) 3'],
  },
  (c) => pushCommand(c, false, true),
);
