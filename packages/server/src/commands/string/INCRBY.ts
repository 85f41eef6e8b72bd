import { errorReply } from '../../errors.js';
import { bigintArg, integerArg } from '../_args.js';
import { command } from '../spec.js';
import { incrBy } from './_shared.js';

export const INCRBY = command(
  {
    name: 'incrby',
    group: 'string',
    summary:
      "Adds an integer to a key's integer value, creating the key at 0 when missing; keeps its expiry.",
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'increment', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: the value after the increment.',
      resp3: 'Integer: the value after the increment.',
    },
    errors: ['notInteger', 'overflow', 'wrongType'],
    example: [
      '> SET score 10',
      'OK',
      '> INCRBY score 5',
      '(integer) 15',
      '> INCRBY score -20',
      '(integer) -5',
    ],
  },
  (c) => {
    const n = integerArg(c, 2);
    if (n === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    incrBy(c, Number.isSafeInteger(n) ? n : (bigintArg(c, 2) as bigint));
  },
);
