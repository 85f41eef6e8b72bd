import { command } from '../spec.js';
import { renameKey } from './_rename.js';

export const RENAMENX = command(
  {
    name: 'renamenx',
    group: 'generic',
    summary: 'Renames a key only when no key has the new name.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'fast'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'newkey', type: 'key' },
    ],
    reply: {
      resp2: 'Integer: 1 if renamed, 0 if a key with the new name exists.',
      resp3: 'Integer: 1 if renamed, 0 if a key with the new name exists.',
    },
    errors: ['noSuchKey'],
    example: ['> SET a 1', 'OK', '> SET b 2', 'OK', '> RENAMENX a b', '(integer) 0'],
  },
  (c) => {
    const result = renameKey(c, true);
    if (result !== 'missing') c.out.integer(result === 'renamed' ? 1 : 0);
  },
);
