import { command } from '../spec.js';
import { COUNT, ORDER, SEARCH_ERRORS, SEARCH_REPLY, UNIT, WITH_OPTIONS } from './_options.js';
import { geoSearch } from './_search.js';
import { oneKey } from './_shared.js';

export const GEORADIUSBYMEMBER_RO = command(
  {
    ...oneKey,
    name: 'georadiusbymember_ro',
    summary:
      "GEORADIUSBYMEMBER without STORE and STOREDIST: returns the members of a geo set within a radius of one of its members' position.",
    since: '3.2.10',
    complexity:
      'O(N+log(M)): N is the number of members in the cells around the area (about the size of the area), M the number of members in the set.',
    arity: -5,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string' },
      { name: 'radius', type: 'double' },
      UNIT,
      ...WITH_OPTIONS,
      COUNT,
      ORDER,
    ],
    reply: SEARCH_REPLY,
    errors: [...SEARCH_ERRORS, 'geoMember'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEORADIUSBYMEMBER_RO sicily Catania 100 km WITHDIST',
      '1) 1) "Catania"',
      '   2) "0.0000"',
    ],
  },
  (c) => geoSearch(c, { member: true, noStore: true }),
);
