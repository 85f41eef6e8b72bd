import { command } from '../spec.js';
import { flushArguments, flushModeOk } from './_flush.js';

export const FLUSHALL = command(
  {
    name: 'flushall',
    group: 'server',
    summary: 'Removes all keys from all databases.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in all databases',
    arity: -1,
    flags: ['write'],
    arguments: flushArguments,
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['syntax'],
    example: ['> FLUSHALL', 'OK'],
    barrier: true,
  },
  (c) => {
    if (!flushModeOk(c)) return;
    c.server.keyspace.clearAll();
    c.out.ok();
  },
);
