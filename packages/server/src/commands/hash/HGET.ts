import { TYPE_HASH } from '../../keyspace/collections.js';
import { elementAt, elementValue, openAt } from '../_collection.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HGET = command(
  {
    ...base,
    name: 'hget',
    summary: 'Returns the value of a field of a hash.',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
    ],
    reply: {
      resp2: 'Bulk string: the value, or a null bulk string when the field or the key does not exist.',
      resp3: 'Bulk string: the value, or null when the field or the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HGET user:1 name', '"Ada"'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_HASH);
    if (coll === undefined) return;
    const record = coll === null ? undefined : elementAt(c, coll, 2);
    if (record === undefined) c.out.nullBulk();
    else c.out.bulkCopy(elementValue(record));
  },
);
