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
      resp2: 'Simple string PONG, or the message as a bulk string.',
      resp3: 'Simple string PONG, or the message as a bulk string.',
    },
    errors: ['wrongArity'],
    example: ['> PING', 'PONG', '> PING hello', '"hello"'],
  },
  (c) => {
    const a = c.args;
    if (a.argc > 2) c.out.error(errorReply('wrongArity', 'ping'));
    else if (a.argc === 2) replyArg(c, 1);
    else c.out.raw(Encoded.pong);
  },
);
