import { TYPE_STREAM } from '../../keyspace/collections.js';
import { openAt } from '../_collection.js';
import { command } from '../spec.js';
import { oneKey } from './_shared.js';

export const XLEN = command(
  {
    ...oneKey,
    name: 'xlen',
    summary: 'Returns the number of entries of a stream.',
    since: '5.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the number of entries, 0 when the key does not exist.',
      resp3: 'Integer: the number of entries, 0 when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> XADD s * a 1', '"1700000000000-0"', '> XLEN s', '(integer) 1'],
  },
  (c) => {
    const s = openAt(c, 1, TYPE_STREAM);
    if (s === undefined) return;
    c.out.integer(s?.count ?? 0);
  },
);
