import { errorReply } from '../../errors.js';
import { scoreAt, zsetAt } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { distanceText } from './_format.js';
import { decodeScore, distance } from './_geohash.js';
import { oneKey, unitAt } from './_shared.js';

export const GEODIST = command(
  {
    ...oneKey,
    name: 'geodist',
    summary: 'Returns the distance between two members of a geo set, in meters or in the unit given.',
    since: '3.2.0',
    complexity: 'O(1)',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member1', type: 'string' },
      { name: 'member2', type: 'string' },
      {
        name: 'unit',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'm', type: 'pure-token', token: 'M' },
          { name: 'km', type: 'pure-token', token: 'KM' },
          { name: 'ft', type: 'pure-token', token: 'FT' },
          { name: 'mi', type: 'pure-token', token: 'MI' },
        ],
      },
    ],
    reply: {
      resp2:
        'Bulk string: the distance with 4 decimals, or a null bulk string when the key or either member does not exist.',
      resp3:
        'Bulk string: the distance with 4 decimals, or null when the key or either member does not exist.',
    },
    errors: ['wrongType', 'syntax', 'geoUnit'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEODIST sicily Palermo Catania km',
      '"166.2742"',
    ],
  },
  (c) => {
    const a = c.args;
    let toMeters = 1;
    // The unit is read before the key.
    if (a.argc === 5) {
      const unit = unitAt(c, 4);
      if (unit === null) return;
      toMeters = unit;
    } else if (a.argc > 5) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    const score1 = z === null ? undefined : scoreAt(c, z, 2);
    const score2 = z === null || score1 === undefined ? undefined : scoreAt(c, z, 3);
    if (score1 === undefined || score2 === undefined) {
      c.out.nullBulk();
      return;
    }
    const [lon1, lat1] = decodeScore(score1);
    const [lon2, lat2] = decodeScore(score2);
    c.out.bulkString(distanceText(distance(lon1, lat1, lon2, lat2) / toMeters));
  },
);
