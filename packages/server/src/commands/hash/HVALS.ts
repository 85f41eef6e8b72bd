import { command } from '../spec.js';
import { listHash } from './_list.js';
import { base } from './_shared.js';

export const HVALS = command(
  {
    ...base,
    name: 'hvals',
    summary: 'Returns every value of a hash.',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    arity: 2,
    flags: ['readonly'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Array of the values; empty when the key does not exist.',
      resp3: 'Array of the values; empty when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HVALS user:1', '1) "Ada"'],
  },
  (c) => listHash(c, false, true),
);
