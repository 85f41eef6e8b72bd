import { errorReply } from '../../errors.js';
import { command } from '../spec.js';

export const WATCH = command(
  {
    name: 'watch',
    group: 'transactions',
    summary: 'Makes the next EXEC fail if any of the keys changes before it.',
    since: '2.2.0',
    complexity: 'O(1) for every key.',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['watchInMulti'],
    example: ['> WATCH balance', 'OK'],
  },
  (c) => {
    if (c.session.multi !== null) {
      c.out.error(errorReply('watchInMulti'));
      return;
    }
    for (let i = 1; i < c.args.argc; i++) c.session.watch(c.db, c.args.argString(i, 'latin1'));
    c.out.ok();
  },
);
