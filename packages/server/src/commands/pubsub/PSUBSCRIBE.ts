import { command } from '../spec.js';
import { base, SUBSCRIBING, subscribeEach } from './_shared.js';

export const PSUBSCRIBE = command(
  {
    ...base,
    name: 'psubscribe',
    summary:
      'Listens to every channel whose name matches one of the glob-style patterns given (`*`, `?`, `[...]`, `\\` escapes).',
    since: '2.0.0',
    complexity: 'O(N) for N patterns',
    arity: -2,
    flags: SUBSCRIBING,
    arguments: [{ name: 'pattern', type: 'pattern', multiple: true }],
    reply: {
      resp2:
        'Per pattern, an array `psubscribe`, the pattern and the number of channels and patterns subscribed to; then arrays `pmessage`, pattern, channel, message.',
      resp3:
        'Per pattern, a push `psubscribe`, the pattern and the number of channels and patterns subscribed to; then pushes `pmessage`, pattern, channel, message.',
    },
    example: [
      '> PSUBSCRIBE news.*',
      '1) "psubscribe"',
      '2) "news.*"',
      '3) (integer) 1',
      '1) "pmessage"',
      '2) "news.*"',
      '3) "news.tech"',
      '4) "hello"',
    ],
  },
  (c) => subscribeEach(c, 'pattern', 'psubscribe'),
);
