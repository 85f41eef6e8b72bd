import { TYPE_STRING, typeOf } from '../../keyspace/collections.js';
import { recordAt } from '../_args.js';
import { command } from '../spec.js';
import { replyValue } from './_shared.js';

export const MGET = command(
  {
    name: 'mget',
    group: 'string',
    summary: 'Returns the string values of one or more keys.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys.',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2: 'Array: the value of each key in order, a null bulk string for each missing key.',
      resp3: 'Array: the value of each key in order, null for each missing key.',
    },
    errors: [],
    example: ['> SET a 1', 'OK', '> MGET a b', '1) "1"', '2) (nil)'],
  },
  (c) => {
    const a = c.args;
    const out = c.out;
    out.arrayHeader(a.argc - 1);
    for (let i = 1; i < a.argc; i++) {
      const record = recordAt(c, i);
      // A key of another type reads as missing, as in redis-server.
      replyValue(out, record !== undefined && typeOf(record) !== TYPE_STRING ? undefined : record);
    }
  },
);
