import { errorReply } from '../../../errors.js';
import type { TrackingOptions } from '../../../tracking/state.js';
import { integerArg, isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_TRACKING = command(
  {
    ...base,
    name: 'client|tracking',
    summary:
      'Turns client-side caching on or off for the connection: invalidation messages for the keys it read (or, with BCAST, for every key under its prefixes).',
    since: '6.0.0',
    complexity: 'O(1); with BCAST, O(N) in the number of prefixes given and held.',
    arity: -3,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'status',
        type: 'oneof',
        arguments: [
          { name: 'on', type: 'pure-token', token: 'ON' },
          { name: 'off', type: 'pure-token', token: 'OFF' },
        ],
      },
      { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
      { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true },
      { name: 'bcast', type: 'pure-token', token: 'BCAST', optional: true },
      { name: 'optin', type: 'pure-token', token: 'OPTIN', optional: true },
      { name: 'optout', type: 'pure-token', token: 'OPTOUT', optional: true },
      { name: 'noloop', type: 'pure-token', token: 'NOLOOP', optional: true },
    ],
    reply: {
      resp2: 'Simple string OK.',
      resp3: 'Simple string OK.',
    },
    errors: [
      'syntax',
      'notInteger',
      'trackingRedirectTwice',
      'trackingNoRedirectClient',
      'trackingPrefixWithoutBcast',
      'trackingBcastSwitch',
      'trackingOptWithBcast',
      'trackingOptinAndOptout',
      'trackingOptSwitch',
      'trackingPrefixOverlapsExisting',
      'trackingPrefixOverlapsGiven',
    ],
    example: ['> CLIENT TRACKING ON BCAST PREFIX user: PREFIX order:', 'OK'],
  },
  (c) => {
    // As redis-server 7.0's clientCommand: the options are read first (REDIRECT checks its connection
    // exists as it goes), then ON checks them against each other and the connection's current mode.
    const a = c.args;
    let redirect = 0;
    let bcast = false;
    let optin = false;
    let optout = false;
    let noloop = false;
    const prefixes: string[] = [];
    for (let i = 3; i < a.argc; i++) {
      const more = i < a.argc - 1;
      if (more && isToken(c, i, 'redirect')) {
        i++;
        if (redirect !== 0) {
          c.out.error(errorReply('trackingRedirectTwice'));
          return;
        }
        const id = integerArg(c, i);
        if (id === null) {
          c.out.error(errorReply('notInteger'));
          return;
        }
        if (id <= 0 || c.server.client(id) === undefined) {
          c.out.error(errorReply('trackingNoRedirectClient'));
          return;
        }
        redirect = id;
      } else if (isToken(c, i, 'bcast')) bcast = true;
      else if (isToken(c, i, 'optin')) optin = true;
      else if (isToken(c, i, 'optout')) optout = true;
      else if (isToken(c, i, 'noloop')) noloop = true;
      else if (more && isToken(c, i, 'prefix')) {
        i++;
        prefixes.push(a.arg(i).toString('latin1'));
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    const session = c.session;
    if (isToken(c, 2, 'off')) {
      c.server.tracking.disable(session.id);
      c.out.ok();
      return;
    }
    if (!isToken(c, 2, 'on')) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const state = session.tracking;
    let refusal: string | null = null;
    if (!bcast && prefixes.length > 0) refusal = errorReply('trackingPrefixWithoutBcast');
    else if (state !== null && state.bcast !== bcast) refusal = errorReply('trackingBcastSwitch');
    else if (bcast && (optin || optout)) refusal = errorReply('trackingOptWithBcast');
    else if (optin && optout) refusal = errorReply('trackingOptinAndOptout');
    else if (state !== null && ((optin && state.optout) || (optout && state.optin)))
      refusal = errorReply('trackingOptSwitch');
    else if (bcast) refusal = prefixOverlap(prefixes, state?.prefixes ?? new Set());
    if (refusal !== null) {
      c.out.error(refusal);
      return;
    }
    const options: TrackingOptions = { redirect, bcast, optin, optout, noloop, prefixes };
    c.server.tracking.enable(session.id, options);
    c.out.ok();
  },
);

/**
 * Whether a prefix given overlaps one the connection holds or another one given (one starts the other,
 * or they are equal): a key would then be announced twice. The error, or null.
 */
function prefixOverlap(given: readonly string[], held: ReadonlySet<string>): string | null {
  const overlap = (x: string, y: string): boolean => x.startsWith(y) || y.startsWith(x);
  for (let i = 0; i < given.length; i++) {
    const p = given[i] as string;
    for (const h of [...held].sort()) {
      if (overlap(p, h)) return errorReply('trackingPrefixOverlapsExisting', p, h);
    }
    for (let j = i + 1; j < given.length; j++) {
      const q = given[j] as string;
      // redis-server 7.0 goes on past this error when it is not about the first prefix given, and then
      // also turns tracking on and replies OK: two replies to one command. Sluice refuses, with one.
      if (overlap(p, q)) return errorReply('trackingPrefixOverlapsGiven', p, q);
    }
  }
  return null;
}
