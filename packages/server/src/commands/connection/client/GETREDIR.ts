import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_GETREDIR = command(
  {
    ...base,
    name: 'client|getredir',
    summary: "Returns the id of the connection that receives this connection's invalidation messages.",
    since: '6.0.0',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2:
        'Integer: the id redirected to, 0 when tracking is on without REDIRECT, -1 when tracking is off.',
      resp3:
        'Integer: the id redirected to, 0 when tracking is on without REDIRECT, -1 when tracking is off.',
    },
    example: ['> CLIENT TRACKING ON REDIRECT 9', 'OK', '> CLIENT GETREDIR', '(integer) 9'],
  },
  (c) => c.out.integer(c.session.tracking?.redirect ?? -1),
);
