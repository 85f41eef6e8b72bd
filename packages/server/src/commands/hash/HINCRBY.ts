import { errorReply } from '../../errors.js';
import { bigintArg, LLONG_MAX, LLONG_MIN, parseInteger } from '../_args.js';
import { saveAt } from '../_collection.js';
import { NOTIFY_HASH, notify } from '../_notify.js';
import { command } from '../spec.js';
import { base, fieldValue, hashForWrite, setField } from './_shared.js';

export const HINCRBY = command(
  {
    ...base,
    name: 'hincrby',
    summary: 'Adds an integer to the integer value of a field of a hash (0 when missing).',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: the value after the increment.',
      resp3: 'Integer: the value after the increment.',
    },
    errors: ['notInteger', 'wrongType', 'hashValueNotInteger', 'overflow'],
    example: ['> HINCRBY user:1 visits 5', '(integer) 5', '> HINCRBY user:1 visits -2', '(integer) 3'],
  },
  (c) => {
    const incr = bigintArg(c, 3);
    if (incr === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    const coll = hashForWrite(c);
    if (coll === undefined) return;
    const current = fieldValue(c, coll, 2);
    let value = 0n;
    if (current !== undefined) {
      const parsed = parseInteger(current, 0, current.length);
      if (parsed === null) {
        c.out.error(errorReply('hashValueNotInteger'));
        return;
      }
      value = parsed;
    }
    if (
      (incr < 0n && value < 0n && incr < LLONG_MIN - value) ||
      (incr > 0n && value > 0n && incr > LLONG_MAX - value)
    ) {
      c.out.error(errorReply('overflow'));
      return;
    }
    const result = value + incr;
    setField(c, coll, 2, Buffer.from(result.toString(), 'latin1'));
    saveAt(c, 1, coll);
    c.out.integer(result);
    notify(c, NOTIFY_HASH, 'hincrby', 1);
  },
);
