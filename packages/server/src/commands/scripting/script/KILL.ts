import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const SCRIPT_KILL = command(
  {
    ...base,
    name: 'script|kill',
    summary: 'Stops the EVAL script that runs past busy-reply-threshold, provided it has not written.',
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['notBusy', 'unkillable', 'busyFunction'],
    example: ['> SCRIPT KILL', '(error) NOTBUSY No scripts in execution right now.'],
  },
  (c) => {
    const outcome = c.server.scripts.kill('eval');
    if (outcome === 'killed') c.out.ok();
    else c.out.error(errorReply(outcome));
  },
);
