import { command } from '../spec.js';

export const RESET = command(
  {
    name: 'reset',
    group: 'connection',
    summary:
      'Resets the connection: database 0, RESP2, no name, no Pub/Sub subscription, client-side caching off, and unauthenticated if a password is set.',
    since: '6.2.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string RESET.', resp3: 'Simple string RESET.' },
    errors: [],
    example: ['> RESET', 'RESET'],
  },
  (c) => {
    const session = c.session;
    session.discard();
    c.server.stopMonitor(session.id);
    c.server.pubsub.unsubscribeAll(session.id);
    c.server.tracking.disable(session.id);
    c.db = c.server.keyspace.dbs[0] as typeof c.db;
    session.protocol = 2;
    session.name = '';
    session.readOnly = false;
    session.authenticated = c.server.config.requirepass === '';
    c.out.simple('RESET');
  },
);
