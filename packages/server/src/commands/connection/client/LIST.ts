import { errorReply } from '../../../errors.js';
import { isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base, CLIENT_TYPES, clientInfoLine } from './_shared.js';

export const CLIENT_LIST = command(
  {
    ...base,
    name: 'client|list',
    summary: 'Lists the open connections.',
    since: '2.4.0',
    complexity: 'O(N) where N is the number of client connections',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'client-type',
        type: 'oneof',
        token: 'TYPE',
        optional: true,
        arguments: [
          { name: 'normal', type: 'pure-token', token: 'NORMAL' },
          { name: 'master', type: 'pure-token', token: 'MASTER' },
          { name: 'replica', type: 'pure-token', token: 'REPLICA' },
          { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
        ],
      },
      { name: 'client-id', type: 'integer', token: 'ID', optional: true, multiple: true },
    ],
    reply: {
      resp2: 'Bulk string: one line per connection.',
      resp3: 'Verbatim string: one line per connection.',
    },
    errors: ['syntax'],
    example: ['> CLIENT LIST', '"id=7 addr=127.0.0.1:51234 laddr=127.0.0.1:6379 fd=-1 name= age=3 ..."'],
  },
  (c) => {
    const a = c.args;
    let clients = c.server.clients();
    if (a.argc >= 4 && isToken(c, 2, 'type')) {
      const type = a.argString(3).toLowerCase();
      if (!CLIENT_TYPES.includes(type)) {
        c.out.error(errorReply('unknownClientType', a.argString(3)));
        return;
      }
      if (type !== 'normal') clients = [];
    } else if (a.argc >= 4 && isToken(c, 2, 'id')) {
      const ids = new Set<number>();
      for (let i = 3; i < a.argc; i++) {
        const n = Number(a.argString(i));
        if (!Number.isInteger(n) || n <= 0) {
          c.out.error('ERR Invalid client ID');
          return;
        }
        ids.add(n);
      }
      clients = clients.filter((k) => ids.has(k.id));
    } else if (a.argc !== 2) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const now = Date.now();
    c.out.verbatim(clients.map((k) => `${clientInfoLine(k, now)}\n`).join(''));
  },
);
