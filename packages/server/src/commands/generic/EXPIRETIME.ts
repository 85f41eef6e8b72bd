import { command } from '../spec.js';
import { replyTtl } from './_ttl.js';

export const EXPIRETIME = command(
  {
    name: 'expiretime',
    group: 'generic',
    summary: 'Returns the Unix time in seconds at which a key expires.',
    since: '7.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2:
        'Integer: the expiry as Unix time in seconds, -1 if the key has no expiry, -2 if it does not exist.',
      resp3:
        'Integer: the expiry as Unix time in seconds, -1 if the key has no expiry, -2 if it does not exist.',
    },
    errors: [],
    example: ['> SET k v EXAT 1795291382', 'OK', '> EXPIRETIME k', '(integer) 1795291382'],
  },
  (c) => replyTtl(c, false, true),
);
