import { errorReply } from '../../errors.js';
import { isToken } from '../_args.js';
import { command } from '../spec.js';

export const SHUTDOWN = command(
  {
    name: 'shutdown',
    group: 'server',
    summary: 'Stops the server after the writes in flight have committed and LMDB is flushed and closed.',
    since: '1.0.0',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases',
    arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
    arguments: [
      {
        name: 'save-selector',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
          { name: 'save', type: 'pure-token', token: 'SAVE' },
        ],
      },
      { name: 'now', type: 'pure-token', token: 'NOW', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
      { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true },
    ],
    reply: {
      resp2: 'No reply on success: the connection closes. An error if the server could not stop.',
      resp3: 'No reply on success: the connection closes. An error if the server could not stop.',
    },
    errors: ['syntax', 'noShutdownInProgress', 'busyScript', 'busyFunction'],
    example: [
      '> SHUTDOWN ABORT',
      '(error) ERR No shutdown in progress.',
      '> SHUTDOWN',
      '(the connection closes)',
    ],
  },
  (c) => {
    // As redis-server 7.0's shutdownCommand: known words in any order, but not ABORT with another one
    // nor NOSAVE with SAVE.
    let save = false;
    let nosave = false;
    let other = false;
    let abort = false;
    for (let i = 1; i < c.args.argc; i++) {
      if (isToken(c, i, 'nosave')) nosave = true;
      else if (isToken(c, i, 'save')) save = true;
      else if (isToken(c, i, 'now') || isToken(c, i, 'force')) other = true;
      else if (isToken(c, i, 'abort')) abort = true;
      else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    if ((abort && (save || nosave || other)) || (save && nosave)) {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (abort) {
      // Sluice's SHUTDOWN never waits (there are no replicas to wait for), so none can be aborted.
      c.out.error(errorReply('noShutdownInProgress'));
      return;
    }
    const busy = c.server.scriptBusy();
    if (busy !== null) {
      // As redis-server: while a script runs past busy-reply-threshold, only SHUTDOWN NOSAVE, which
      // drops the script's writes (they never commit: the script is atomic).
      if (!nosave) {
        c.out.error(errorReply(busy === 'eval' ? 'busyScript' : 'busyFunction'));
        return;
      }
      c.server.scripts.abandon();
      c.server.keyspace.abandonOpenBatch();
    }
    // NOSAVE/SAVE/NOW/FORCE change nothing else: every acknowledged write is already committed to LMDB.
    c.session.closeAfterReplies();
    c.server.shutdown('User requested shutdown');
  },
);
