import { command } from '../spec.js';
import { zremrange } from './_remrange.js';
import { oneKey } from './_shared.js';

export const ZREMRANGEBYLEX = command(
  {
    ...oneKey,
    name: 'zremrangebylex',
    summary:
      'Removes the members of a sorted set within a range of members (all scores being equal), deleting the key when none is left.',
    since: '2.8.9',
    complexity: 'O(log(N)+M*log(N)): N is the number of members in the set, M the number removed.',
    arity: 4,
    flags: ['write'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the number of members removed.',
      resp3: 'Integer: the number of members removed.',
    },
    errors: ['wrongType', 'minMaxNotLex'],
    example: [
      '> ZADD names 0 ada 0 alan 0 bob',
      '(integer) 3',
      '> ZREMRANGEBYLEX names [a (b',
      '(integer) 2',
    ],
  },
  (c) => zremrange(c, 'lex'),
);
