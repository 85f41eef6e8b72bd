import { command } from '../spec.js';
import { sortCommand } from './_sort.js';

/** The options SORT and SORT_RO share, as COMMAND DOCS lists them. */
export const SORT_OPTIONS = [
  { name: 'pattern', type: 'pattern', token: 'BY', optional: true },
  {
    name: 'limit',
    type: 'block',
    token: 'LIMIT',
    optional: true,
    arguments: [
      { name: 'offset', type: 'integer' },
      { name: 'count', type: 'integer' },
    ],
  },
  { name: 'pattern', type: 'pattern', token: 'GET', optional: true, multiple: true },
  {
    name: 'order',
    type: 'oneof',
    optional: true,
    arguments: [
      { name: 'asc', type: 'pure-token', token: 'ASC' },
      { name: 'desc', type: 'pure-token', token: 'DESC' },
    ],
  },
  { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true },
] as const;

export const SORT = command(
  {
    name: 'sort',
    group: 'generic',
    summary:
      'Sorts the elements of a list, a set or a sorted set (numerically, or as strings with ALPHA), possibly by weights or values read from other keys, and replies them or stores them as a list.',
    since: '1.0.0',
    complexity:
      'O(N + M log M) where N is the number of elements of the list or set and M the number of elements sorted; O(N) when nothing is sorted (BY a pattern without `*`), or for a sorted set O(log N) plus the elements of the LIMIT range. Each BY or GET pattern adds a key read per element.',
    arity: -2,
    flags: ['write', 'denyoom', 'movablekeys'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      ...SORT_OPTIONS,
      { name: 'destination', type: 'key', token: 'STORE', optional: true },
    ],
    reply: {
      resp2:
        'Array of bulk strings: the sorted elements (or, with GET, the values each pattern names for each element, a null bulk string where there is none); with STORE, an integer: the number of elements stored.',
      resp3:
        'Array of bulk strings: the sorted elements (or, with GET, the values each pattern names for each element, null where there is none); with STORE, an integer: the number of elements stored.',
    },
    errors: ['syntax', 'notInteger', 'wrongType', 'sortNotDouble', 'sortByInCluster', 'sortGetInCluster'],
    example: [
      '> RPUSH ids 3 1 2',
      '(integer) 3',
      '> MSET w_1 30 w_2 10 w_3 20',
      'OK',
      '> SORT ids BY w_* GET # GET w_*',
      '1) "2"',
      '2) "10"',
      '3) "3"',
      '4) "20"',
      '5) "1"',
      '6) "30"',
      '> SORT ids DESC LIMIT 0 2 STORE top',
      '(integer) 2',
    ],
  },
  (c) => sortCommand(c, false),
);
