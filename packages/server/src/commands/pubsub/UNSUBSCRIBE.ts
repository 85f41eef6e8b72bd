import { command } from '../spec.js';
import { base, SUBSCRIBING, unsubscribeEach } from './_shared.js';

export const UNSUBSCRIBE = command(
  {
    ...base,
    name: 'unsubscribe',
    summary: 'Stops listening to the channels given, or to every channel without arguments.',
    since: '2.0.0',
    complexity: 'O(N) for N channels left',
    arity: -1,
    flags: SUBSCRIBING,
    arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2:
        'Per channel left, an array `unsubscribe`, the channel and the number of channels and patterns still subscribed to; without arguments and no channel, one such array with a null channel.',
      resp3:
        'Per channel left, a push `unsubscribe`, the channel and the number of channels and patterns still subscribed to; without arguments and no channel, one such push with a null channel.',
    },
    example: ['> UNSUBSCRIBE news', '1) "unsubscribe"', '2) "news"', '3) (integer) 0'],
  },
  (c) => unsubscribeEach(c, 'channel', 'unsubscribe'),
);
