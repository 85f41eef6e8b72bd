import { command } from '../spec.js';
import { sortCommand } from './_sort.js';
import { SORT_OPTIONS } from './SORT.js';

export const SORT_RO = command(
  {
    name: 'sort_ro',
    group: 'generic',
    summary: 'SORT without STORE, flagged read-only: read-only scripts (EVAL_RO, FCALL_RO) may call it.',
    since: '7.0.0',
    complexity:
      'O(N + M log M) where N is the number of elements of the list or set and M the number of elements sorted; O(N) when nothing is sorted (BY a pattern without `*`), or for a sorted set O(log N) plus the elements of the LIMIT range. Each BY or GET pattern adds a key read per element.',
    arity: -2,
    flags: ['readonly', 'movablekeys'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }, ...SORT_OPTIONS],
    reply: {
      resp2:
        'Array of bulk strings: the sorted elements (or, with GET, the values each pattern names for each element, a null bulk string where there is none).',
      resp3:
        'Array of bulk strings: the sorted elements (or, with GET, the values each pattern names for each element, null where there is none).',
    },
    errors: ['syntax', 'notInteger', 'wrongType', 'sortNotDouble'],
    example: ['> SADD tags b c a', '(integer) 3', '> SORT_RO tags ALPHA DESC LIMIT 0 2', '1) "c"', '2) "b"'],
  },
  (c) => sortCommand(c, true),
);
