import { command } from '../spec.js';

export const UNWATCH = command(
  {
    name: 'unwatch',
    group: 'transactions',
    summary: 'Forgets every key WATCHed by the connection.',
    since: '2.2.0',
    complexity: 'O(N)',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: [],
    example: ['> UNWATCH', 'OK'],
  },
  (c) => {
    c.session.unwatch();
    c.out.ok();
  },
);
