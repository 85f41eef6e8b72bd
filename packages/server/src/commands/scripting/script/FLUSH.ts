import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const SCRIPT_FLUSH = command(
  {
    ...base,
    name: 'script|flush',
    summary: 'Empties the script cache (ASYNC and SYNC are accepted; Sluice empties it at once either way).',
    since: '2.6.0',
    complexity: 'O(N) with N the number of cached scripts.',
    arity: -2,
    flags: ['noscript'],
    arguments: [
      {
        name: 'flush-type',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'async', type: 'pure-token', token: 'ASYNC' },
          { name: 'sync', type: 'pure-token', token: 'SYNC' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['scriptFlushArgs'],
    example: ['> SCRIPT FLUSH', 'OK'],
  },
  (c) => {
    const { args, out } = c;
    const mode = args.argc === 3 ? args.argString(2).toLowerCase() : 'sync';
    if (args.argc > 3 || (mode !== 'sync' && mode !== 'async')) {
      out.error(errorReply('scriptFlushArgs'));
      return;
    }
    c.server.scripts.flush();
    out.ok();
  },
);
