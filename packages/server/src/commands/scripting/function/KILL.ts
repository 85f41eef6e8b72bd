import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_KILL = command(
  {
    ...base,
    name: 'function|kill',
    summary: 'Stops the function (FCALL) that runs past busy-reply-threshold, provided it has not written.',
    complexity: 'O(1)',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['notBusy', 'unkillable', 'busyScript'],
    example: ['> FUNCTION KILL', '(error) NOTBUSY No scripts in execution right now.'],
  },
  (c) => {
    const outcome = c.server.scripts.kill('function');
    if (outcome === 'killed') c.out.ok();
    else c.out.error(errorReply(outcome));
  },
);
