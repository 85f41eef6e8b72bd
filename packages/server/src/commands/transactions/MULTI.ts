import { errorReply } from '../../errors.js';
import { command } from '../spec.js';

export const MULTI = command(
  {
    name: 'multi',
    group: 'transactions',
    summary: 'Starts a transaction: the commands that follow are queued until EXEC.',
    since: '1.2.0',
    complexity: 'O(1)',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['multiNested'],
    example: [
      '> MULTI',
      'OK',
      '> SET a 1',
      'QUEUED',
      '> INCR a',
      'QUEUED',
      '> EXEC',
      '1) OK',
      '2) (integer) 2',
    ],
  },
  (c) => {
    if (c.session.multi !== null) {
      c.out.error(errorReply('multiNested'));
      return;
    }
    c.session.multi = [];
    c.session.multiFailed = false;
    c.out.ok();
  },
);
