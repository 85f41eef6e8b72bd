import { command } from '../spec.js';
import { pushCommand } from './_push.js';
import { oneKey } from './_shared.js';

export const RPUSH = command(
  {
    ...oneKey,
    name: 'rpush',
    summary: 'Appends elements to a list, creating it when missing.',
    since: '1.0.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements.',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'element', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: the length of the list after the push.',
      resp3: 'Integer: the length of the list after the push.',
    },
    errors: ['wrongType'],
    example: ['> RPUSH q b c', '(integer) 2'],
  },
  (c) => pushCommand(c, false, false),
);
