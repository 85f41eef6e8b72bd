import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_GETNAME = command(
  {
    ...base,
    name: 'client|getname',
    summary: 'Returns the name of the connection.',
    since: '2.6.9',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: the name, or a null bulk string when none is set.',
      resp3: 'Bulk string: the name, or null when none is set.',
    },
    example: ['> CLIENT GETNAME', '"worker-1"'],
  },
  (c) => {
    const name = c.session.name;
    if (name === '') c.out.nullBulk();
    else c.out.bulkString(name);
  },
);
