import { errorReply } from '../../errors.js';
import { command } from '../spec.js';

export const EXEC = command(
  {
    name: 'exec',
    group: 'transactions',
    summary:
      'Runs the queued commands of a transaction, one after the other; their writes commit together in one LMDB transaction.',
    since: '1.2.0',
    complexity: 'Depends on commands in the transaction',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    arguments: [],
    reply: {
      resp2:
        'Array: the reply of each queued command (an error reply for a command that failed), or a null array when a WATCHed key changed.',
      resp3: 'Array: the reply of each queued command, or null when a WATCHed key changed.',
    },
    errors: ['execWithoutMulti', 'execAbort'],
    example: ['> WATCH k', 'OK', '> MULTI', 'OK', '> SET k 1', 'QUEUED', '> EXEC', '1) OK'],
  },
  (c) => {
    const session = c.session;
    const queued = session.multi;
    if (queued === null) {
      c.out.error(errorReply('execWithoutMulti'));
      return;
    }
    if (session.multiFailed) {
      session.discard();
      c.out.error(errorReply('execAbort'));
      return;
    }
    if (session.watchedChanged) {
      session.discard();
      c.out.nullArray();
      return;
    }
    session.discard();
    c.out.arrayHeader(queued.length);
    c.server.runTransaction(session.id, queued);
  },
);
