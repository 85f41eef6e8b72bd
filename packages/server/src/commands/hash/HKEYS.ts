import { command } from '../spec.js';
import { listHash } from './_list.js';
import { base } from './_shared.js';

export const HKEYS = command(
  {
    ...base,
    name: 'hkeys',
    summary: 'Returns every field of a hash.',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    arity: 2,
    flags: ['readonly'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Array of the fields; empty when the key does not exist.',
      resp3: 'Array of the fields; empty when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HKEYS user:1', '1) "name"'],
  },
  (c) => listHash(c, true, false),
);
