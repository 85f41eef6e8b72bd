import { recordAt } from '../_args.js';
import { command } from '../spec.js';

export const TOUCH = command(
  {
    name: 'touch',
    group: 'generic',
    summary: 'Counts how many of the given keys exist (Sluice keeps no access times to update).',
    since: '3.2.1',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: { resp2: 'Integer: how many of the keys exist.', resp3: 'Integer: how many of the keys exist.' },
    errors: [],
    example: ['> SET a 1', 'OK', '> TOUCH a b', '(integer) 1'],
  },
  (c) => {
    let n = 0;
    for (let i = 1; i < c.args.argc; i++) if (recordAt(c, i) !== undefined) n++;
    c.out.integer(n);
  },
);
