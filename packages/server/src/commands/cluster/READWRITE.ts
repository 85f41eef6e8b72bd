import { command } from '../spec.js';
import { base, clusterOf } from './cluster/_shared.js';

export const READWRITE = command(
  {
    ...base,
    name: 'readwrite',
    summary: 'Ends READONLY: reads of slots this node does not serve as primary are redirected again.',
    since: '3.0.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> READWRITE', 'OK'],
  },
  (c) => {
    if (clusterOf(c) === null) return;
    c.session.readOnly = false;
    c.out.ok();
  },
);
