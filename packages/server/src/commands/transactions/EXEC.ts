import { errorReply } from '../../errors.js';
import type { LogOps, QueuedCommand } from '../context.js';
import { command, keyIndexes } from '../spec.js';

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
    errors: ['execWithoutMulti', 'execAbort', 'crossPartition'],
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
    const log = c.server.logMode;
    if (log !== null && log.partitions > 1 && writesSpanPartitions(queued, log)) {
      // Log mode: a transaction's records become visible together only within one partition.
      session.discard();
      c.out.error(errorReply('crossPartition'));
      return;
    }
    session.discard();
    c.out.arrayHeader(queued.length);
    c.server.runTransaction(session.id, queued);
  },
);

/**
 * Whether the queued writes touch keys of more than one partition of the topic. A write command without
 * key positions (FLUSHDB, FLUSHALL, SWAPDB) may touch any key, so it spans them all.
 */
function writesSpanPartitions(queued: readonly QueuedCommand[], log: LogOps): boolean {
  let partition = -1;
  for (const { def, args } of queued) {
    if (!def.writes) continue;
    const keys = keyIndexes(def.spec, args.argc);
    if (keys.length === 0) return true;
    for (const i of keys) {
      const p = log.partitionOf(args.arg(i));
      if (partition === -1) partition = p;
      else if (p !== partition) return true;
    }
  }
  return false;
}
