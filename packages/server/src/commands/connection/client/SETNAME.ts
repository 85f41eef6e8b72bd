import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { validClientName } from '../_auth.js';
import { base } from './_shared.js';

export const CLIENT_SETNAME = command(
  {
    ...base,
    name: 'client|setname',
    summary: 'Names the connection (an empty name removes it).',
    since: '2.6.9',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [{ name: 'connection-name', type: 'string' }],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['clientNameSpaces'],
    example: ['> CLIENT SETNAME worker-1', 'OK'],
  },
  (c) => {
    const name = c.args.arg(2);
    if (!validClientName(name)) {
      c.out.error(errorReply('clientNameSpaces'));
      return;
    }
    c.session.name = name.toString('latin1');
    c.out.ok();
  },
);
