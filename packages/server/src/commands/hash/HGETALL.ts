import { command } from '../spec.js';
import { listHash } from './_list.js';
import { base } from './_shared.js';

export const HGETALL = command(
  {
    ...base,
    name: 'hgetall',
    summary: 'Returns every field and value of a hash.',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    arity: 2,
    flags: ['readonly'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Array of fields and values, alternating (field, value, …); empty when the key does not exist.',
      resp3: 'Map of fields to values; empty when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HGETALL user:1', '1) "name"', '2) "Ada"'],
  },
  (c) => listHash(c, true, true),
);
