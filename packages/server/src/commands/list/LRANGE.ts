import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { command } from '../spec.js';
import { clampRange, forEachItem, listAt, oneKey } from './_shared.js';

export const LRANGE = command(
  {
    ...oneKey,
    name: 'lrange',
    summary:
      'Returns the elements of a list between two indexes, both included (negative indexes count from the end).',
    since: '1.0.0',
    complexity: 'O(S+N): S is one seek to the start index, N the number of elements returned.',
    arity: 4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
    reply: {
      resp2: 'Array: the elements in the range (empty when the range or the list is).',
      resp3: 'Array: the elements in the range (empty when the range or the list is).',
    },
    errors: ['wrongType', 'notInteger'],
    example: ['> RPUSH q a b c', '(integer) 3', '> LRANGE q 1 -1', '1) "b"', '2) "c"'],
  },
  (c) => {
    const start = integerArg(c, 2);
    const stop = start === null ? null : integerArg(c, 3);
    if (start === null || stop === null) return c.out.error(errorReply('notInteger'));
    const list = listAt(c, 1);
    if (list === undefined) return;
    const range = list === null ? null : clampRange(start, stop, list.count);
    if (list === null || range === null) return c.out.arrayHeader(0);
    const [from, to] = range;
    const out = c.out;
    out.arrayHeader(to - from + 1);
    forEachItem(c, list, from, to, (buf, start, end) => out.bulkCopy(buf, start, end));
  },
);
