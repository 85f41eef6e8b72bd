import { command } from '../spec.js';
import { listAt, oneKey } from './_shared.js';

export const LLEN = command(
  {
    ...oneKey,
    name: 'llen',
    summary: 'Returns the number of elements of a list.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the length of the list, 0 when the key does not exist.',
      resp3: 'Integer: the length of the list, 0 when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> RPUSH q a b', '(integer) 2', '> LLEN q', '(integer) 2'],
  },
  (c) => {
    const list = listAt(c, 1);
    if (list === undefined) return;
    c.out.integer(list?.count ?? 0);
  },
);
