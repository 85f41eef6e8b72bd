import { command } from '../spec.js';
import { base } from './_shared.js';

export const PUBLISH = command(
  {
    ...base,
    name: 'publish',
    summary:
      "Sends a message to the channel's subscribers and to those of every pattern matching it, on every node in log and cluster mode; nothing is stored.",
    since: '2.0.0',
    complexity: 'O(N + M): N subscribers of the channel, M patterns subscribed to',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    arguments: [
      { name: 'channel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    reply: {
      resp2:
        'Integer: how many received it on this node (each subscriber of the channel, plus one per matching pattern of each pattern subscriber).',
      resp3:
        'Integer: how many received it on this node (each subscriber of the channel, plus one per matching pattern of each pattern subscriber).',
    },
    example: ['> PUBLISH news hello', '(integer) 2'],
  },
  (c) => {
    const a = c.args;
    c.out.integer(c.server.pubsub.publish(a.arg(1), a.arg(2), false, c.session.id));
  },
);
