import { command } from '../../spec.js';
import { base } from './_shared.js';

export const COMMAND_COUNT = command(
  {
    ...base,
    name: 'command|count',
    summary: 'Returns the number of commands.',
    since: '2.8.13',
    complexity: 'O(1)',
    arity: 2,
    flags: ['loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Integer: the number of commands.', resp3: 'Integer: the number of commands.' },
    example: ['> COMMAND COUNT', '(integer) 31'],
  },
  (c) => c.out.integer(c.server.commands.size),
);
