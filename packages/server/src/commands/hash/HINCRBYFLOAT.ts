import { errorReply } from '../../errors.js';
import { saveAt } from '../_collection.js';
import { NOTIFY_HASH, notify } from '../_notify.js';
import { command } from '../spec.js';
import { addLongDouble, formatLongDouble, parseLongDouble, ZERO } from '../string/_longdouble.js';
import { base, fieldValue, hashForWrite, setField } from './_shared.js';

export const HINCRBYFLOAT = command(
  {
    ...base,
    name: 'hincrbyfloat',
    summary: 'Adds a floating-point number to the value of a field of a hash (0 when missing).',
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'double' },
    ],
    reply: {
      resp2:
        'Bulk string: the value after the increment, as redis-server formats it (17 significant digits, no trailing zeros).',
      resp3:
        'Bulk string: the value after the increment, as redis-server formats it (17 significant digits, no trailing zeros).',
    },
    errors: ['notFloat', 'valueNanOrInfinity', 'wrongType', 'hashValueNotFloat', 'nanOrInfinity'],
    example: ['> HINCRBYFLOAT item:1 price 10.5', '"10.5"', '> HINCRBYFLOAT item:1 price 0.1', '"10.6"'],
  },
  (c) => {
    const a = c.args;
    const incr = parseLongDouble(a.buffer, a.argStart(3), a.argEnd(3));
    if (incr === null) {
      c.out.error(errorReply('notFloat'));
      return;
    }
    if (!incr.finite) {
      c.out.error(errorReply('valueNanOrInfinity'));
      return;
    }
    const coll = hashForWrite(c);
    if (coll === undefined) return;
    const current = fieldValue(c, coll, 2);
    let value = ZERO;
    if (current !== undefined) {
      const parsed = parseLongDouble(current, 0, current.length);
      if (parsed === null) {
        c.out.error(errorReply('hashValueNotFloat'));
        return;
      }
      value = parsed;
    }
    const sum = addLongDouble(value, incr);
    if (!sum.finite) {
      c.out.error(errorReply('nanOrInfinity'));
      return;
    }
    const text = Buffer.from(formatLongDouble(sum), 'latin1');
    setField(c, coll, 2, text);
    saveAt(c, 1, coll);
    c.out.bulkCopy(text);
    notify(c, NOTIFY_HASH, 'hincrbyfloat', 1);
  },
);
