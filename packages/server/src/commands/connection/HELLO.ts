import { errorReply } from '../../errors.js';
import { REDIS_COMPAT_VERSION } from '../../version.js';
import { integerArg, isToken } from '../_args.js';
import { command } from '../spec.js';
import { checkPassword, isDefaultUser, validClientName } from './_auth.js';

export const HELLO = command(
  {
    name: 'hello',
    group: 'connection',
    summary:
      'Handshakes with the server: chooses the protocol, optionally authenticates and names the connection.',
    since: '6.0.0',
    complexity: 'O(1)',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    arguments: [
      {
        name: 'arguments',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'protover', type: 'integer' },
          {
            name: 'username-password',
            type: 'block',
            token: 'AUTH',
            optional: true,
            arguments: [
              { name: 'username', type: 'string' },
              { name: 'password', type: 'string' },
            ],
          },
          { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
        ],
      },
    ],
    reply: {
      resp2: 'Array of alternating field names and values: server, version, proto, id, mode, role, modules.',
      resp3: 'Map: server, version, proto, id, mode, role, modules.',
    },
    errors: [
      'helloProtocolNotInteger',
      'noProto',
      'helloSyntax',
      'wrongPass',
      'helloNoAuth',
      'clientNameSpaces',
    ],
    example: [
      '> HELLO 3',
      '1# "server" => "sluice"',
      '2# "version" => "7.0.15"',
      '3# "proto" => (integer) 3',
      '...',
    ],
  },
  (c) => {
    const a = c.args;
    let version = 0;
    let j = 1;
    if (a.argc >= 2) {
      const v = integerArg(c, 1);
      if (v === null) {
        c.out.error(errorReply('helloProtocolNotInteger'));
        return;
      }
      if (v < 2 || v > 3) {
        c.out.error(errorReply('noProto'));
        return;
      }
      version = v;
      j = 2;
    }
    // As redis-server 7.0's helloCommand, each option takes effect as it is read: AUTH authenticates
    // (or fails) and SETNAME names the connection before the options after them are looked at, and
    // before the connection's authentication is checked.
    for (; j < a.argc; j++) {
      const more = a.argc - 1 - j;
      if (isToken(c, j, 'auth') && more >= 2) {
        if (!isDefaultUser(a.arg(j + 1)) || !checkPassword(c, a.arg(j + 2))) {
          c.out.error(errorReply('wrongPass'));
          return;
        }
        c.session.authenticated = true;
        j += 2;
      } else if (isToken(c, j, 'setname') && more >= 1) {
        const name = a.arg(j + 1);
        if (!validClientName(name)) {
          c.out.error(errorReply('clientNameSpaces'));
          return;
        }
        c.session.name = name.toString('latin1');
        j++;
      } else {
        c.out.error(errorReply('helloSyntax', a.argString(j)));
        return;
      }
    }
    if (!c.session.authenticated) {
      c.out.error(errorReply('helloNoAuth'));
      return;
    }
    if (version !== 0) {
      c.session.protocol = version as 2 | 3;
    }
    const out = c.out;
    out.mapHeader(7);
    out.bulkString('server');
    out.bulkString('sluice');
    out.bulkString('version');
    out.bulkString(REDIS_COMPAT_VERSION);
    out.bulkString('proto');
    out.integer(c.session.protocol);
    out.bulkString('id');
    out.integer(c.session.id);
    out.bulkString('mode');
    out.bulkString(c.server.cluster === null ? 'standalone' : 'cluster');
    out.bulkString('role');
    out.bulkString('master');
    out.bulkString('modules');
    out.arrayHeader(0);
  },
);
