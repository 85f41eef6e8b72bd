import { command } from '../spec.js';
import { base, clusterOf } from './cluster/_shared.js';

export const ASKING = command(
  {
    ...base,
    name: 'asking',
    summary:
      'Lets the next command use a slot being imported, after an ASK redirection; Sluice never sends ASK, so it only answers OK.',
    since: '3.0.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['fast'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> ASKING', 'OK'],
  },
  (c) => {
    if (clusterOf(c) !== null) c.out.ok();
  },
);
