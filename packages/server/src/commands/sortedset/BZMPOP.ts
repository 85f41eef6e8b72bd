import { command } from '../spec.js';
import { zmpopCommand } from './_pop.js';
import { base } from './_shared.js';

export const BZMPOP = command(
  {
    ...base,
    name: 'bzmpop',
    summary:
      'Removes and returns up to `count` members with the lowest (MIN) or highest (MAX) scores from the first non-empty sorted set among the keys, waiting for one when all are empty.',
    since: '7.0.0',
    complexity:
      'O(K+M*log(N)): K is the number of keys, N the number of members in the set, M the number popped.',
    arity: -5,
    flags: ['write', 'blocking', 'movablekeys'],
    arguments: [
      { name: 'timeout', type: 'double' },
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
        'Array: the key and an array of [member, score] pairs (scores as bulk strings); a null array when the timeout passed (or, inside MULTI/EXEC or a script, at once when every set is empty).',
      resp3:
        'Array: the key and an array of [member, score] pairs (scores as doubles); null when the timeout passed (or, inside MULTI/EXEC or a script, at once when every set is empty).',
    },
    errors: [
      'wrongType',
      'numkeysPositive',
      'countPositive',
      'syntax',
      'timeoutNotFloat',
      'timeoutNegative',
      'unblocked',
    ],
    example: ['> BZMPOP 0.5 1 empty MIN', '(nil)'],
  },
  (c) => zmpopCommand(c, 2),
);
