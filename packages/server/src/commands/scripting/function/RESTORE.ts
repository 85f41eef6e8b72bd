import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_RESTORE = command(
  {
    ...base,
    name: 'function|restore',
    summary:
      "Loads the libraries of a FUNCTION DUMP payload (Sluice's or redis-server's): APPEND (the default) refuses a name already loaded, REPLACE replaces it, FLUSH deletes every library first.",
    complexity: 'O(N) where N is the number of functions on the payload',
    arity: -3,
    flags: ['write', 'denyoom', 'noscript'],
    arguments: [
      { name: 'serialized-value', type: 'string' },
      {
        name: 'policy',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'flush', type: 'pure-token', token: 'FLUSH' },
          { name: 'append', type: 'pure-token', token: 'APPEND' },
          { name: 'replace', type: 'pure-token', token: 'REPLACE' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: [
      'subcommandSyntax',
      'restorePolicy',
      'badDumpPayload',
      'functionPayload',
      'libraryExistsRestore',
      'functionExists',
      'libraryExists',
      'functionCompile',
      'functionRegister',
      'noFunctionsRegistered',
    ],
    example: ['> FUNCTION RESTORE "\\xf5\\xc3@X@]\\x1f#!lua name=mylib \\n ..." REPLACE', 'OK'],
  },
  (c) => {
    const { args, out } = c;
    if (args.argc > 4) {
      out.error(errorReply('subcommandSyntax', args.argString(1), 'FUNCTION'));
      return;
    }
    const policy = args.argc === 4 ? args.argString(3).toLowerCase() : 'append';
    if (policy !== 'append' && policy !== 'replace' && policy !== 'flush') {
      out.error(errorReply('restorePolicy'));
      return;
    }
    const failed = c.server.scripts.restoreLibraries(args.arg(2), policy);
    if (failed !== null) {
      out.error(failed.error);
      return;
    }
    c.server.saveFunctions();
    out.ok();
  },
);
