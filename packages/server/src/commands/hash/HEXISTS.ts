import { TYPE_HASH } from '../../keyspace/collections.js';
import { elementAt, openAt } from '../_collection.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HEXISTS = command(
  {
    ...base,
    name: 'hexists',
    summary: 'Whether a field exists in a hash.',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: 1 if the field exists, 0 if it or the key does not.',
      resp3: 'Integer: 1 if the field exists, 0 if it or the key does not.',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada', '(integer) 1', '> HEXISTS user:1 name', '(integer) 1'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_HASH);
    if (coll === undefined) return;
    c.out.integer(coll !== null && elementAt(c, coll, 2) !== undefined ? 1 : 0);
  },
);
