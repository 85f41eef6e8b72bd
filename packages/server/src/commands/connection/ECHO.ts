import { replyArg } from '../_args.js';
import { command } from '../spec.js';

export const ECHO = command(
  {
    name: 'echo',
    group: 'connection',
    summary: 'Returns the given string.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    arguments: [{ name: 'message', type: 'string' }],
    reply: { resp2: 'Bulk string: the message.', resp3: 'Bulk string: the message.' },
    errors: [],
    example: ['> ECHO "Hello World!"', '"Hello World!"'],
  },
  (c) => replyArg(c, 1),
);
