import { command } from '../spec.js';
import { base, SUBSCRIBING, unsubscribeEach } from './_shared.js';

export const PUNSUBSCRIBE = command(
  {
    ...base,
    name: 'punsubscribe',
    summary: 'Stops listening to the patterns given, or to every pattern without arguments.',
    since: '2.0.0',
    complexity: 'O(N) for N patterns left',
    arity: -1,
    flags: SUBSCRIBING,
    arguments: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
    reply: {
      resp2:
        'Per pattern left, an array `punsubscribe`, the pattern and the number of channels and patterns still subscribed to; without arguments and no pattern, one such array with a null pattern.',
      resp3:
        'Per pattern left, a push `punsubscribe`, the pattern and the number of channels and patterns still subscribed to; without arguments and no pattern, one such push with a null pattern.',
    },
    example: ['> PUNSUBSCRIBE news.*', '1) "punsubscribe"', '2) "news.*"', '3) (integer) 0'],
  },
  (c) => unsubscribeEach(c, 'pattern', 'punsubscribe'),
);
