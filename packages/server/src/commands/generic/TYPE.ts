import { TYPE_NAMES, typeOf } from '../../keyspace/collections.js';
import { recordAt } from '../_args.js';
import { command } from '../spec.js';

export const TYPE = command(
  {
    name: 'type',
    group: 'generic',
    summary: 'Returns the type of the value stored at a key.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Simple string: string, or none when the key does not exist.',
      resp3: 'Simple string: string, or none when the key does not exist.',
    },
    errors: [],
    example: ['> SET k v', 'OK', '> TYPE k', 'string', '> TYPE missing', 'none'],
  },
  (c) => {
    const record = recordAt(c, 1);
    c.out.simple(record === undefined ? 'none' : (TYPE_NAMES[typeOf(record)] ?? 'none'));
  },
);
