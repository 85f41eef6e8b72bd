import { errorReply } from '../../../errors.js';
import { integerArg, isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_UNBLOCK = command(
  {
    ...base,
    name: 'client|unblock',
    summary:
      'Ends the blocking command (BLPOP, …) of another connection: as if its timeout had passed, or with an error.',
    since: '5.0.0',
    complexity: 'O(log N) where N is the number of client connections',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      { name: 'client-id', type: 'integer' },
      {
        name: 'unblock-type',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
          { name: 'error', type: 'pure-token', token: 'ERROR' },
        ],
      },
    ],
    reply: {
      resp2: 'Integer: 1 if the connection was blocked and is now unblocked, else 0.',
      resp3: 'Integer: 1 if the connection was blocked and is now unblocked, else 0.',
    },
    errors: ['subcommandSyntax', 'unblockReason', 'notInteger'],
    example: ['> CLIENT UNBLOCK 12 ERROR', '(integer) 1'],
  },
  (c) => {
    // As redis-server 7.0's clientCommand: the reason is checked before the id.
    const a = c.args;
    if (a.argc > 4) return c.out.error(errorReply('subcommandSyntax', a.argString(1), 'CLIENT'));
    let reason: 'timeout' | 'error' = 'timeout';
    if (a.argc === 4) {
      if (isToken(c, 3, 'error')) reason = 'error';
      else if (!isToken(c, 3, 'timeout')) return c.out.error(errorReply('unblockReason'));
    }
    const id = integerArg(c, 2);
    if (id === null) return c.out.error(errorReply('notInteger'));
    const blocked = c.server.keyBlocked.get(id);
    if (blocked === undefined) return c.out.integer(0);
    blocked.unblock(reason);
    c.out.integer(1);
  },
);
