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
    errors: ['syntax'],
    example: ['> SHUTDOWN', '(the connection closes)'],
  },
  (c) => {
    for (let i = 1; i < c.args.argc; i++) {
      if (!['nosave', 'save', 'now', 'force'].some((t) => isToken(c, i, t))) {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    // NOSAVE/SAVE/NOW/FORCE change nothing: every acknowledged write is already committed to LMDB.
    c.session.closeAfterReplies();
    c.server.shutdown('User requested shutdown');
  },
);
