import { command } from '../spec.js';
import { flushArguments, flushModeOk } from './_flush.js';

export const FLUSHDB = command(
  {
    name: 'flushdb',
    group: 'server',
    summary: 'Removes all keys from the selected database.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys in the selected database',
    arity: -1,
    flags: ['write'],
    arguments: flushArguments,
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['syntax'],
    example: ['> FLUSHDB', 'OK'],
    barrier: true,
  },
  (c) => {
    if (!flushModeOk(c)) return;
    c.db.clear();
    c.out.ok();
  },
);
