import { command } from '../spec.js';
import { COUNT, FROM_AND_BY, ORDER, SEARCH_ERRORS } from './_options.js';
import { geoSearch } from './_search.js';
import { base } from './_shared.js';

export const GEOSEARCHSTORE = command(
  {
    ...base,
    name: 'geosearchstore',
    summary:
      'Stores the members of a geo set found as GEOSEARCH finds them as a sorted set under the destination key, with their geohashes as scores (STOREDIST: their distances), replacing what it held.',
    since: '6.2.0',
    complexity:
      'O(N+log(M)): N is the number of members in the cells around the area (about the size of the area), M the number of members in the set.',
    arity: -8,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 2, step: 1 },
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'source', type: 'key' },
      ...FROM_AND_BY,
      ORDER,
      COUNT,
      { name: 'storedist', type: 'pure-token', token: 'STOREDIST', optional: true },
    ],
    reply: {
      resp2: 'Integer: the number of members stored (0: the destination was deleted).',
      resp3: 'Integer: the number of members stored (0: the destination was deleted).',
    },
    errors: [
      ...SEARCH_ERRORS,
      'notFloat',
      'geoLongLat',
      'geoMember',
      'geoWidthNotNumeric',
      'geoHeightNotNumeric',
      'geoBoxNegative',
      'geoFrom',
      'geoBy',
      'geoStoreWith',
    ],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEOSEARCHSTORE near sicily FROMLONLAT 15 37 BYRADIUS 100 km STOREDIST',
      '(integer) 1',
      '> ZRANGE near 0 -1 WITHSCORES',
      '1) "Catania"',
      '2) "56.441257870158204"',
    ],
  },
  (c) => geoSearch(c, { searchStore: true }),
);
