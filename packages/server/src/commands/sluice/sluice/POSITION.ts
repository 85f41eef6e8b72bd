import { formatPositions } from '../../../log/applied.js';
import { command } from '../../spec.js';
import { base, logModeOrReply } from './_shared.js';

export const SLUICE_POSITION = command(
  {
    ...base,
    name: 'sluice|position',
    summary:
      "Returns a token for the connection's last write: the topic offsets it was written at, for SLUICE WAIT on any node.",
    complexity: 'O(P) where P is the number of partitions the write touched',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    arguments: [],
    reply: {
      resp2:
        'Bulk string: the token. Without a write on this connection, the offsets this node has applied now. Waits until the last write has been acknowledged and applied.',
      resp3: 'Bulk string: the token.',
    },
    errors: ['notLogMode'],
    example: ['> SET greeting hello', 'OK', '> SLUICE POSITION', '"0:41"'],
  },
  (c) => {
    const log = logModeOrReply(c);
    if (log === null) return;
    const batch = c.session.lastWrite;
    if (batch !== null && !batch.settled) {
      // The write is on its way (a pipeline): answer once it has been acknowledged and applied.
      const blocked = c.block((wake) => {
        batch.onSettled(wake);
        return () => {};
      });
      if (blocked) return;
    }
    const positions =
      batch?.state === 'committed' && batch.positions !== null ? batch.positions : log.position();
    c.out.bulkString(formatPositions(positions));
  },
);
