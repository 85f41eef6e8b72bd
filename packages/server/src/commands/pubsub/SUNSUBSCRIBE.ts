import { command } from '../spec.js';
import { base, SUBSCRIBING, unsubscribeEach } from './_shared.js';

export const SUNSUBSCRIBE = command(
  {
    ...base,
    name: 'sunsubscribe',
    summary: 'Stops listening to the shard channels given, or to every shard channel without arguments.',
    since: '7.0.0',
    complexity: 'O(N) for N shard channels left',
    arity: -1,
    flags: SUBSCRIBING,
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2:
        'Per shard channel left, an array `sunsubscribe`, the shard channel and the number of shard channels still subscribed to; without arguments and none, one such array with a null name.',
      resp3:
        'Per shard channel left, a push `sunsubscribe`, the shard channel and the number of shard channels still subscribed to; without arguments and none, one such push with a null name.',
    },
    example: ['> SUNSUBSCRIBE orders', '1) "sunsubscribe"', '2) "orders"', '3) (integer) 0'],
  },
  (c) => unsubscribeEach(c, 'shard', 'sunsubscribe'),
);
