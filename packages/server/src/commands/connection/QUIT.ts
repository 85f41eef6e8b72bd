import { command } from '../spec.js';

export const QUIT = command(
  {
    name: 'quit',
    group: 'connection',
    summary: 'Closes the connection once the replies to earlier commands have been sent.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: [],
    example: ['> QUIT', 'OK'],
  },
  (c) => {
    c.out.ok();
    c.session.closeAfterReplies();
  },
);
