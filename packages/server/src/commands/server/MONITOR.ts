import { command } from '../spec.js';

export const MONITOR = command(
  {
    name: 'monitor',
    group: 'server',
    summary: 'Streams every command the server runs, as it runs it, to this connection.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2:
        'Simple string OK, then one simple string per command run: time, database, client address and arguments.',
      resp3:
        'Simple string OK, then one simple string per command run: time, database, client address and arguments.',
    },
    errors: [],
    example: ['> MONITOR', 'OK', '1795291382.519023 [0 127.0.0.1:51234] "SET" "k" "v"'],
  },
  (c) => {
    c.server.startMonitor(c.session.id);
    c.out.ok();
  },
);
