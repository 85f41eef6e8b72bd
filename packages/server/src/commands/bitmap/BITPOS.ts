import { errorReply } from '../../errors.js';
import { bigintArg, integerArg, stringAt } from '../_args.js';
import { command } from '../spec.js';
import { valueStart } from '../string/_shared.js';
import { bitpos, isCToken } from './_shared.js';

/** redisBitpos on one byte. */
function bitposInByte(byte: number, bit: number): number {
  const bits = bit === 1 ? byte & 0xff : ~byte & 0xff;
  return bits === 0 ? (bit === 1 ? -1 : 8) : Math.clz32(bits) - 24;
}

/**
 * The end of redis-server's bitposCommand, step by step: the first byte of a bit range (its bits before
 * the range masked out), the whole bytes, the last byte (its bits after the range masked out). Bytes
 * `first` to `last` of the value at `at` of `buf`; the masks are 0 for a range in bytes.
 */
function findBit(
  buf: Uint8Array,
  at: number,
  first: number,
  last: number,
  bit: number,
  firstMask: number,
  lastMask: number,
  endGiven: boolean,
): number {
  let bytes = last - first + 1;
  // With an end, a 0 found only past the range is no answer.
  const result = (pos: number): number =>
    endGiven && bit === 0 && pos === bytes * 8 ? -1 : pos === -1 ? -1 : pos + first * 8;
  if (firstMask !== 0) {
    const byte = buf[at + first] as number;
    let masked = bit === 1 ? byte & ~firstMask : byte | firstMask;
    if (lastMask !== 0 && bytes === 1) masked = bit === 1 ? masked & ~lastMask : masked | lastMask;
    const pos = bitposInByte(masked, bit);
    if (bytes === 1 || (pos !== -1 && pos !== 8)) return result(pos);
    first++;
    bytes--;
  }
  const whole = bytes - (lastMask !== 0 ? 1 : 0);
  if (whole > 0) {
    const pos = bitpos(buf, at + first, whole, bit);
    if (bytes === whole || (pos !== -1 && pos !== whole * 8)) return result(pos);
    first += whole;
    bytes -= whole;
  }
  const byte = buf[at + last] as number;
  return result(bitposInByte(bit === 1 ? byte & ~lastMask : byte | lastMask, bit));
}

export const BITPOS = command(
  {
    name: 'bitpos',
    group: 'bitmap',
    summary:
      "Finds the first bit set to 1, or to 0, in a key's string value or in a range of it given in bytes (the default) or in bits.",
    since: '2.8.7',
    complexity: 'O(N) where N is the length of the range.',
    arity: -3,
    flags: ['readonly'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'bit', type: 'integer' },
      {
        name: 'range',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'start', type: 'integer' },
          {
            name: 'end-unit',
            type: 'block',
            optional: true,
            arguments: [
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
      },
    ],
    reply: {
      resp2:
        'Integer: the position of the first matching bit, counted from the start of the value; -1 when looking for a 1 that is not there, or for a 0 that is not in a range with an end. Without an end, a value is taken to go on with zero bits, so a 0 is always found.',
      resp3:
        'Integer: the position of the first matching bit, counted from the start of the value; -1 when looking for a 1 that is not there, or for a 0 that is not in a range with an end. Without an end, a value is taken to go on with zero bits, so a 0 is always found.',
    },
    errors: ['notInteger', 'bitPosBit', 'wrongType', 'syntax'],
    example: [
      '> SET k "\\xff\\xf0\\x00"',
      'OK',
      '> BITPOS k 0',
      '(integer) 12',
      '> BITPOS k 1 2',
      '(integer) -1',
      '> BITPOS k 1 7 15 BIT',
      '(integer) 7',
    ],
  },
  (c) => {
    const argc = c.args.argc;
    const bit = integerArg(c, 2);
    if (bit === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (bit !== 0 && bit !== 1) {
      c.out.error(errorReply('bitPosBit'));
      return;
    }
    // A missing key is an endless run of zero bits: before the other arguments are read.
    const record = stringAt(c, 1);
    if (record === null) return;
    if (record === undefined) {
      c.out.integer(bit === 1 ? -1 : 0);
      return;
    }
    const at = valueStart(record);
    const length = record.length - at;
    let first: number;
    let last: number;
    let endGiven = false;
    let firstMask = 0;
    let lastMask = 0;
    if (argc >= 4 && argc <= 6) {
      let start = bigintArg(c, 3);
      if (start === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      let bits = false;
      if (argc === 6) {
        if (isCToken(c, 5, 'bit')) bits = true;
        else if (!isCToken(c, 5, 'byte')) {
          c.out.error(errorReply('syntax'));
          return;
        }
      }
      let end: bigint | null = BigInt(length - 1);
      if (argc >= 5) {
        end = bigintArg(c, 4);
        if (end === null) {
          c.out.error(errorReply('notInteger'));
          return;
        }
        endGiven = true;
      }
      const total = BigInt(bits ? length * 8 : length);
      if (start < 0n) start += total;
      if (end < 0n) end += total;
      if (start < 0n) start = 0n;
      if (end < 0n) end = 0n;
      if (end >= total) end = total - 1n;
      first = Number(start);
      last = Number(end);
      if (bits && first <= last) {
        firstMask = ~((1 << (8 - (first % 8))) - 1) & 0xff;
        lastMask = (1 << (7 - (last % 8))) - 1;
        first = Math.floor(first / 8);
        last = Math.floor(last / 8);
      }
    } else if (argc === 3) {
      first = 0;
      last = length - 1;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (first > last) {
      c.out.integer(-1);
      return;
    }
    c.out.integer(findBit(record, at, first, last, bit, firstMask, lastMask, endGiven));
  },
);
