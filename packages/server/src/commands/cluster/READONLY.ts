import { command } from '../spec.js';
import { base, clusterOf } from './cluster/_shared.js';

export const READONLY = command(
  {
    ...base,
    name: 'readonly',
    summary:
      'Lets the connection read the slots this node keeps a standby copy of, instead of being redirected to their primary.',
    since: '3.0.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> READONLY', 'OK'],
  },
  (c) => {
    if (clusterOf(c) === null) return;
    c.session.readOnly = true;
    c.out.ok();
  },
);
