import { command } from '../spec.js';
import { blockingPopCommand } from './_mpop.js';
import { base } from './_shared.js';

export const BRPOP = command(
  {
    ...base,
    name: 'brpop',
    summary:
      'Removes and returns the last element of the first non-empty list among the keys, waiting for one when all are empty.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of keys.',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    keys: { first: 1, last: -2, step: 1 },
    arguments: [
      { name: 'key', type: 'key', multiple: true },
      { name: 'timeout', type: 'double' },
    ],
    reply: {
      resp2:
        'Array: the key and the element popped; a null array when the timeout passed (or, inside MULTI/EXEC, at once when every list is empty).',
      resp3:
        'Array: the key and the element popped; null when the timeout passed (or, inside MULTI/EXEC, at once when every list is empty).',
    },
    errors: ['wrongType', 'timeoutNotFloat', 'timeoutNegative', 'unblocked'],
    example: ['> RPUSH jobs j1', '(integer) 1', '> BRPOP urgent jobs 5', '1) "jobs"', '2) "j1"'],
  },
  (c) => blockingPopCommand(c, false),
);
