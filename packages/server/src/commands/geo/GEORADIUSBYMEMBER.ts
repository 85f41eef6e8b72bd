import { command } from '../spec.js';
import { COUNT, ORDER, SEARCH_ERRORS, SEARCH_REPLY, STORE, UNIT, WITH_OPTIONS } from './_options.js';
import { geoSearch } from './_search.js';
import { oneKey } from './_shared.js';

export const GEORADIUSBYMEMBER = command(
  {
    ...oneKey,
    name: 'georadiusbymember',
    summary:
      "Returns the members of a geo set within a radius of one of its members' position, or stores them (STORE: with their geohashes, STOREDIST: with their distances) as a sorted set.",
    since: '3.2.0',
    complexity:
      'O(N+log(M)): N is the number of members in the cells around the area (about the size of the area), M the number of members in the set.',
    arity: -5,
    flags: ['write', 'denyoom', 'movablekeys'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string' },
      { name: 'radius', type: 'double' },
      UNIT,
      ...WITH_OPTIONS,
      COUNT,
      ORDER,
      STORE,
    ],
    reply: {
      resp2: `${SEARCH_REPLY.resp2} With STORE or STOREDIST, an integer: the number of members stored.`,
      resp3: `${SEARCH_REPLY.resp3} With STORE or STOREDIST, an integer: the number of members stored.`,
    },
    errors: [...SEARCH_ERRORS, 'geoMember', 'geoStoreWith'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEORADIUSBYMEMBER sicily Palermo 200 km',
      '1) "Palermo"',
      '2) "Catania"',
    ],
  },
  (c) => geoSearch(c, { member: true }),
);
