import { command } from '../spec.js';
import { multiPopCommand } from './_mpop.js';
import { base } from './_shared.js';

export const BLMPOP = command(
  {
    ...base,
    name: 'blmpop',
    summary:
      'Removes and returns up to `count` elements from one end of the first non-empty list among the keys, waiting for one when all are empty.',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of keys and M the number of elements returned.',
    arity: -5,
    flags: ['write', 'blocking', 'movablekeys'],
    arguments: [
      { name: 'timeout', type: 'double' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      {
        name: 'where',
        type: 'oneof',
        arguments: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    reply: {
      resp2:
        'Array: the key and an array of the elements popped; a null array when the timeout passed (or, inside MULTI/EXEC or a script, at once when every list is empty).',
      resp3:
        'Array: the key and an array of the elements popped; null when the timeout passed (or, inside MULTI/EXEC or a script, at once when every list is empty).',
    },
    errors: [
      'wrongType',
      'timeoutNotFloat',
      'timeoutNegative',
      'numkeysPositive',
      'countPositive',
      'syntax',
      'unblocked',
    ],
    example: ['> BLMPOP 1 1 jobs LEFT', '(nil)'],
  },
  (c) => multiPopCommand(c, 2),
);
