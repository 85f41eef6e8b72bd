import { errorReply } from '../../errors.js';
import { bigintArg, stringAt } from '../_args.js';
import type { CommandContext } from '../context.js';
import { type CommandSpec, command } from '../spec.js';
import { valueStart } from './_shared.js';

const EMPTY = Buffer.alloc(0);

/** GETRANGE and SUBSTR: the bytes from start to end inclusive, negative indexes counting from the end. */
export function getRange(c: CommandContext): void {
  const from = bigintArg(c, 2);
  const to = bigintArg(c, 3);
  if (from === null || to === null) {
    c.out.error(errorReply('notInteger'));
    return;
  }
  const record = stringAt(c, 1);
  if (record === null) return;
  if (record === undefined || (from < 0n && to < 0n && from > to)) {
    c.out.bulkCopy(EMPTY);
    return;
  }
  const valueAt = valueStart(record);
  const length = BigInt(record.length - valueAt);
  let start = from < 0n ? length + from : from;
  let end = to < 0n ? length + to : to;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= length) end = length - 1n;
  if (start > end || length === 0n) {
    c.out.bulkCopy(EMPTY);
    return;
  }
  c.out.bulkCopy(record, valueAt + Number(start), valueAt + Number(end) + 1);
}

export const getRangeSpec = {
  name: 'getrange',
  group: 'string',
  summary:
    "Returns the bytes of a key's value between two offsets, both included; negative offsets count from the end.",
  since: '2.4.0',
  complexity: 'O(N) where N is the length of the returned string.',
  arity: 4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  arguments: [
    { name: 'key', type: 'key' },
    { name: 'start', type: 'integer' },
    { name: 'end', type: 'integer' },
  ],
  reply: {
    resp2:
      'Bulk string: the bytes in range; an empty string when the range is empty or the key does not exist.',
    resp3:
      'Bulk string: the bytes in range; an empty string when the range is empty or the key does not exist.',
  },
  errors: ['notInteger', 'wrongType'],
  example: [
    '> SET text "This is a string"',
    'OK',
    '> GETRANGE text 0 3',
    '"This"',
    '> GETRANGE text -3 -1',
    '"ing"',
    '> GETRANGE text 10 100',
    '"string"',
  ],
} as const satisfies CommandSpec;

export const GETRANGE = command(getRangeSpec, getRange);
