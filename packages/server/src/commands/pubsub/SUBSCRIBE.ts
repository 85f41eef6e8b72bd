import { command } from '../spec.js';
import { base, SUBSCRIBING, subscribeEach } from './_shared.js';

export const SUBSCRIBE = command(
  {
    ...base,
    name: 'subscribe',
    summary:
      'Listens to the channels given: every message published to one of them is sent to this connection.',
    since: '2.0.0',
    complexity: 'O(N) for N channels',
    arity: -2,
    flags: SUBSCRIBING,
    arguments: [{ name: 'channel', type: 'string', multiple: true }],
    reply: {
      resp2:
        'Per channel, an array `subscribe`, the channel and the number of channels and patterns subscribed to; then arrays `message`, channel, message as they are published. Until the last subscription ends, only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET may run.',
      resp3:
        'Per channel, a push `subscribe`, the channel and the number of channels and patterns subscribed to; then pushes `message`, channel, message as they are published. Every command may still run.',
    },
    example: [
      '> SUBSCRIBE news',
      '1) "subscribe"',
      '2) "news"',
      '3) (integer) 1',
      '1) "message"',
      '2) "news"',
      '3) "hello"',
    ],
  },
  (c) => subscribeEach(c, 'channel', 'subscribe'),
);
