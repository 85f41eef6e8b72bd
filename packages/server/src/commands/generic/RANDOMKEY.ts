import { command } from '../spec.js';

export const RANDOMKEY = command(
  {
    name: 'randomkey',
    group: 'generic',
    summary: 'Returns a key picked at random from the selected database.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['readonly'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: a key, or a null bulk string when the database is empty.',
      resp3: 'Bulk string: a key, or null when the database is empty.',
    },
    errors: [],
    example: ['> RANDOMKEY', '"user:1042"'],
    barrier: true,
  },
  (c) => {
    const key = c.db.randomKey(c.now);
    if (key === undefined) c.out.nullBulk();
    else c.out.bulk(key);
  },
);
