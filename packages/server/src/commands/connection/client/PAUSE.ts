import { errorReply } from '../../../errors.js';
import { integerArg, isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_PAUSE = command(
  {
    ...base,
    name: 'client|pause',
    summary: 'Holds back the commands of every client (or only their writes) for a number of milliseconds.',
    since: '3.0.0',
    complexity: 'O(1)',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      { name: 'timeout', type: 'integer' },
      {
        name: 'mode',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'write', type: 'pure-token', token: 'WRITE' },
          { name: 'all', type: 'pure-token', token: 'ALL' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['subcommandSyntax', 'pauseMode', 'timeoutNotInteger', 'timeoutNegative'],
    example: ['> CLIENT PAUSE 2000 WRITE', 'OK'],
  },
  (c) => {
    // As redis-server 7.0's clientCommand: more than a mode is the subcommand syntax error, and the
    // mode is checked before the timeout.
    const a = c.args;
    if (a.argc > 4) {
      c.out.error(errorReply('subcommandSyntax', a.argString(1), 'CLIENT'));
      return;
    }
    let all = true;
    if (a.argc === 4) {
      if (isToken(c, 3, 'write')) all = false;
      else if (!isToken(c, 3, 'all')) {
        c.out.error(errorReply('pauseMode'));
        return;
      }
    }
    const ms = integerArg(c, 2);
    if (ms === null) {
      c.out.error(errorReply('timeoutNotInteger'));
      return;
    }
    if (ms < 0) {
      c.out.error(errorReply('timeoutNegative'));
      return;
    }
    c.server.pauseClients(ms, all);
    c.out.ok();
  },
);
