import { expiryOf } from '../../keyspace/encoding.js';
import { globMatch } from '../../keyspace/glob.js';
import { command } from '../spec.js';

export const KEYS = command(
  {
    name: 'keys',
    group: 'generic',
    summary: 'Returns all key names that match a pattern.',
    since: '1.0.0',
    complexity: 'O(N) with N being the number of keys in the database.',
    arity: 2,
    flags: ['readonly'],
    arguments: [{ name: 'pattern', type: 'pattern' }],
    reply: {
      resp2: 'Array of bulk strings: the matching keys.',
      resp3: 'Array of bulk strings: the matching keys.',
    },
    errors: [],
    example: ['> SET two 2', 'OK', '> SET three 3', 'OK', '> KEYS t*', '1) "three"', '2) "two"'],
    barrier: true,
  },
  (c) => {
    const pattern = c.args.argCopy(1);
    const matchAll = pattern.length === 1 && pattern[0] === 0x2a;
    const keys: Buffer[] = [];
    for (const { key, record } of c.db.entries()) {
      const expiresAt = expiryOf(record);
      if (expiresAt !== 0 && expiresAt <= c.now) continue;
      if (matchAll || globMatch(pattern, key)) keys.push(key);
    }
    c.out.arrayHeader(keys.length);
    for (const k of keys) c.out.bulk(k);
  },
);
