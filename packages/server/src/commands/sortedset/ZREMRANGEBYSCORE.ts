import { command } from '../spec.js';
import { zremrange } from './_remrange.js';
import { oneKey } from './_shared.js';

export const ZREMRANGEBYSCORE = command(
  {
    ...oneKey,
    name: 'zremrangebyscore',
    summary:
      'Removes the members of a sorted set whose scores are in a range, deleting the key when none is left.',
    since: '1.2.0',
    complexity: 'O(log(N)+M*log(N)): N is the number of members in the set, M the number removed.',
    arity: 4,
    flags: ['write'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
    ],
    reply: {
      resp2: 'Integer: the number of members removed.',
      resp3: 'Integer: the number of members removed.',
    },
    errors: ['wrongType', 'minMaxNotFloat'],
    example: [
      '> ZADD board 10 ada 7 alan 3 bob',
      '(integer) 3',
      '> ZREMRANGEBYSCORE board -inf (7',
      '(integer) 1',
    ],
  },
  (c) => zremrange(c, 'score'),
);
