import { recordAt } from '../_args.js';
import { command } from '../spec.js';

export const EXISTS = command(
  {
    name: 'exists',
    group: 'generic',
    summary: 'Counts how many of the given keys exist.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys.',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2: 'Integer: how many of the keys exist; a key named twice counts twice.',
      resp3: 'Integer: how many of the keys exist; a key named twice counts twice.',
    },
    errors: [],
    example: ['> SET a 1', 'OK', '> EXISTS a a b', '(integer) 2'],
  },
  (c) => {
    const a = c.args;
    let n = 0;
    for (let i = 1; i < a.argc; i++) {
      if (recordAt(c, i) !== undefined) n++;
    }
    c.out.integer(n);
  },
);
