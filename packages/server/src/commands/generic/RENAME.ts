import { command } from '../spec.js';
import { renameKey } from './_rename.js';

export const RENAME = command(
  {
    name: 'rename',
    group: 'generic',
    summary: 'Renames a key, replacing any key with the new name; the expiry moves with it.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'newkey', type: 'key' },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['noSuchKey'],
    example: ['> SET old v', 'OK', '> RENAME old new', 'OK', '> GET new', '"v"'],
  },
  (c) => {
    if (renameKey(c, false) === 'renamed') c.out.ok();
  },
);
