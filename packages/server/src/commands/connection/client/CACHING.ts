import { errorReply } from '../../../errors.js';
import { isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_CACHING = command(
  {
    ...base,
    name: 'client|caching',
    summary:
      'In OPTIN tracking mode, YES has the keys of the next command (or transaction) tracked; in OPTOUT mode, NO has them left out.',
    since: '6.0.0',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'mode',
        type: 'oneof',
        arguments: [
          { name: 'yes', type: 'pure-token', token: 'YES' },
          { name: 'no', type: 'pure-token', token: 'NO' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['syntax', 'cachingWithoutTracking', 'cachingYesWithoutOptin', 'cachingNoWithoutOptout'],
    example: ['> CLIENT TRACKING ON OPTIN', 'OK', '> CLIENT CACHING YES', 'OK', '> GET user:1', '"ada"'],
  },
  (c) => {
    const state = c.session.tracking;
    if (state === null) {
      c.out.error(errorReply('cachingWithoutTracking'));
      return;
    }
    if (isToken(c, 2, 'yes')) {
      if (!state.optin) {
        c.out.error(errorReply('cachingYesWithoutOptin'));
        return;
      }
    } else if (isToken(c, 2, 'no')) {
      if (!state.optout) {
        c.out.error(errorReply('cachingNoWithoutOptout'));
        return;
      }
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
    // Cleared after the next command that is not a CLIENT command, or after EXEC (dispatch.ts).
    state.caching = true;
    c.out.ok();
  },
);
