import { errorReply } from '../../errors.js';
import { command } from '../spec.js';
import { checkPassword, isDefaultUser } from './_auth.js';

export const AUTH = command(
  {
    name: 'auth',
    group: 'connection',
    summary: 'Authenticates the connection.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    arguments: [
      { name: 'username', type: 'string', optional: true },
      { name: 'password', type: 'string' },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['syntax', 'wrongPass', 'authNotConfigured'],
    example: ['> AUTH s3cret', 'OK', '> AUTH default s3cret', 'OK'],
  },
  (c) => {
    const a = c.args;
    if (a.argc > 3) {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (a.argc === 2 && c.server.config.requirepass === '') {
      c.out.error(errorReply('authNotConfigured'));
      return;
    }
    const userOk = a.argc === 2 || isDefaultUser(a.arg(1));
    if (userOk && checkPassword(c, a.arg(a.argc - 1))) {
      c.session.authenticated = true;
      c.out.ok();
    } else {
      c.out.error(errorReply('wrongPass'));
    }
  },
);
