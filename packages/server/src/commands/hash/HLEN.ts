import { TYPE_HASH } from '../../keyspace/collections.js';
import { openAt } from '../_collection.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HLEN = command(
  {
    ...base,
    name: 'hlen',
    summary: 'Returns the number of fields of a hash.',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the number of fields, 0 when the key does not exist.',
      resp3: 'Integer: the number of fields, 0 when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada lang en', '(integer) 2', '> HLEN user:1', '(integer) 2'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_HASH);
    if (coll === undefined) return;
    c.out.integer(coll === null ? 0 : coll.count);
  },
);
