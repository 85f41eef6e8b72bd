import { errorReply } from '../../../errors.js';
import { isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_NO_EVICT = command(
  {
    ...base,
    name: 'client|no-evict',
    summary:
      'Marks the connection as exempt from client eviction (Sluice never evicts clients; kept for CLIENT LIST).',
    since: '7.0.0',
    arity: 3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'enabled',
        type: 'oneof',
        arguments: [
          { name: 'on', type: 'pure-token', token: 'ON' },
          { name: 'off', type: 'pure-token', token: 'OFF' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['syntax'],
    example: ['> CLIENT NO-EVICT on', 'OK'],
  },
  (c) => {
    if (isToken(c, 2, 'on')) c.session.noEvict = true;
    else if (isToken(c, 2, 'off')) c.session.noEvict = false;
    else {
      c.out.error(errorReply('syntax'));
      return;
    }
    c.out.ok();
  },
);
