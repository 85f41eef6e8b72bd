import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const SCRIPT_KILL = command(
  {
    ...base,
    name: 'script|kill',
    summary:
      'Stops the script that is running, if it has not written. Sluice runs a script to its end before it reads the next command, so there is never one to stop: see busy-reply-threshold.',
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['notBusy'],
    example: ['> SCRIPT KILL', '(error) NOTBUSY No scripts in execution right now.'],
  },
  (c) => c.out.error(errorReply('notBusy')),
);
