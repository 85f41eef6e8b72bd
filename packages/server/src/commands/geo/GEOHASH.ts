import { scoreAt, zsetAt } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { geohashString } from './_geohash.js';
import { oneKey } from './_shared.js';

export const GEOHASH = command(
  {
    ...oneKey,
    name: 'geohash',
    summary: 'Returns the standard 11-character geohash strings of members of a geo set.',
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
        "Array: per member, its geohash (a bulk string of 11 characters, the last always '0'), or a null bulk string when it is not in the set.",
      resp3:
        "Array: per member, its geohash (a bulk string of 11 characters, the last always '0'), or null when it is not in the set.",
    },
    errors: ['wrongType'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo',
      '(integer) 1',
      '> GEOHASH sicily Palermo',
      '1) "sqc8b49rny0"',
    ],
  },
  (c) => {
    const z = zsetAt(c, 1);
    if (z === undefined) return;
    const a = c.args;
    c.out.arrayHeader(a.argc - 2);
    for (let i = 2; i < a.argc; i++) {
      const score = z === null ? undefined : scoreAt(c, z, i);
      if (score === undefined) c.out.nullBulk();
      else c.out.bulkString(geohashString(score));
    }
  },
);
