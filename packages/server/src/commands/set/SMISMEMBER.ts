import { TYPE_SET } from '../../keyspace/collections.js';
import { openAt } from '../_collection.js';
import { command } from '../spec.js';
import { isMemberAt, oneKey } from './_shared.js';

export const SMISMEMBER = command(
  {
    ...oneKey,
    name: 'smismember',
    summary: 'Tells, for each of several values, whether it is a member of a set.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of values checked.',
    arity: -3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    reply: {
      resp2:
        'Array of integers: 1 for each value that is a member, 0 for the others (all 0 for a missing key).',
      resp3:
        'Array of integers: 1 for each value that is a member, 0 for the others (all 0 for a missing key).',
    },
    errors: ['wrongType'],
    example: [
      '> SADD colors red',
      '(integer) 1',
      '> SMISMEMBER colors red blue',
      '1) (integer) 1',
      '2) (integer) 0',
    ],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    const a = c.args;
    c.out.arrayHeader(a.argc - 2);
    for (let i = 2; i < a.argc; i++) c.out.integer(coll !== null && isMemberAt(c, coll, i) ? 1 : 0);
  },
);
