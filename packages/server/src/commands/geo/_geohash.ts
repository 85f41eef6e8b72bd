/**
 * The geohash arithmetic of redis-server 7.0 (geohash.c, geohash_helper.c), redone step for step in IEEE
 * doubles so that every score, coordinate and distance comes out bit for bit as redis-server's:
 *
 * - A position is stored as a sorted-set score: its latitude and longitude, each cut into 2^26 cells over
 *   [-85.05112878, 85.05112878] and [-180, 180], with the two cell numbers' bits interleaved (latitude in
 *   the even bits, longitude in the odd ones): a 52-bit integer.
 * - A score is read back as the centre of its cell, whatever the score is (a score a client wrote with
 *   ZADD is truncated to a 64-bit integer as C's `(uint64_t)` cast does on x86-64, and the centre clamped
 *   into the ranges).
 * - A search covers its area with the cell that holds its centre and that cell's 8 neighbours, all at the
 *   precision (`step`) where a cell is about the size of the search: each cell is a range of scores.
 *
 * Distances are haversine's on a sphere of radius 6372797.560856 m (the shortcut for points on one
 * meridian included). Math.sin, Math.cos and Math.asin are V8's (fdlibm's), redis-server's are glibc's:
 * both are within an ulp, so a distance may differ in its last bit, far below the 4 decimals printed.
 */

export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** Bits per coordinate in a stored score. */
export const GEO_STEP_MAX = 26;

/** Earth's quadratic mean radius for WGS-84, as redis-server takes it. */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
/** Half the Earth's circumference at the equator in the Mercator projection. */
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

const TWO_32 = 2 ** 32;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** A cell: `step` bits per coordinate, interleaved into `bits` (a 64-bit unsigned integer). */
export interface GeoHashBits {
  readonly bits: bigint;
  readonly step: number;
}

interface Range {
  readonly min: number;
  readonly max: number;
}

interface Area {
  readonly longitude: Range;
  readonly latitude: Range;
}

const LONG_RANGE: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** A 16-bit value's bits spread to the even bits of a 32-bit word. */
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

