/**
 * GEORADIUS, GEORADIUSBYMEMBER (and their _RO forms), GEOSEARCH and GEOSEARCHSTORE, as redis-server 7.0's
 * georadiusGeneric runs them all, in its order: the source key (WRONGTYPE first), the centre and radius
 * of the older forms, the options one by one (each error as it is met), the checks between options,
 * then the search.
 *
 * The search reads only the cells that cover its area (_geohash.ts `searchRanges`: up to 9 score
 * ranges, each found in the set's tree in O(log n)), keeps the members inside the circle or the box,
 * then sorts them by distance as redis-server does: its qsort (glibc's: stable) when every result is
 * replied, its pqsort (_pqsort.ts) when COUNT keeps fewer, so that members at equal distances come in
 * the same order.
 */
import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { collectionWritesAllowed, type OpenCollection } from '../_collection.js';
import type { CommandContext } from '../context.js';
import {
  scoreAt,
  scoreRanks,
  storeZsetAndReply,
  treeOf,
  type ZElement,
  zsetAt,
} from '../sortedset/_shared.js';
import { distanceText } from './_format.js';
import { decodeScore, distanceWithin, type GeoShape, searchRanges } from './_geohash.js';
import { pqsort } from './_pqsort.js';
import { boxAt, longLatAt, radiusAt, replyCoordinate, word } from './_shared.js';

/** Which command runs the search. */
export interface SearchKind {
  /** GEORADIUS(_RO): the centre is given as a longitude and a latitude, then a radius. */
  readonly coords?: boolean;
  /** GEORADIUSBYMEMBER(_RO): the centre is a member's position, then a radius. */
  readonly member?: boolean;
  /** The _RO forms: no STORE or STOREDIST. */
  readonly noStore?: boolean;
  /** GEOSEARCH: FROMMEMBER or FROMLONLAT, BYRADIUS or BYBOX. */
  readonly search?: boolean;
  /** GEOSEARCHSTORE: GEOSEARCH's options, the destination at argument 1, STOREDIST. */
  readonly searchStore?: boolean;
}

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

/** A member found in the area. */
interface Point {
  readonly lon: number;
  readonly lat: number;
  /** Meters from the centre, until the reply divides it by the unit. */
  readonly dist: number;
  readonly score: number;
  readonly member: Buffer;
}

/** Ascending distance, as redis-server's sort_gp_asc compares. */
function ascending(a: Point, b: Point): number {
  if (a.dist > b.dist) return 1;
  if (a.dist === b.dist) return 0;
  return -1;
}

const descending = (a: Point, b: Point): number => -ascending(a, b);

/** The position of member argument i of `z` (longLatFromMember), or null when it is not there. */
function memberPosition(c: CommandContext, z: OpenCollection, i: number): [number, number] | null {
  const score = scoreAt(c, z, i);
  return score === undefined ? null : decodeScore(score);
}

