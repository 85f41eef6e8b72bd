import { Encoded } from '@sluice/protocol';
import { errorReply } from '../../errors.js';
import { replyArg } from '../_args.js';
import { command } from '../spec.js';

export const PING = command(
  {
    name: 'ping',
    group: 'connection',
    summary: 'Returns PONG, or the message given.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: -1,
    flags: ['fast'],
    arguments: [{ name: 'message', type: 'string', optional: true }],
    reply: {
      resp2:
        'Simple string PONG, or the message as a bulk string; in Pub/Sub mode an array of `pong` and the message (empty without one).',
      resp3: 'Simple string PONG, or the message as a bulk string.',
    },
    errors: ['wrongArity'],
    example: ['> PING', 'PONG', '> PING hello', '"hello"'],
  },
  (c) => {
    const a = c.args;
    if (a.argc > 2) c.out.error(errorReply('wrongArity', 'ping'));
    else if (c.session.protocol === 2 && c.session.subscriptions.active) {
      // RESP2 subscriber mode: `pong` and the message (empty without one), shaped like a message.
      c.out.arrayHeader(2);
      c.out.bulkString('pong');
      if (a.argc === 2) replyArg(c, 1);
      else c.out.bulkString('');
    } else if (a.argc === 2) replyArg(c, 1);
    else c.out.raw(Encoded.pong);
  },
);
