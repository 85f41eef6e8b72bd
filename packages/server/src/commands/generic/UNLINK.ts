import { command } from '../spec.js';
import { deleteKeys } from './DEL.js';

export const UNLINK = command(
  {
    name: 'unlink',
    group: 'generic',
    summary: 'Deletes one or more keys, like DEL.',
    since: '4.0.0',
    complexity: 'O(1) for each key removed regardless of its size.',
    arity: -2,
    flags: ['write', 'fast'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2: 'Integer: the number of keys that were deleted.',
      resp3: 'Integer: the number of keys that were deleted.',
    },
    errors: [],
    example: ['> SET a 1', 'OK', '> UNLINK a b', '(integer) 1'],
  },
  deleteKeys,
);
