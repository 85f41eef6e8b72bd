import { command } from '../spec.js';
import { zpopCommand } from './_pop.js';
import { oneKey } from './_shared.js';

export const ZPOPMIN = command(
  {
    ...oneKey,
    name: 'zpopmin',
    summary:
      'Removes and returns the member with the lowest score of a sorted set, or up to `count` of them, lowest first; the key goes when emptied.',
    since: '5.0.0',
    complexity: 'O(log(N)*M): N is the number of members in the set, M the number popped.',
    arity: -2,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer', optional: true },
    ],
    reply: {
      resp2:
        'Array: members and their scores (bulk strings) alternating; empty for a missing key or a count of 0.',
      resp3:
        'Array: without a count, the member and its score (a double); with one, an array of [member, score] pairs. Empty for a missing key or a count of 0.',
    },
    errors: ['wrongType', 'syntax', 'mustBePositive'],
    example: ['> ZADD board 1 a 2 b 3 c', '(integer) 3', '> ZPOPMIN board', '1) "a"', '2) "1"'],
  },
  (c) => zpopCommand(c, false),
);
