import { errorReply } from '../../../errors.js';
import { parsePositions } from '../../../log/applied.js';
import { integerArg } from '../../_args.js';
import { command } from '../../spec.js';
import { base, logModeOrReply } from './_shared.js';

export const SLUICE_WAIT = command(
  {
    ...base,
    name: 'sluice|wait',
    summary:
      'Blocks until this node has applied everything up to a SLUICE POSITION token (read your writes on any node), or the timeout passes.',
    complexity: 'O(P) where P is the number of partitions in the token',
    arity: 4,
    flags: ['loading', 'stale'],
    arguments: [
      { name: 'token', type: 'string' },
      { name: 'timeout', type: 'integer' },
    ],
    reply: {
      resp2:
        'Integer: 1 once this node has applied the token, 0 when the timeout (milliseconds; 0 waits for ever) passed first.',
      resp3: 'Integer: 1 when applied, 0 on timeout.',
    },
    errors: ['notLogMode', 'invalidPosition', 'notInteger', 'timeoutNegative'],
    example: ['> SLUICE WAIT 0:41 1000', '(integer) 1'],
  },
  (c) => {
    const log = logModeOrReply(c);
    if (log === null) return;
    const positions = parsePositions(c.args.argString(2, 'latin1'));
    if (positions === undefined) {
      c.out.error(errorReply('invalidPosition'));
      return;
    }
    const timeout = integerArg(c, 3);
    if (timeout === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    if (timeout < 0) {
      c.out.error(errorReply('timeoutNegative'));
      return;
    }
    if (log.applied(positions)) {
      c.out.integer(1);
      return;
    }
    const since = c.session.blockedSince ?? c.now;
    const left = since + timeout - c.now;
    if (timeout > 0 && left <= 0) {
      c.out.integer(0);
      return;
    }
    const blocked = c.block((wake) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        cancel();
        clearTimeout(timer);
        wake();
      };
      const cancel = log.whenApplied(positions, done);
      if (timeout > 0) timer = setTimeout(done, left);
      return () => {
        cancel();
        clearTimeout(timer);
      };
    });
    // Inside MULTI/EXEC nothing blocks: not applied yet.
    if (!blocked) c.out.integer(0);
  },
);