export function geoSearch(c: CommandContext, kind: SearchKind): void {
  const a = c.args;
  const srcAt = kind.searchStore ? 2 : 1;
  const z = zsetAt(c, srcAt);
  if (z === undefined) return;

  let storeAt = 0;
  let storeDist = false;
  let baseArgs: number;
  let xy: [number, number] = [0, 0];
  let conversion = 1;
  let radius: number | undefined;
  let box: { width: number; height: number } | undefined;
  if (kind.coords) {
    baseArgs = 6;
    const centre = longLatAt(c, 2);
    if (centre === null) return;
    xy = centre;
    const r = radiusAt(c, 4);
    if (r === null) return;
    ({ radius, conversion } = r);
  } else if (kind.member && z === null) {
    // No source key: the options are still read, for the errors and to know which reply to give.
    baseArgs = 5;
  } else if (kind.member) {
    baseArgs = 5;
    const centre = memberPosition(c, z as OpenCollection, 2);
    if (centre === null) {
      c.out.error(errorReply('geoMember'));
      return;
    }
    xy = centre;
    const r = radiusAt(c, 3);
    if (r === null) return;
    ({ radius, conversion } = r);
  } else {
    baseArgs = 2;
    if (kind.searchStore) {
      baseArgs = 3;
      storeAt = 1;
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoord = false;
  let fromMember = false;
  let fromLonLat = false;
  let byRadius = false;
  let byBox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const search = kind.search === true || kind.searchStore === true;
  const remaining = a.argc - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = word(c, at);
    if (arg === 'withdist') withDist = true;
    else if (arg === 'withhash') withHash = true;
    else if (arg === 'withcoord') withCoord = true;
    else if (arg === 'any') any = true;
    else if (arg === 'asc') sort = SORT_ASC;
    else if (arg === 'desc') sort = SORT_DESC;
    else if (arg === 'count' && i + 1 < remaining) {
      const n = integerArg(c, at + 1);
      if (n === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      if (n <= 0) {
        c.out.error(errorReply('geoCount'));
        return;
      }
      count = n;
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !kind.noStore && !search) {
      storeAt = at + 1;
      storeDist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && kind.searchStore) {
      storeDist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && search && !fromLonLat) {
      // Without a source key there is no member to look up: the search ends empty after the checks.
      if (z !== null) {
        const centre = memberPosition(c, z, at + 1);
        if (centre === null) {
          c.out.error(errorReply('geoMember'));
          return;
        }
        xy = centre;
      }
      fromMember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && search && !fromMember) {
      const centre = longLatAt(c, at + 1);
      if (centre === null) return;
      xy = centre;
      fromLonLat = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && search && !byBox) {
      const r = radiusAt(c, at + 1);
      if (r === null) return;
      ({ radius, conversion } = r);
      byRadius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && search && !byRadius) {
      const b = boxAt(c, at + 1);
      if (b === null) return;
      box = { width: b.width, height: b.height };
      conversion = b.conversion;
      byBox = true;
      i += 3;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }

  if (storeAt !== 0 && (withDist || withHash || withCoord)) {
    c.out.error(
      errorReply('geoStoreWith', kind.searchStore ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'),
    );
    return;
  }
  if (search && !(fromMember || fromLonLat)) {
    c.out.error(errorReply('geoFrom', a.argString(0, 'latin1')));
    return;
  }
  if (search && !(byRadius || byBox)) {
    c.out.error(errorReply('geoBy', a.argString(0, 'latin1')));
    return;
  }
  if (any && count === 0) {
    c.out.error(errorReply('geoAnyWithoutCount'));
    return;
  }
  if (storeAt !== 0 && !collectionWritesAllowed(c)) return;

  if (z === null) {
    if (storeAt !== 0) storeZsetAndReply(c, storeAt, [], storeEvent(kind));
    else c.out.arrayHeader(0);
    return;
  }

  // COUNT means the nearest ones unless ANY says any will do.
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const shape: GeoShape = box === undefined ? { xy, conversion, radius } : { xy, conversion, box };
  const points = pointsIn(c, z, shape, any ? count : 0);
  if (points.length === 0 && storeAt === 0) {
    c.out.arrayHeader(0);
    return;
  }
  const resultLength = points.length;
  const returned = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? ascending : descending;
    // Array.prototype.sort is stable, as glibc's qsort (a merge sort) is.
    if (returned === resultLength) points.sort(cmp);
    else pqsort(points, cmp, 0, returned - 1);
  }

  if (storeAt !== 0) {
    const elements: ZElement[] = [];
    for (let i = 0; i < returned; i++) {
      const p = points[i] as Point;
      elements.push({ score: storeDist ? p.dist / conversion : p.score, member: p.member });
    }
    storeZsetAndReply(c, storeAt, elements, storeEvent(kind));
    return;
  }

  const out = c.out;
  const options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
  out.arrayHeader(returned);
  for (let i = 0; i < returned; i++) {
    const p = points[i] as Point;
    if (options > 0) out.arrayHeader(options + 1);
    out.bulk(p.member);
    if (withDist) out.bulkString(distanceText(p.dist / conversion));
    // The score as a C long long: truncated (a geohash is an integer; a score ZADD wrote may not be).
    if (withHash) out.integer(Math.trunc(p.score));
    if (withCoord) {
      out.arrayHeader(2);
      replyCoordinate(c, p.lon);
      replyCoordinate(c, p.lat);
    }
  }
}

/**
 * The members of `z` inside `shape`, cell by cell (membersOfAllNeighbors): each cell a score range
 * [min, max) of the tree, walked in order; the cells never overlap, so each member is found once. With
 * `limit` (ANY), stops once that many are found.
 */
function pointsIn(c: CommandContext, z: OpenCollection, shape: GeoShape, limit: number): Point[] {
  const tree = treeOf(c, z);
  const points: Point[] = [];
  const full = (): boolean => limit !== 0 && points.length >= limit;
  for (const { min, max } of searchRanges(shape)) {
    if (full()) break;
    const { first, end } = scoreRanks(tree, { min, max, minExclusive: false, maxExclusive: true });
    if (end <= first) continue;
    tree.walk(first, end - first, false, (score, member) => {
      const [lon, lat] = decodeScore(score);
      const dist = distanceWithin(shape, lon, lat);
      if (dist !== null) points.push({ lon, lat, dist, score, member: Buffer.from(member) });
      return !full();
    });
  }
  return points;
}

/** What a stored result is announced as. */
const storeEvent = (kind: SearchKind): string => (kind.searchStore ? 'geosearchstore' : 'georadiusstore');
