import { stringAt } from '../_args.js';
import { command } from '../spec.js';
import { valueStart } from '../string/_shared.js';
import { bitOffsetOrReply } from './_shared.js';

export const GETBIT = command(
  {
    name: 'getbit',
    group: 'bitmap',
    summary: "Returns one bit of a key's string value; bits past its end, and of a missing key, are 0.",
    since: '2.2.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'offset', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: the bit at the offset, 0 or 1.',
      resp3: 'Integer: the bit at the offset, 0 or 1.',
    },
    errors: ['bitOffset', 'wrongType'],
    example: ['> SET k "@"', 'OK', '> GETBIT k 1', '(integer) 1', '> GETBIT k 100', '(integer) 0'],
  },
  (c) => {
    const offset = bitOffsetOrReply(c, 2);
    if (offset < 0) return;
    const record = stringAt(c, 1);
    if (record === null) return;
    let bit = 0;
    if (record !== undefined) {
      const pos = valueStart(record) + Math.floor(offset / 8);
      if (pos < record.length) bit = ((record[pos] as number) >> (7 - (offset % 8))) & 1;
    }
    c.out.integer(bit);
  },
);
