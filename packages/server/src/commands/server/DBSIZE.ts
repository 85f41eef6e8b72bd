import { command } from '../spec.js';

export const DBSIZE = command(
  {
    name: 'dbsize',
    group: 'server',
    summary: 'Returns the number of keys in the selected database.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['readonly', 'fast'],
    arguments: [],
    reply: { resp2: 'Integer: the number of keys.', resp3: 'Integer: the number of keys.' },
    errors: [],
    example: ['> DBSIZE', '(integer) 2'],
    barrier: true,
  },
  (c) => c.out.integer(c.db.size()),
);
