import { errorReply } from '../../errors.js';
import { bigintArg, integerArg, LLONG_MIN } from '../_args.js';
import { command } from '../spec.js';
import { incrBy } from './_shared.js';

export const DECRBY = command(
  {
    name: 'decrby',
    group: 'string',
    summary:
      "Subtracts an integer from a key's integer value, creating the key at 0 when missing; keeps its expiry.",
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'decrement', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: the value after the decrement.',
      resp3: 'Integer: the value after the decrement.',
    },
    errors: ['notInteger', 'overflow', 'decrementOverflow', 'wrongType'],
    example: ['> SET credit 100', 'OK', '> DECRBY credit 30', '(integer) 70'],
  },
  (c) => {
    const n = integerArg(c, 2);
    if (n === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (Number.isSafeInteger(n)) {
      incrBy(c, -n);
      return;
    }
    const big = bigintArg(c, 2) as bigint;
    // -LLONG_MIN is not a 64-bit integer: redis-server refuses it before looking at the key.
    if (big === LLONG_MIN) {
      c.out.error(errorReply('decrementOverflow'));
      return;
    }
    incrBy(c, -big);
  },
);
