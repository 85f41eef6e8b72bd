import { TYPE_HASH } from '../../keyspace/collections.js';
import { elementAt, elementValue, openAt } from '../_collection.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HSTRLEN = command(
  {
    ...base,
    name: 'hstrlen',
    summary: 'Returns the length in bytes of the value of a field of a hash.',
    since: '3.2.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the length, 0 when the field or the key does not exist.',
      resp3: 'Integer: the length, 0 when the field or the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HSTRLEN user:1 name', '(integer) 3'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_HASH);
    if (coll === undefined) return;
    const record = coll === null ? undefined : elementAt(c, coll, 2);
    c.out.integer(record === undefined ? 0 : elementValue(record).length);
  },
);
