import { command } from '../spec.js';
import { base } from './_shared.js';

export const SPUBLISH = command(
  {
    ...base,
    name: 'spublish',
    summary:
      "Sends a message to a shard channel's subscribers (SSUBSCRIBE); patterns do not receive it. On a single node every shard channel is local.",
    since: '7.0.0',
    complexity: 'O(N): N subscribers of the shard channel',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'shardchannel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: how many subscribers received it.',
      resp3: 'Integer: how many subscribers received it.',
    },
    example: ['> SPUBLISH orders created:42', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    c.out.integer(c.server.pubsub.publish(a.arg(1), a.arg(2), true, c.session.id));
  },
);
