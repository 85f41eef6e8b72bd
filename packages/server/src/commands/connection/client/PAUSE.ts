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
    errors: ['timeoutNotInteger', 'timeoutNegative', 'pauseMode', 'syntax'],
    example: ['> CLIENT PAUSE 2000 WRITE', 'OK'],
  },
  (c) => {
    const ms = integerArg(c, 2);
    if (ms === null) {
      c.out.error(errorReply('timeoutNotInteger'));
      return;
    }
    if (ms < 0) {
      c.out.error(errorReply('timeoutNegative'));
      return;
    }
    let all = true;
    if (c.args.argc === 4) {
      if (isToken(c, 3, 'write')) all = false;
      else if (!isToken(c, 3, 'all')) {
        c.out.error(errorReply('pauseMode'));
        return;
      }
    } else if (c.args.argc > 4) {
      c.out.error(errorReply('syntax'));
      return;
    }
    c.server.pauseClients(ms, all);
    c.out.ok();
  },
);
