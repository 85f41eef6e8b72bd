import { command } from '../spec.js';
import { multiPopCommand } from './_mpop.js';
import { base } from './_shared.js';

export const LMPOP = command(
  {
    ...base,
    name: 'lmpop',
    summary:
      'Removes and returns up to `count` elements from one end of the first non-empty list among the keys.',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of keys and M the number of elements returned.',
    arity: -4,
    flags: ['write', 'movablekeys'],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true },
      {
        name: 'where',
        type: 'oneof',
        arguments: [
          { name: 'left', type: 'pure-token', token: 'LEFT' },
          { name: 'right', type: 'pure-token', token: 'RIGHT' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    reply: {
      resp2: 'Array: the key and an array of the elements popped; a null array when every list is empty.',
      resp3: 'Array: the key and an array of the elements popped; null when every list is empty.',
    },
    errors: ['wrongType', 'numkeysPositive', 'countPositive', 'syntax'],
    example: [
      '> RPUSH b x y z',
      '(integer) 3',
      '> LMPOP 2 a b LEFT COUNT 2',
      '1) "b"',
      '2) 1) "x"',
      '   2) "y"',
    ],
  },
  (c) => multiPopCommand(c, 1),
);
