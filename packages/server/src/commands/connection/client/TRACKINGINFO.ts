import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CLIENT_TRACKINGINFO = command(
  {
    ...base,
    name: 'client|trackinginfo',
    summary: "Returns the connection's client-side caching state: its flags, redirection and prefixes.",
    since: '6.2.0',
    complexity: 'O(N) where N is the number of prefixes.',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2:
        'Array: `flags` and an array of them (off, or on, bcast, optin, caching-yes, optout, caching-no, noloop, broken_redirect), `redirect` and the id (-1 off, 0 none), `prefixes` and an array of them.',
      resp3: 'Map of the same three fields, the flags as a set.',
    },
    example: [
      '> CLIENT TRACKINGINFO',
      '1) "flags"',
      '2) 1) "on"',
      '   2) "bcast"',
      '3) "redirect"',
      '4) (integer) 0',
      '5) "prefixes"',
      '6) 1) "user:"',
    ],
  },
  (c) => {
    const state = c.session.tracking;
    const out = c.out;
    out.mapHeader(3);
    out.bulkString('flags');
    const flags = [state === null ? 'off' : 'on'];
    if (state !== null) {
      if (state.bcast) flags.push('bcast');
      if (state.optin) flags.push('optin');
      if (state.optin && state.caching) flags.push('caching-yes');
      if (state.optout) flags.push('optout');
      if (state.optout && state.caching) flags.push('caching-no');
      if (state.noloop) flags.push('noloop');
      if (state.brokenRedirect) flags.push('broken_redirect');
    }
    out.setHeader(flags.length);
    for (const f of flags) out.bulkString(f);
    out.bulkString('redirect');
    out.integer(state?.redirect ?? -1);
    out.bulkString('prefixes');
    // In byte order, as redis-server's radix tree lists them.
    const prefixes = state === null ? [] : [...state.prefixes].sort();
    out.arrayHeader(prefixes.length);
    for (const p of prefixes) out.bulk(Buffer.from(p, 'latin1'));
  },
);
