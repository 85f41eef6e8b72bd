import { command } from '../../spec.js';
import { base, clientInfoLine } from './_shared.js';

export const CLIENT_INFO = command(
  {
    ...base,
    name: 'client|info',
    summary: 'Returns information about the connection.',
    since: '6.2.0',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: one line of fields, as in CLIENT LIST.',
      resp3: 'Verbatim string: one line of fields, as in CLIENT LIST.',
    },
    example: ['> CLIENT INFO', '"id=7 addr=127.0.0.1:51234 laddr=127.0.0.1:6379 fd=-1 name= age=0 ..."'],
  },
  (c) => {
    const own = c.server.client(c.session.id);
    c.out.verbatim(own === undefined ? '' : `${clientInfoLine(own)}\n`);
  },
);
