import { stringAt } from '../_args.js';
import { command } from '../spec.js';
import { valueStart } from './_shared.js';

export const STRLEN = command(
  {
    name: 'strlen',
    group: 'string',
    summary: "Returns the length in bytes of a key's string value.",
    since: '2.2.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the length of the value in bytes, 0 when the key does not exist.',
      resp3: 'Integer: the length of the value in bytes, 0 when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> SET name sluice', 'OK', '> STRLEN name', '(integer) 6', '> STRLEN missing', '(integer) 0'],
  },
  (c) => {
    const record = stringAt(c, 1);
    if (record === null) return;
    c.out.integer(record === undefined ? 0 : record.length - valueStart(record));
  },
);
