/** The arguments the search commands share, as COMMAND DOCS lists them. */
import type { ArgSpec } from '../spec.js';

export const UNIT: ArgSpec = {
  name: 'unit',
  type: 'oneof',
  arguments: [
    { name: 'm', type: 'pure-token', token: 'M' },
    { name: 'km', type: 'pure-token', token: 'KM' },
    { name: 'ft', type: 'pure-token', token: 'FT' },
    { name: 'mi', type: 'pure-token', token: 'MI' },
  ],
};

export const WITH_OPTIONS: readonly ArgSpec[] = [
  { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
  { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
  { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
];

export const COUNT: ArgSpec = {
  name: 'count-block',
  type: 'block',
  optional: true,
  arguments: [
    { name: 'count', type: 'integer', token: 'COUNT' },
    { name: 'any', type: 'pure-token', token: 'ANY', optional: true },
  ],
};

export const ORDER: ArgSpec = {
  name: 'order',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'asc', type: 'pure-token', token: 'ASC' },
    { name: 'desc', type: 'pure-token', token: 'DESC' },
  ],
};

export const STORE: ArgSpec = {
  name: 'store',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'storekey', type: 'key', token: 'STORE' },
    { name: 'storedistkey', type: 'key', token: 'STOREDIST' },
  ],
};

/** GEOSEARCH's centre and area. */
export const FROM_AND_BY: readonly ArgSpec[] = [
  {
    name: 'from',
    type: 'oneof',
    arguments: [
      { name: 'member', type: 'string', token: 'FROMMEMBER' },
      {
        name: 'fromlonlat',
        type: 'block',
        token: 'FROMLONLAT',
        arguments: [
          { name: 'longitude', type: 'double' },
          { name: 'latitude', type: 'double' },
        ],
      },
    ],
  },
  {
    name: 'by',
    type: 'oneof',
    arguments: [
      {
        name: 'circle',
        type: 'block',
        arguments: [{ name: 'radius', type: 'double', token: 'BYRADIUS' }, UNIT],
      },
      {
        name: 'box',
        type: 'block',
        arguments: [
          { name: 'width', type: 'double', token: 'BYBOX' },
          { name: 'height', type: 'double' },
          UNIT,
        ],
      },
    ],
  },
];

/** The errors every search command can give. */
export const SEARCH_ERRORS = [
  'wrongType',
  'syntax',
  'notInteger',
  'geoUnit',
  'geoRadiusNotNumeric',
  'geoRadiusNegative',
  'geoCount',
  'geoAnyWithoutCount',
] as const;

export const SEARCH_REPLY = {
  resp2:
    'Array: the members found (bulk strings); with WITHDIST, WITHHASH or WITHCOORD, per member an array of the member, then its distance (a bulk string with 4 decimals, in the unit given), its geohash (an integer), its position (an array of two bulk strings), in that order.',
  resp3:
    'Array: the members found (bulk strings); with WITHDIST, WITHHASH or WITHCOORD, per member an array of the member, then its distance (a bulk string with 4 decimals, in the unit given), its geohash (an integer), its position (an array of two doubles), in that order.',
} as const;
