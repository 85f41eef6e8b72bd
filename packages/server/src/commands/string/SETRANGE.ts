import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { bigintArg, stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putKey, valueStart } from './_shared.js';

export const SETRANGE = command(
  {
    name: 'setrange',
    group: 'string',
    summary:
      "Overwrites part of a key's value from an offset, padding with zero bytes as needed; keeps its expiry.",
    since: '2.2.0',
    complexity: 'O(N) where N is the length of the resulting value: Sluice rewrites the whole value.',
    arity: 4,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'offset', type: 'integer' },
      { name: 'value', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the length of the value after the write.',
      resp3: 'Integer: the length of the value after the write.',
    },
    errors: ['notInteger', 'offsetOutOfRange', 'stringTooLong', 'wrongType'],
    example: [
      '> SET greeting "Hello World"',
      'OK',
      '> SETRANGE greeting 6 Sluice',
      '(integer) 12',
      '> SETRANGE pad 3 x',
      '(integer) 4',
      '> GET pad',
      '"\\x00\\x00\\x00x"',
    ],
  },
  (c) => {
    const a = c.args;
    const offset = bigintArg(c, 2);
    if (offset === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (offset < 0n) {
      c.out.error(errorReply('offsetOutOfRange'));
      return;
    }
    const patchStart = a.argStart(3);
    const patchEnd = a.argEnd(3);
    const patchLength = patchEnd - patchStart;
    const record = stringAt(c, 1);
    if (record === null) return;
    const start = record === undefined ? 0 : valueStart(record);
    const oldLength = record === undefined ? 0 : record.length - start;
    if (patchLength === 0) {
      // Nothing to write: the key is neither created nor changed.
      c.out.integer(oldLength);
      return;
    }
    if (offset + BigInt(patchLength) > BigInt(c.server.config['proto-max-bulk-len'])) {
      c.out.error(errorReply('stringTooLong'));
      return;
    }
    const at = Number(offset);
    const total = Math.max(oldLength, at + patchLength);
    const value = Buffer.alloc(total);
    if (record !== undefined) record.copy(value, 0, start);
    a.buffer.copy(value, at, patchStart, patchEnd);
    // redis-server builds or changes the value as a raw string.
    putKey(c, 1, value, 0, total, record === undefined ? 0 : expiryOf(record), FLAG_RAW);
    notify(c, NOTIFY_STRING, 'setrange', 1);
    c.out.integer(total);
  },
);
