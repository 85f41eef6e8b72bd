import { command } from '../spec.js';
import { COUNT, ORDER, SEARCH_ERRORS, SEARCH_REPLY, UNIT, WITH_OPTIONS } from './_options.js';
import { geoSearch } from './_search.js';
import { oneKey } from './_shared.js';

export const GEORADIUS_RO = command(
  {
    ...oneKey,
    name: 'georadius_ro',
    summary:
      'GEORADIUS without STORE and STOREDIST: returns the members of a geo set within a radius of a position.',
    since: '3.2.10',
    complexity:
      'O(N+log(M)): N is the number of members in the cells around the area (about the size of the area), M the number of members in the set.',
    arity: -6,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'longitude', type: 'double' },
      { name: 'latitude', type: 'double' },
      { name: 'radius', type: 'double' },
      UNIT,
      ...WITH_OPTIONS,
      COUNT,
      ORDER,
    ],
    reply: SEARCH_REPLY,
    errors: [...SEARCH_ERRORS, 'notFloat', 'geoLongLat'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEORADIUS_RO sicily 15 37 100 km',
      '1) "Catania"',
    ],
  },
  (c) => geoSearch(c, { coords: true, noStore: true }),
);
