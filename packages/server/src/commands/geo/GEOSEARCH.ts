import { command } from '../spec.js';
import { COUNT, FROM_AND_BY, ORDER, SEARCH_ERRORS, SEARCH_REPLY, WITH_OPTIONS } from './_options.js';
import { geoSearch } from './_search.js';
import { oneKey } from './_shared.js';

export const GEOSEARCH = command(
  {
    ...oneKey,
    name: 'geosearch',
    summary:
      "Returns the members of a geo set within a circle (BYRADIUS) or a box (BYBOX) around a position (FROMLONLAT) or one of its members' position (FROMMEMBER).",
    since: '6.2.0',
    complexity:
      'O(N+log(M)): N is the number of members in the cells around the area (about the size of the area), M the number of members in the set.',
    arity: -7,
    flags: ['readonly'],
    arguments: [{ name: 'key', type: 'key' }, ...FROM_AND_BY, ORDER, COUNT, ...WITH_OPTIONS],
    reply: SEARCH_REPLY,
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
    ],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEOSEARCH sicily FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHDIST',
      '1) 1) "Catania"',
      '   2) "56.4413"',
      '2) 1) "Palermo"',
      '   2) "190.4424"',
    ],
  },
  (c) => geoSearch(c, { search: true }),
);
