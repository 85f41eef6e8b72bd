import { errorReply } from '../../../errors.js';
import { integerArg, isToken } from '../../_args.js';
import type { ClientInfo } from '../../context.js';
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
    errors: ['syntax', 'unknownClientType', 'clientListIdInvalid'],
    example: ['> CLIENT LIST', '"id=7 addr=127.0.0.1:51234 laddr=127.0.0.1:6379 fd=-1 name= age=3 ..."'],
  },
  (c) => {
    // As redis-server 7.0's clientCommand: TYPE only as the last two arguments; ID with long long ids,
    // listed in the order given (repeats included); anything else is a syntax error.
    const a = c.args;
    let clients = c.server.clients();
    if (a.argc === 4 && isToken(c, 2, 'type')) {
      const type = a.argString(3).toLowerCase();
      if (!CLIENT_TYPES.includes(type)) {
        c.out.error(errorReply('unknownClientType', a.argString(3)));
        return;
      }
      // A connection is pubsub while it has a subscription, normal otherwise (no masters or replicas here).
      if (type === 'normal' || type === 'pubsub')
        clients = clients.filter((k) => (k.flags.includes('P') ? 'pubsub' : 'normal') === type);
      else clients = [];
    } else if (a.argc > 3 && isToken(c, 2, 'id')) {
      const listed: ClientInfo[] = [];
      for (let i = 3; i < a.argc; i++) {
        const id = integerArg(c, i);
        if (id === null) {
          c.out.error(errorReply('clientListIdInvalid'));
          return;
        }
        const k = c.server.client(id);
        if (k !== undefined) listed.push(k);
      }
      clients = listed;
    } else if (a.argc !== 2) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const now = Date.now();
    c.out.verbatim(clients.map((k) => `${clientInfoLine(k, now)}\n`).join(''));
  },
);
