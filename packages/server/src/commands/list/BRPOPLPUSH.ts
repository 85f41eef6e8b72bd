import { command } from '../spec.js';
import { moveCommand } from './_move.js';
import { base } from './_shared.js';

export const BRPOPLPUSH = command(
  {
    ...base,
    name: 'brpoplpush',
    summary: 'RPOPLPUSH, waiting for the source list to have an element when it is empty.',
    since: '2.2.0',
    complexity: 'O(1)',
    arity: 4,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key' },
      { name: 'timeout', type: 'double' },
    ],
    reply: {
      resp2:
        'Bulk string: the element moved; a null array when the timeout passed, or a null bulk string inside MULTI/EXEC when the source is empty.',
      resp3:
        'Bulk string: the element moved; null when the timeout passed, or inside MULTI/EXEC when the source is empty.',
    },
    errors: ['wrongType', 'timeoutNotFloat', 'timeoutNegative', 'unblocked'],
    example: ['> BRPOPLPUSH jobs working 0.5', '(nil)'],
  },
  (c) => moveCommand(c, null, 3),
);
