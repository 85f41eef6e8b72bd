import { command } from '../spec.js';
import { zadd } from './_add.js';
import { oneKey } from './_shared.js';

export const ZINCRBY = command(
  {
    ...oneKey,
    name: 'zincrby',
    summary:
      "Adds an increment to a member's score (from 0 when it is not in the set), creating the set when missing.",
    since: '1.2.0',
    complexity: 'O(log(N)) where N is the number of members in the set.',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'increment', type: 'double' },
      { name: 'member', type: 'string' },
    ],
    reply: {
      resp2: 'Bulk string: the new score.',
      resp3: 'Double: the new score.',
    },
    errors: ['wrongType', 'notFloat', 'scoreNan'],
    example: ['> ZINCRBY board 5 ada', '"5"', '> ZINCRBY board 2.5 ada', '"7.5"'],
  },
  (c) => zadd(c, true),
);
