import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_NO_INT } from '../../keyspace/encoding.js';
import { stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { addLongDouble, formatLongDouble, parseLongDouble, ZERO } from './_longdouble.js';
import { putKey, valueStart } from './_shared.js';

export const INCRBYFLOAT = command(
  {
    name: 'incrbyfloat',
    group: 'string',
    summary:
      "Adds a floating-point number to a key's value, creating the key at 0 when missing; keeps its expiry.",
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'increment', type: 'double' },
    ],
    reply: {
      resp2:
        'Bulk string: the new value, computed in 80-bit long double precision and written with up to 17 decimals, without exponent or trailing zeros.',
      resp3:
        'Bulk string: the new value, computed in 80-bit long double precision and written with up to 17 decimals, without exponent or trailing zeros.',
    },
    errors: ['notFloat', 'nanOrInfinity', 'wrongType'],
    example: [
      '> SET price 10.5',
      'OK',
      '> INCRBYFLOAT price 0.1',
      '"10.6"',
      '> SET big 5.0e3',
      'OK',
      '> INCRBYFLOAT big 2.0e2',
      '"5200"',
    ],
  },
  (c) => {
    const a = c.args;
    const record = stringAt(c, 1);
    if (record === null) return;
    let value = ZERO;
    let expiresAt = 0;
    if (record !== undefined) {
      const stored = parseLongDouble(record, valueStart(record), record.length);
      if (stored === null) {
        c.out.error(errorReply('notFloat'));
        return;
      }
      value = stored;
      expiresAt = expiryOf(record);
    }
    const incr = parseLongDouble(a.buffer, a.argStart(2), a.argEnd(2));
    if (incr === null) {
      c.out.error(errorReply('notFloat'));
      return;
    }
    const sum = addLongDouble(value, incr);
    if (!sum.finite) {
      c.out.error(errorReply('nanOrInfinity'));
      return;
    }
    const text = Buffer.from(formatLongDouble(sum), 'latin1');
    // redis-server makes a new string of the text (embstr or raw by length), never an integer.
    putKey(c, 1, text, 0, text.length, expiresAt, FLAG_NO_INT);
    notify(c, NOTIFY_STRING, 'incrbyfloat', 1);
    c.out.bulkCopy(text);
  },
);
