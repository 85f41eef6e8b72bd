import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_FLUSH = command(
  {
    ...base,
    name: 'function|flush',
    summary: 'Deletes every library (ASYNC and SYNC are accepted; Sluice deletes them at once either way).',
    complexity: 'O(N) where N is the number of functions deleted',
    arity: -2,
    flags: ['write', 'noscript'],
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
    errors: ['functionFlushArgs', 'subcommandSyntax'],
    example: ['> FUNCTION FLUSH', 'OK'],
  },
  (c) => {
    const { args, out } = c;
    if (args.argc > 3) {
      out.error(errorReply('subcommandSyntax', args.argString(1), 'FUNCTION'));
      return;
    }
    const mode = args.argc === 3 ? args.argString(2).toLowerCase() : 'sync';
    if (mode !== 'sync' && mode !== 'async') {
      out.error(errorReply('functionFlushArgs'));
      return;
    }
    c.server.scripts.flushLibraries();
    c.server.saveFunctions();
    out.ok();
  },
);
