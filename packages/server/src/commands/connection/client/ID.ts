import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_ID = command(
  {
    ...base,
    name: 'client|id',
    summary: 'Returns the unique ID of the connection.',
    since: '5.0.0',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Integer: the connection ID.', resp3: 'Integer: the connection ID.' },
    example: ['> CLIENT ID', '(integer) 7'],
  },
  (c) => c.out.integer(c.session.id),
);
