import { stringAt } from '../_args.js';
import { command } from '../spec.js';
import { replyValue } from './_shared.js';

export const GET = command(
  {
    name: 'get',
    group: 'string',
    summary: 'Returns the string value of a key.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Bulk string: the value, or a null bulk string ($-1) when the key does not exist.',
      resp3: 'Bulk string: the value, or null (_) when the key does not exist.',
    },
    errors: ['wrongType'],
    example: ['> SET greeting hello', 'OK', '> GET greeting', '"hello"', '> GET missing', '(nil)'],
  },
  (c) => {
    const record = stringAt(c, 1);
    if (record !== null) replyValue(c.out, record);
  },
);
