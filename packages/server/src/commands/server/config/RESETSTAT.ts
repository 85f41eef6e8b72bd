import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CONFIG_RESETSTAT = command(
  {
    ...base,
    name: 'config|resetstat',
    summary: 'Resets the statistics that INFO reports.',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> CONFIG RESETSTAT', 'OK'],
  },
  (c) => {
    c.server.resetStats();
    c.out.ok();
  },
);
