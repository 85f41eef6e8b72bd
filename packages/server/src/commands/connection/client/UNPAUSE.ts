import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_UNPAUSE = command(
  {
    ...base,
    name: 'client|unpause',
    summary: 'Ends a CLIENT PAUSE: the commands held back run.',
    since: '6.2.0',
    complexity: 'O(N) Where N is the number of paused clients',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> CLIENT UNPAUSE', 'OK'],
  },
  (c) => {
    c.out.ok();
    c.server.unpauseClients();
  },
);
