import { command } from '../spec.js';
import { replyTtl } from './_ttl.js';

export const TTL = command(
  {
    name: 'ttl',
    group: 'generic',
    summary: 'Returns the time to live of a key in seconds.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Integer: the time to live in seconds, -1 if the key has no expiry, -2 if it does not exist.',
      resp3: 'Integer: the time to live in seconds, -1 if the key has no expiry, -2 if it does not exist.',
    },
    errors: [],
    example: ['> SET k v PX 5000', 'OK', '> TTL k', '(integer) 5', '> TTL missing', '(integer) -2'],
  },
  (c) => replyTtl(c, false),
);
