import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putArg, putKey, valueStart } from './_shared.js';

export const APPEND = command(
  {
    name: 'append',
    group: 'string',
    summary: "Appends a string to a key's value, creating the key when missing; keeps its expiry.",
    since: '2.0.0',
    complexity: 'O(N) where N is the length of the resulting value: Sluice rewrites the whole value.',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'value', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the length of the value after the append.',
      resp3: 'Integer: the length of the value after the append.',
    },
    errors: ['stringTooLong', 'wrongType'],
    example: ['> APPEND log "a"', '(integer) 1', '> APPEND log "bc"', '(integer) 3', '> GET log', '"abc"'],
  },
  (c) => {
    const a = c.args;
    const record = stringAt(c, 1);
    if (record === null) return;
    const addStart = a.argStart(2);
    const addEnd = a.argEnd(2);
    if (record === undefined) {
      putArg(c, 1, 2, 0);
      notify(c, NOTIFY_STRING, 'append', 1);
      c.out.integer(addEnd - addStart);
      return;
    }
    const start = valueStart(record);
    const oldLength = record.length - start;
    const total = oldLength + (addEnd - addStart);
    if (total > c.server.config['proto-max-bulk-len']) {
      c.out.error(errorReply('stringTooLong'));
      return;
    }
    const value = Buffer.allocUnsafe(total);
    record.copy(value, 0, start);
    a.buffer.copy(value, oldLength, addStart, addEnd);
    // redis-server appends to a raw string whatever its length.
    putKey(c, 1, value, 0, total, expiryOf(record), FLAG_RAW);
    notify(c, NOTIFY_STRING, 'append', 1);
    c.out.integer(total);
  },
);
