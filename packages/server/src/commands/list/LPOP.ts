import { command } from '../spec.js';
import { popCommand } from './_pop.js';
import { oneKey } from './_shared.js';

export const LPOP = command(
  {
    ...oneKey,
    name: 'lpop',
    summary: 'Removes and returns the first element of a list, or up to `count` of them.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned.',
    arity: -2,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer', optional: true },
    ],
    reply: {
      resp2:
        'Without count: a bulk string, or a null bulk string when the key does not exist. With count: an array of the elements popped, or a null array when the key does not exist.',
      resp3:
        'Without count: a bulk string, or null when the key does not exist. With count: an array of the elements popped, or null when the key does not exist.',
    },
    errors: ['wrongType', 'wrongArity', 'mustBePositive'],
    example: ['> RPUSH q a b c', '(integer) 3', '> LPOP q', '"a"', '> LPOP q 5', '1) "b"', '2) "c"'],
  },
  (c) => popCommand(c, true),
);
