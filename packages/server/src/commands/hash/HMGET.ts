import { TYPE_HASH } from '../../keyspace/collections.js';
import { elementAt, elementValue, openAt } from '../_collection.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HMGET = command(
  {
    ...base,
    name: 'hmget',
    summary: 'Returns the values of fields of a hash.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields being requested.',
    arity: -3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Array: the value of each field, a null bulk string for a missing one.',
      resp3: 'Array: the value of each field, null for a missing one.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HMGET user:1 name lang', '1) "Ada"', '2) (nil)'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_HASH);
    if (coll === undefined) return;
    const out = c.out;
    out.arrayHeader(c.args.argc - 2);
    for (let i = 2; i < c.args.argc; i++) {
      const record = coll === null ? undefined : elementAt(c, coll, i);
      if (record === undefined) out.nullBulk();
      else out.bulkCopy(elementValue(record));
    }
  },
);
