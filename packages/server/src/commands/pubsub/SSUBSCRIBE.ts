import { command } from '../spec.js';
import { base, SUBSCRIBING, subscribeEach } from './_shared.js';

export const SSUBSCRIBE = command(
  {
    ...base,
    name: 'ssubscribe',
    summary:
      'Listens to the shard channels given, which SPUBLISH publishes to; on a single node they are a namespace of their own beside the channels of SUBSCRIBE.',
    since: '7.0.0',
    complexity: 'O(N) for N shard channels',
    arity: -2,
    flags: SUBSCRIBING,
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'shardchannel', type: 'string', multiple: true }],
    reply: {
      resp2:
        'Per shard channel, an array `ssubscribe`, the shard channel and the number of shard channels subscribed to; then arrays `smessage`, shard channel, message.',
      resp3:
        'Per shard channel, a push `ssubscribe`, the shard channel and the number of shard channels subscribed to; then pushes `smessage`, shard channel, message.',
    },
    example: ['> SSUBSCRIBE orders', '1) "ssubscribe"', '2) "orders"', '3) (integer) 1'],
  },
  (c) => subscribeEach(c, 'shard', 'ssubscribe'),
);
