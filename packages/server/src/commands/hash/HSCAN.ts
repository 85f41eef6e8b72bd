import { TYPE_HASH } from '../../keyspace/collections.js';
import { scanCommand } from '../_collection.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

export const HSCAN = command(
  {
    ...base,
    name: 'hscan',
    summary: 'Iterates over the fields and values of a hash.',
    since: '2.8.0',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0.',
    arity: -3,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    reply: {
      resp2:
        'Array of two: the next cursor ("0" when done) and an array of fields and values, alternating. A hash in its small encoding (listpack) comes whole in one call.',
      resp3:
        'Array of two: the next cursor ("0" when done) and an array of fields and values, alternating. A hash in its small encoding (listpack) comes whole in one call.',
    },
    errors: ['wrongType', 'invalidCursor', 'syntax', 'notInteger'],
    example: [
      '> HSET user:1 name Ada',
      '(integer) 1',
      '> HSCAN user:1 0',
      '1) "0"',
      '2) 1) "name"',
      '   2) "Ada"',
    ],
  },
  (c) => scanCommand(c, TYPE_HASH, 2),
);
