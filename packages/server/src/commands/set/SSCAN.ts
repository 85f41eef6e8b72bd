import { TYPE_SET } from '../../keyspace/collections.js';
import { allElements, type ScanSource, scanCommand } from '../_collection.js';
import { command } from '../spec.js';
import { compareIntegers, oneKey } from './_shared.js';

/** An intset lists its members in ascending numeric order. */
const intsetOrder: ScanSource = {
  small: (c, coll) => allElements(c, coll).sort((x, y) => compareIntegers(x.name, y.name)),
};

export const SSCAN = command(
  {
    ...oneKey,
    name: 'sscan',
    summary: 'Iterates over the members of a set.',
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
        'Array of two: the next cursor ("0" when done) and an array of members. A set in its intset encoding comes whole, in ascending order, in one call.',
      resp3:
        'Array of two: the next cursor ("0" when done) and an array of members. A set in its intset encoding comes whole, in ascending order, in one call.',
    },
    errors: ['wrongType', 'invalidCursor', 'syntax', 'notInteger'],
    example: [
      '> SADD primes 7 3 5',
      '(integer) 3',
      '> SSCAN primes 0',
      '1) "0"',
      '2) 1) "3"',
      '   2) "5"',
      '   3) "7"',
    ],
  },
  (c) => scanCommand(c, TYPE_SET, 1, intsetOrder),
);
