import { errorReply } from '../../errors.js';
import { NOTIFY_ZSET, notify } from '../_notify.js';
import { saveZset, scoreAt, setScore, zsetForWrite } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { encodeScore } from './_geohash.js';
import { longLatAt, oneKey, word } from './_shared.js';

export const GEOADD = command(
  {
    ...oneKey,
    name: 'geoadd',
    summary:
      'Adds members with their positions (longitude, latitude) to a geo set, a sorted set whose scores are geohashes, or moves them; creates the set when missing.',
    since: '3.2.0',
    complexity: 'O(log(N)) for each member added or moved, where N is the number of members in the set.',
    arity: -5,
    flags: ['write', 'denyoom'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true },
      {
        name: 'data',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'longitude', type: 'double' },
          { name: 'latitude', type: 'double' },
          { name: 'member', type: 'string' },
        ],
      },
    ],
    reply: {
      resp2: 'Integer: the number of members added (with CH: added or moved).',
      resp3: 'Integer: the number of members added (with CH: added or moved).',
    },
    errors: ['wrongType', 'syntax', 'notFloat', 'geoLongLat'],
    example: [
      '> GEOADD sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania',
      '(integer) 2',
      '> GEOADD sicily CH 13.361389 38.115556 Palermo 15.1 37.5 Catania',
      '(integer) 1',
    ],
  },
  (c) => {
    const a = c.args;
    let nx = false;
    let xx = false;
    let ch = false;
    // Options, then longitude, latitude and member triples; redis-server hands the scores to ZADD.
    let i = 2;
    for (; i < a.argc; i++) {
      const option = word(c, i);
      if (option === 'nx') nx = true;
      else if (option === 'xx') xx = true;
      else if (option === 'ch') ch = true;
      else break;
    }
    if ((a.argc - i) % 3 !== 0 || (nx && xx)) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const scores: number[] = [];
    for (let j = i; j < a.argc; j += 3) {
      const xy = longLatAt(c, j);
      if (xy === null) return;
      scores.push(encodeScore(xy[0], xy[1]));
    }
    // ZADD refuses to add nothing.
    if (scores.length === 0) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const z = zsetForWrite(c, 1);
    if (z === undefined) return;
    let added = 0;
    let moved = 0;
    if (!(xx && z.created)) {
      for (let j = i + 2, k = 0; j < a.argc; j += 3, k++) {
        const score = scores[k] as number;
        const old = z.count === 0 ? undefined : scoreAt(c, z, j);
        if (old === undefined) {
          if (xx) continue;
          setScore(c, z, a.argCopy(j), score, undefined);
          added++;
        } else if (!nx && score !== old) {
          setScore(c, z, a.argCopy(j), score, old);
          moved++;
        }
      }
      saveZset(c, 1, z);
    }
    c.out.integer(ch ? added + moved : added);
    // GEOADD runs as ZADD in redis-server: so is it announced.
    if (added > 0 || moved > 0) notify(c, NOTIFY_ZSET, 'zadd', 1);
  },
);
