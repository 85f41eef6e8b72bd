import { TYPE_SET } from '../../keyspace/collections.js';
import { openAt } from '../_collection.js';
import { command } from '../spec.js';
import { oneKey } from './_shared.js';

export const SCARD = command(
  {
    ...oneKey,
    name: 'scard',
    summary: 'Returns the number of members of a set.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the number of members, 0 for a missing key.',
      resp3: 'Integer: the number of members, 0 for a missing key.',
    },
    errors: ['wrongType'],
    example: ['> SADD colors red green', '(integer) 2', '> SCARD colors', '(integer) 2'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    c.out.integer(coll === null ? 0 : coll.count);
  },
);
