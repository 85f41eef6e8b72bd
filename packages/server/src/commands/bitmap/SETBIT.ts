import { errorReply } from '../../errors.js';
import { stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { valueStart } from '../string/_shared.js';
import { bitOffsetOrReply, bitTarget, namedRaw, putBitmap } from './_shared.js';

export const SETBIT = command(
  {
    name: 'setbit',
    group: 'bitmap',
    summary:
      "Sets or clears one bit of a key's string value, growing it with zero bytes as needed; keeps its expiry.",
    since: '2.2.0',
    complexity:
      'O(1), plus the length of the value: Sluice writes the whole value again when the bit changes.',
    arity: 4,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'offset', type: 'integer' },
      { name: 'value', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: the bit that was at the offset before, 0 or 1.',
      resp3: 'Integer: the bit that was at the offset before, 0 or 1.',
    },
    errors: ['bitOffset', 'bitValue', 'wrongType'],
    example: [
      '> SETBIT flags 7 1',
      '(integer) 0',
      '> SETBIT flags 7 0',
      '(integer) 1',
      '> SETBIT flags 9 1',
      '(integer) 0',
      '> GET flags',
      '"\\x00@"',
    ],
  },
  (c) => {
    const offset = bitOffsetOrReply(c, 2);
    if (offset < 0) return;
    const a = c.args;
    const at = a.argStart(3);
    // getLongFromObject, then `on & ~1`: only "0" and "1" pass.
    const on = a.argEnd(3) - at === 1 ? (a.buffer[at] as number) - 0x30 : -1;
    if (on !== 0 && on !== 1) {
      c.out.error(errorReply('bitValue'));
      return;
    }
    const byte = Math.floor(offset / 8);
    const mask = 1 << (7 - (offset % 8));
    const record = stringAt(c, 1);
    if (record === null) return;
    if (record !== undefined) {
      const pos = valueStart(record) + byte;
      // The bit is there already and the value is raw: nothing to write.
      if (pos < record.length && ((record[pos] as number) & mask ? 1 : 0) === on && namedRaw(record)) {
        c.out.integer(on);
        return;
      }
    }
    const target = bitTarget(record, byte + 1);
    const value = target.value;
    const old = (value[byte] as number) & mask ? 1 : 0;
    value[byte] = on === 1 ? (value[byte] as number) | mask : (value[byte] as number) & ~mask;
    putBitmap(c, target);
    notify(c, NOTIFY_STRING, 'setbit', 1);
    c.out.integer(old);
  },
);
