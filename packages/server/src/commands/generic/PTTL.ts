import { command } from '../spec.js';
import { replyTtl } from './_ttl.js';

export const PTTL = command(
  {
    name: 'pttl',
    group: 'generic',
    summary: 'Returns the time to live of a key in milliseconds.',
    since: '2.6.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2:
        'Integer: the time to live in milliseconds, -1 if the key has no expiry, -2 if it does not exist.',
      resp3:
        'Integer: the time to live in milliseconds, -1 if the key has no expiry, -2 if it does not exist.',
    },
    errors: [],
    example: ['> SET k v PX 5000', 'OK', '> PTTL k', '(integer) 4998', '> PTTL missing', '(integer) -2'],
  },
  (c) => replyTtl(c, true),
);
