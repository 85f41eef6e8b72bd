import { command } from '../spec.js';
import { zremrange } from './_remrange.js';
import { oneKey } from './_shared.js';

export const ZREMRANGEBYRANK = command(
  {
    ...oneKey,
    name: 'zremrangebyrank',
    summary: 'Removes the members of a sorted set in a range of ranks, deleting the key when none is left.',
    since: '2.0.0',
    complexity: 'O(log(N)+M*log(N)): N is the number of members in the set, M the number removed.',
    arity: 4,
    flags: ['write'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
    reply: {
      resp2: 'Integer: the number of members removed.',
      resp3: 'Integer: the number of members removed.',
    },
    errors: ['wrongType', 'notInteger'],
    example: [
      '> ZADD board 10 ada 7 alan 3 bob',
      '(integer) 3',
      '> ZREMRANGEBYRANK board 0 1',
      '(integer) 2',
    ],
  },
  (c) => zremrange(c, 'rank'),
);
