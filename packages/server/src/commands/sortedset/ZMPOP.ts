import { command } from '../spec.js';
import { zmpopCommand } from './_pop.js';
import { base } from './_shared.js';

export const ZMPOP = command(
  {
    ...base,
    name: 'zmpop',
    summary:
      'Removes and returns up to `count` members with the lowest (MIN) or highest (MAX) scores from the first non-empty sorted set among the keys.',
    since: '7.0.0',
    complexity:
      'O(K+M*log(N)): K is the number of keys, N the number of members in the set, M the number popped.',
    arity: -4,
    flags: ['write', 'movablekeys'],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      {
        name: 'where',
        type: 'oneof',
        arguments: [
          { name: 'min', type: 'pure-token', token: 'MIN' },
          { name: 'max', type: 'pure-token', token: 'MAX' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    reply: {
      resp2:
        'Array: the key and an array of [member, score] pairs (scores as bulk strings); a null array when every set is empty.',
      resp3:
        'Array: the key and an array of [member, score] pairs (scores as doubles); null when every set is empty.',
    },
    errors: ['wrongType', 'numkeysPositive', 'countPositive', 'syntax'],
    example: [
      '> ZADD board 1 a 2 b 3 c',
      '(integer) 3',
      '> ZMPOP 2 empty board MAX COUNT 2',
      '1) "board"',
      '2) 1) 1) "c"',
      '      2) "3"',
      '   2) 1) "b"',
      '      2) "2"',
    ],
  },
  (c) => zmpopCommand(c, 1),
);
