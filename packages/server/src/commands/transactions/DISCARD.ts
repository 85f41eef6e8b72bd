import { errorReply } from '../../errors.js';
import { command } from '../spec.js';

export const DISCARD = command(
  {
    name: 'discard',
    group: 'transactions',
    summary: 'Abandons a transaction: drops the queued commands and forgets the WATCHed keys.',
    since: '2.0.0',
    complexity: 'O(N), when N is the number of queued commands',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['discardWithoutMulti'],
    example: ['> MULTI', 'OK', '> SET a 1', 'QUEUED', '> DISCARD', 'OK'],
  },
  (c) => {
    if (c.session.multi === null) {
      c.out.error(errorReply('discardWithoutMulti'));
      return;
    }
    c.session.discard();
    c.out.ok();
  },
);
