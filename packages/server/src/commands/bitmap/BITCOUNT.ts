import { errorReply } from '../../errors.js';
import { bigintArg, stringAt } from '../_args.js';
import { command } from '../spec.js';
import { valueStart } from '../string/_shared.js';
import { bitsIn, isCToken, popcount } from './_shared.js';

export const BITCOUNT = command(
  {
    name: 'bitcount',
    group: 'bitmap',
    summary:
      "Counts the set bits of a key's string value, or of a range of it given in bytes (the default) or in bits.",
    since: '2.6.0',
    complexity: 'O(N) where N is the length of the range.',
    arity: -2,
    flags: ['readonly'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'range',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'start', type: 'integer' },
          { name: 'end', type: 'integer' },
          {
            name: 'unit',
            type: 'oneof',
            optional: true,
            arguments: [
              { name: 'byte', type: 'pure-token', token: 'BYTE' },
              { name: 'bit', type: 'pure-token', token: 'BIT' },
            ],
          },
        ],
      },
    ],
    reply: {
      resp2:
        'Integer: the number of bits set to 1 in the range (both ends included, negative ends counting from the end); 0 for a missing key.',
      resp3:
        'Integer: the number of bits set to 1 in the range (both ends included, negative ends counting from the end); 0 for a missing key.',
    },
    errors: ['wrongType', 'notInteger', 'syntax'],
    example: [
      '> SET k "foobar"',
      'OK',
      '> BITCOUNT k',
      '(integer) 26',
      '> BITCOUNT k 1 1',
      '(integer) 6',
      '> BITCOUNT k 5 30 BIT',
      '(integer) 17',
    ],
  },
  (c) => {
    const argc = c.args.argc;
    // A missing key counts 0 before its other arguments are read, as in redis-server.
    const record = stringAt(c, 1);
    if (record === null) return;
    if (record === undefined) {
      c.out.integer(0);
      return;
    }
    const at = valueStart(record);
    const length = record.length - at;
    if (argc === 2) {
      c.out.integer(popcount(record, at, record.length));
      return;
    }
    if (argc !== 4 && argc !== 5) {
      c.out.error(errorReply('syntax'));
      return;
    }
    let start = bigintArg(c, 2);
    let end = start === null ? null : bigintArg(c, 3);
    if (start === null || end === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (start < 0n && end < 0n && start > end) {
      c.out.integer(0);
      return;
    }
    let bits = false;
    if (argc === 5) {
      if (isCToken(c, 4, 'bit')) bits = true;
      else if (!isCToken(c, 4, 'byte')) {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    const total = BigInt(bits ? length * 8 : length);
    if (start < 0n) start += total;
    if (end < 0n) end += total;
    if (start < 0n) start = 0n;
    if (end < 0n) end = 0n;
    if (end >= total) end = total - 1n;
    if (start > end) {
      c.out.integer(0);
      return;
    }
    let first = Number(start);
    let last = Number(end);
    // In bits: count the whole bytes at both ends, then take away the bits outside the range.
    let outside = 0;
    if (bits) {
      const firstMask = ~((1 << (8 - (first % 8))) - 1) & 0xff;
      const lastMask = (1 << (7 - (last % 8))) - 1;
      first = Math.floor(first / 8);
      last = Math.floor(last / 8);
      outside =
        bitsIn((record[at + first] as number) & firstMask) + bitsIn((record[at + last] as number) & lastMask);
    }
    c.out.integer(popcount(record, at + first, at + last + 1) - outside);
  },
);
