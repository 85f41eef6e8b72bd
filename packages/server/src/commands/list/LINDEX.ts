import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { command } from '../spec.js';
import { itemAt, listAt, oneKey } from './_shared.js';

export const LINDEX = command(
  {
    ...oneKey,
    name: 'lindex',
    summary: 'Returns the element at an index of a list (negative indexes count from the end).',
    since: '1.0.0',
    complexity: 'O(1): any element is one read.',
    arity: 3,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'index', type: 'integer' },
    ],
    reply: {
      resp2:
        'Bulk string: the element; a null bulk string when the index is out of range or the key does not exist.',
      resp3: 'Bulk string: the element; null when the index is out of range or the key does not exist.',
    },
    errors: ['wrongType', 'notInteger'],
    example: ['> RPUSH q a b c', '(integer) 3', '> LINDEX q -1', '"c"'],
  },
  (c) => {
    const list = listAt(c, 1);
    if (list === undefined) return;
    // As redis-server: a missing key answers null before the index is read.
    if (list === null) return c.out.nullBulk();
    const index = integerArg(c, 2);
    if (index === null) return c.out.error(errorReply('notInteger'));
    const position = index < 0 ? list.count + index : index;
    if (position < 0 || position >= list.count) return c.out.nullBulk();
    c.out.bulk(itemAt(c, list, position));
  },
);
