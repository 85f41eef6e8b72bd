import { scoreAt, zsetAt } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { decodeScore } from './_geohash.js';
import { oneKey, replyCoordinate } from './_shared.js';

export const GEOPOS = command(
  {
    ...oneKey,
    name: 'geopos',
    summary: 'Returns the positions (longitude, latitude) of members of a geo set.',
    since: '3.2.0',
    complexity: 'O(1) for each member asked for.',
    arity: -2,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', optional: true, multiple: true },
    ],
    reply: {
      resp2:
        'Array: per member, an array of its longitude and latitude (bulk strings, the centre of the cell its geohash names, up to 17 decimals), or a null array when it is not in the set.',
      resp3:
        'Array: per member, an array of its longitude and latitude (doubles, the centre of the cell its geohash names, up to 17 decimals), or null when it is not in the set.',
    },
    errors: ['wrongType'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo',
      '(integer) 1',
      '> GEOPOS sicily Palermo Rome',
      '1) 1) "13.36138933897018433"',
      '   2) "38.11555639549629859"',
      '2) (nil)',
    ],
  },
  (c) => {
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    const a = c.args;
    c.out.arrayHeader(a.argc - 2);
    for (let i = 2; i < a.argc; i++) {
      const score = z === null ? undefined : scoreAt(c, z, i);
      if (score === undefined) {
        c.out.nullArray();
        continue;
      }
      const [lon, lat] = decodeScore(score);
      c.out.arrayHeader(2);
      replyCoordinate(c, lon);
      replyCoordinate(c, lat);
    }
  },
);