/** The even bits of a 32-bit word, gathered into 16 bits. */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** geohash.c's interleave64: x (latitude) in the even bits, y (longitude) in the odd bits. */
function interleave64(x: number, y: number): bigint {
  const lo = (spread16(x & 0xffff) | (spread16(y & 0xffff) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** geohash.c's deinterleave64 of the 64-bit integer `hi`·2^32 + `lo`: [latitude's bits, longitude's]. */
function deinterleave(hi: number, lo: number): [number, number] {
  const lat = ((compact16(hi) << 16) | compact16(lo)) >>> 0;
  const lon = ((compact16(hi >>> 1) << 16) | compact16(lo >>> 1)) >>> 0;
  return [lat, lon];
}

/**
 * geohashEncode: the cell of (longitude, latitude) at `step` bits per coordinate over the given ranges,
 * or null outside redis-server's limits. A coordinate exactly at a range's maximum gets cell 2^step, one
 * past the last, as in C.
 */
function encode(
  longRange: Range,
  latRange: Range,
  longitude: number,
  latitude: number,
  step: number,
): GeoHashBits | null {
  if (
    longitude > GEO_LONG_MAX ||
    longitude < GEO_LONG_MIN ||
    latitude > GEO_LAT_MAX ||
    latitude < GEO_LAT_MIN
  ) {
    return null;
  }
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  // C converts the offsets to uint32_t: truncation.
  return { bits: interleave64(Math.trunc(latOffset), Math.trunc(longOffset)), step };
}

/** geohashDecode: the cell's bounds (no clamping). */
function decodeArea(longRange: Range, latRange: Range, hash: GeoHashBits): Area {
  const lo = Number(hash.bits & 0xffffffffn);
  const hi = Number(hash.bits >> 32n);
  return areaOf(longRange, latRange, hi, lo, hash.step);
}

function areaOf(longRange: Range, latRange: Range, hi: number, lo: number, step: number): Area {
  const [ilato, ilono] = deinterleave(hi, lo);
  const cells = 2 ** step;
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  // `ilato + 1` is uint32_t arithmetic in C: it wraps.
  return {
    latitude: {
      min: latRange.min + (ilato / cells) * latScale,
      max: latRange.min + (((ilato + 1) >>> 0) / cells) * latScale,
    },
    longitude: {
      min: longRange.min + (ilono / cells) * longScale,
      max: longRange.min + (((ilono + 1) >>> 0) / cells) * longScale,
    },
  };
}

/** A score as C's `(uint64_t)` cast makes it on x86-64: [high 32 bits, low 32 bits]. */
function scoreWords(score: number): [number, number] {
  // 2^64 and above (infinity included): the conversion overflows, and its fix-up gives 0.
  if (!(score < TWO_64)) return [0, 0];
  // -2^63 and below (-infinity included): the "integer indefinite" value, 2^63.
  if (score <= -TWO_63) return [0x80000000, 0];
  // Truncated toward zero, negative values in two's complement: >>> 0 takes an integer modulo 2^32.
  const t = Math.trunc(score);
  return [Math.floor(t / TWO_32) >>> 0, t >>> 0];
}

/**
 * The position a score stands for (redis-server's decodeGeohash): the centre of its 52-bit cell,
 * clamped into the coordinate limits. [longitude, latitude].
 */
export function decodeScore(score: number): [number, number] {
  const [hi, lo] = scoreWords(score);
  const area = areaOf(LONG_RANGE, LAT_RANGE, hi, lo, GEO_STEP_MAX);
  let lon = (area.longitude.min + area.longitude.max) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (area.latitude.min + area.latitude.max) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

/** Whether (longitude, latitude) is within the limits GEOADD and the searches accept. */
export function validLongLat(longitude: number, latitude: number): boolean {
  return !(
    longitude < GEO_LONG_MIN ||
    longitude > GEO_LONG_MAX ||
    latitude < GEO_LAT_MIN ||
    latitude > GEO_LAT_MAX
  );
}

/**
 * The score GEOADD gives (longitude, latitude), which must be within the limits: the 52-bit cell as an
 * integer, rounded to a double (redis-server prints it in decimal and ZADD reads it back with strtod).
 */
export function encodeScore(longitude: number, latitude: number): number {
  const hash = encode(LONG_RANGE, LAT_RANGE, longitude, latitude, GEO_STEP_MAX);
  return hash === null ? 0 : Number(hash.bits);
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's 11 characters for a score: the decoded position encoded again over the standard ranges
 * ([-180, 180] and [-90, 90]), 10 characters of 5 bits from its 52 bits, then '0' (the 11th character
 * would need bits the score does not have).
 */
export function geohashString(score: number): string {
  const [lon, lat] = decodeScore(score);
  const hash = encode({ min: -180, max: 180 }, { min: -90, max: 90 }, lon, lat, GEO_STEP_MAX);
  const bits = hash === null ? 0n : hash.bits;
  let out = '';
  for (let i = 0; i < 10; i++) out += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return `${out}0`;
}

/** The distance in meters between two points on one meridian (geohashGetLatDistance). */
function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** The great-circle distance in meters between two points (geohashGetDistance: haversine). */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  // On one meridian the formula reduces to the difference of latitudes.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** A search area: a circle or an axis-aligned box around a centre, its sizes in `unit`s. */
export interface GeoShape {
  /** [longitude, latitude] of the centre. */
  readonly xy: readonly [number, number];
  /** Meters per unit of the sizes. */
  readonly conversion: number;
  readonly radius?: number;
  readonly box?: { readonly width: number; readonly height: number };
}

/**
 * Whether the point (lon, lat) is in `shape`, and then its distance in meters from the centre
 * (geoWithinShape); null when it is outside.
 */
export function distanceWithin(shape: GeoShape, lon: number, lat: number): number | null {
  const [x1, y1] = shape.xy;
  if (shape.box === undefined) {
    const d = distance(x1, y1, lon, lat);
    return d > (shape.radius as number) * shape.conversion ? null : d;
  }
  const widthM = shape.box.width * shape.conversion;
  const heightM = shape.box.height * shape.conversion;
  // The latitude distance is the cheaper one: checked first, as redis-server does.
  if (latDistance(lat, y1) > heightM / 2) return null;
  if (distance(lon, lat, x1, lat) > widthM / 2) return null;
  return distance(x1, y1, lon, lat);
}

/** The precision (bits per coordinate) at which a cell is about as large as the search. */
function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  // Meridians come closer towards the poles: wider cells there.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [min longitude, min latitude, max longitude, max latitude] of the search. */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const [longitude, latitude] = shape.xy;
  const box = shape.box;
  const height = shape.conversion * (box === undefined ? (shape.radius as number) : box.height / 2);
  const width = shape.conversion * (box === undefined ? (shape.radius as number) : box.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  // The edge nearer the pole is the wider one: the top in the north, the bottom in the south.
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

const ODD = 0xaaaaaaaaaaaaaaaan;
const EVEN = 0x5555555555555555n;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);

/** geohash_move_x: the cell `d` (±1) columns east, wrapping around. */
function moveX(hash: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return hash;
  let x = hash.bits & ODD;
  const y = hash.bits & EVEN;
  const shift = BigInt(64 - hash.step * 2);
  const zz = EVEN >> shift;
  if (d > 0) x = u64(x + (zz + 1n));
  else {
    x |= zz;
    x = u64(x - (zz + 1n));
  }
  x &= ODD >> shift;
  return { bits: x | y, step: hash.step };
}

/** geohash_move_y: the cell `d` (±1) rows north, wrapping around. */
function moveY(hash: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return hash;
  const x = hash.bits & ODD;
  let y = hash.bits & EVEN;
  const shift = BigInt(64 - hash.step * 2);
  const zz = ODD >> shift;
  if (d > 0) y = u64(y + (zz + 1n));
  else {
    y |= zz;
    y = u64(y - (zz + 1n));
  }
  y &= EVEN >> shift;
  return { bits: x | y, step: hash.step };
}

const move = (hash: GeoHashBits, dx: number, dy: number): GeoHashBits => moveY(moveX(hash, dx), dy);

const ZERO: GeoHashBits = { bits: 0n, step: 0 };
const isZero = (h: GeoHashBits): boolean => h.bits === 0n && h.step === 0;

/**
 * The cells a search reads, in redis-server's order (geohashCalculateAreasByShapeWGS84 and
 * membersOfAllNeighbors): the centre's cell, then north, south, east, west, north-east, north-west,
 * south-east, south-west; neighbours the search cannot reach are left out, and so is a neighbour equal to
 * the last cell read (large areas, where neighbours wrap onto each other). Each as a score range
 * [min, max).
 */
export function searchRanges(shape: GeoShape): { min: number; max: number }[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const [longitude, latitude] = shape.xy;
  const box = shape.box;
  let radiusMeters =
    box === undefined
      ? (shape.radius as number)
      : Math.sqrt((box.width / 2) * (box.width / 2) + (box.height / 2) * (box.height / 2));
  radiusMeters *= shape.conversion;

  let steps = estimateStepsByRadius(radiusMeters, latitude);
  let hash = encode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps) as GeoHashBits;
  let area = decodeArea(LONG_RANGE, LAT_RANGE, hash);

  // A step too fine for the area near an edge of the centre cell: one coarser.
  const north = decodeArea(LONG_RANGE, LAT_RANGE, move(hash, 0, 1));
  const south = decodeArea(LONG_RANGE, LAT_RANGE, move(hash, 0, -1));
  const east = decodeArea(LONG_RANGE, LAT_RANGE, move(hash, 1, 0));
  const west = decodeArea(LONG_RANGE, LAT_RANGE, move(hash, -1, 0));
  const decrease =
    north.latitude.max < maxLat ||
    south.latitude.min > minLat ||
    east.longitude.max < maxLon ||
    west.longitude.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps) as GeoHashBits;
    area = decodeArea(LONG_RANGE, LAT_RANGE, hash);
  }

  // [centre, N, S, E, W, NE, NW, SE, SW]
  const cells: GeoHashBits[] = [
    hash,
    move(hash, 0, 1),
    move(hash, 0, -1),
    move(hash, 1, 0),
    move(hash, -1, 0),
    move(hash, 1, 1),
    move(hash, -1, 1),
    move(hash, 1, -1),
    move(hash, -1, -1),
  ];
  if (steps >= 2) {
    const drop = (...at: number[]): void => {
      for (const i of at) cells[i] = ZERO;
    };
    if (area.latitude.min < minLat) drop(2, 8, 7);
    if (area.latitude.max > maxLat) drop(1, 5, 6);
    if (area.longitude.min < minLon) drop(4, 8, 6);
    if (area.longitude.max > maxLon) drop(3, 7, 5);
  }

  const ranges: { min: number; max: number }[] = [];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as GeoHashBits;
    if (isZero(cell)) continue;
    // "The same as the last one read" is only checked once a neighbour was read (as in C).
    const prev = cells[last] as GeoHashBits;
    if (last !== 0 && cell.bits === prev.bits && cell.step === prev.step) continue;
    const shift = BigInt(52 - cell.step * 2);
    ranges.push({ min: Number(u64(cell.bits << shift)), max: Number(u64(u64(cell.bits + 1n) << shift)) });
    last = i;
  }
  return ranges;
}
