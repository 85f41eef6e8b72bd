import { errorReply } from '../../../errors.js';
import { integerArg, isToken } from '../../_args.js';
import type { ClientInfo } from '../../context.js';
import { command } from '../../spec.js';
import { base, CLIENT_TYPES } from './_shared.js';

export const CLIENT_KILL = command(
  {
    ...base,
    name: 'client|kill',
    summary: 'Closes client connections: the one at ip:port, or every one matching the filters.',
    since: '2.4.0',
    complexity: 'O(N) where N is the number of client connections',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'filter',
        type: 'oneof',
        arguments: [
          { name: 'old-format', type: 'string' },
          {
            name: 'new-format',
            type: 'oneof',
            multiple: true,
            arguments: [
              { name: 'client-id', type: 'integer', token: 'ID', optional: true },
              { name: 'client-type', type: 'string', token: 'TYPE', optional: true },
              { name: 'username', type: 'string', token: 'USER', optional: true },
              { name: 'addr', type: 'string', token: 'ADDR', optional: true },
              { name: 'laddr', type: 'string', token: 'LADDR', optional: true },
              { name: 'skipme', type: 'string', token: 'SKIPME', optional: true },
            ],
          },
        ],
      },
    ],
    reply: {
      resp2: 'Simple string OK for the ip:port form; otherwise an integer: how many connections were closed.',
      resp3: 'Simple string OK for the ip:port form; otherwise an integer: how many connections were closed.',
    },
    errors: ['noSuchClient', 'syntax', 'clientIdInvalid', 'unknownClientType', 'noSuchUser'],
    example: ['> CLIENT KILL ID 12', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    const own = c.session.id;
    // This connection closes once its reply has been sent; others at once.
    const close = (ids: readonly number[]) => {
      if (ids.includes(own)) c.session.closeAfterReplies();
      c.server.killClients(ids.filter((id) => id !== own));
    };
    if (a.argc === 3) {
      const addr = a.argString(2);
      const target = c.server.clients().find((k) => k.addr === addr);
      if (target === undefined) {
        c.out.error(errorReply('noSuchClient'));
        return;
      }
      c.out.ok();
      close([target.id]);
      return;
    }
    // As redis-server 7.0's clientCommand: each filter keeps the last value given for it.
    let id: number | null = null;
    /** TYPE: a connection is pubsub while it has a subscription, normal otherwise. */
    let clientType: string | null = null;
    let addr: string | null = null;
    let laddr: string | null = null;
    let skipMe = true;
    for (let i = 2; i < a.argc; i += 2) {
      if (i + 1 >= a.argc) {
        c.out.error(errorReply('syntax'));
        return;
      }
      const value = a.argString(i + 1);
      if (isToken(c, i, 'id')) {
        const n = integerArg(c, i + 1);
        if (n === null || n <= 0) {
          c.out.error(errorReply('clientIdInvalid'));
          return;
        }
        id = n;
      } else if (isToken(c, i, 'type')) {
        const type = value.toLowerCase();
        if (!CLIENT_TYPES.includes(type)) {
          c.out.error(errorReply('unknownClientType', value));
          return;
        }
        clientType = type;
      } else if (isToken(c, i, 'user')) {
        // Without ACLs the only user is default, and every connection is its.
        if (value !== 'default') {
          c.out.error(errorReply('noSuchUser', value));
          return;
        }
      } else if (isToken(c, i, 'addr')) {
        addr = value;
      } else if (isToken(c, i, 'laddr')) {
        laddr = value;
      } else if (isToken(c, i, 'skipme')) {
        const v = value.toLowerCase();
        if (v !== 'yes' && v !== 'no') {
          c.out.error(errorReply('syntax'));
          return;
        }
        skipMe = v === 'yes';
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    const matches = (k: ClientInfo): boolean =>
      (id === null || k.id === id) &&
      (clientType === null || (k.flags.includes('P') ? 'pubsub' : 'normal') === clientType) &&
      (addr === null || k.addr === addr) &&
      (laddr === null || k.laddr === laddr) &&
      !(skipMe && k.id === own);
    const killed = c.server
      .clients()
      .filter(matches)
      .map((k) => k.id);
    close(killed);
    c.out.integer(killed.length);
  },
);
