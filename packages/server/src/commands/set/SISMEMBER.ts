import { TYPE_SET } from '../../keyspace/collections.js';
import { openAt } from '../_collection.js';
import { command } from '../spec.js';
import { isMemberAt, oneKey } from './_shared.js';

export const SISMEMBER = command(
  {
    ...oneKey,
    name: 'sismember',
    summary: 'Tells whether a value is a member of a set.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['readonly', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: 1 if the value is a member, 0 if not or if the key is missing.',
      resp3: 'Integer: 1 if the value is a member, 0 if not or if the key is missing.',
    },
    errors: ['wrongType'],
    example: ['> SADD colors red', '(integer) 1', '> SISMEMBER colors red', '(integer) 1'],
  },
  (c) => {
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    c.out.integer(coll !== null && isMemberAt(c, coll, 2) ? 1 : 0);
  },
);
