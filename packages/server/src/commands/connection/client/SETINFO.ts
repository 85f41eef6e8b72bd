import { errorReply } from '../../../errors.js';
import { isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_SETINFO = command(
  {
    ...base,
    name: 'client|setinfo',
    summary: "Records the client library's name or version for CLIENT LIST.",
    since: '7.2.0',
    arity: 4,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'attr',
        type: 'oneof',
        arguments: [
          { name: 'libname', type: 'string', token: 'LIB-NAME' },
          { name: 'libver', type: 'string', token: 'LIB-VER' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['unrecognizedOption', 'clientInfoChars'],
    example: ['> CLIENT SETINFO LIB-NAME ioredis', 'OK'],
  },
  (c) => {
    const value = c.args.arg(3);
    const isName = isToken(c, 2, 'lib-name');
    if (!isName && !isToken(c, 2, 'lib-ver')) {
      c.out.error(errorReply('unrecognizedOption', c.args.argString(2)));
      return;
    }
    for (const b of value) {
      if (b < 0x21 || b > 0x7e) {
        // redis-server 7.2 names the attribute as it was sent.
        c.out.error(errorReply('clientInfoChars', c.args.argString(2)));
        return;
      }
    }
    if (isName) c.session.libName = value.toString('latin1');
    else c.session.libVer = value.toString('latin1');
    c.out.ok();
  },
);
