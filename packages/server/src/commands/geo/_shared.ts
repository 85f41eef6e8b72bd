/**
 * What the geo commands share, as redis-server 7.0's geo.c shares it: a geo set is a sorted set whose
 * scores are 52-bit geohashes (_geohash.ts), so the geo commands open, read and write sorted sets with
 * the sorted-set family's helpers; here are how they read their arguments (coordinates, distances and
 * units, as geo.c's extract…OrReply functions do) and print positions.
 */
import { errorReply } from '../../errors.js';
import { cText, doubleValue } from '../_double.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from '../spec.js';
import { cFixed, humanCoordinate } from './_format.js';
import { validLongLat } from './_geohash.js';

/** What every geo command's spec shares. */
export const base = { group: 'geo' } as const satisfies Partial<CommandSpec>;
/** The spec of a geo command whose only key is argument 1. */
export const oneKey = {
  group: 'geo',
  keys: { first: 1, last: 1, step: 1 },
} as const satisfies Partial<CommandSpec>;

/** Argument i as strcasecmp sees it: up to its first NUL byte, lowercase. */
export function word(c: CommandContext, i: number): string {
  return cText(c.args.arg(i)).toLowerCase();
}

/**
 * Arguments i and i + 1 as a longitude and a latitude (extractLongLatOrReply), or null once the error
 * is replied: `value is not a valid float`, or the pair outside the limits.
 */
export function longLatAt(c: CommandContext, i: number): [number, number] | null {
  const lon = doubleValue(c.args.arg(i));
  const lat = lon === null ? null : doubleValue(c.args.arg(i + 1));
  if (lon === null || lat === null) {
    c.out.error(errorReply('notFloat'));
    return null;
  }
  if (!validLongLat(lon, lat)) {
    c.out.error(errorReply('geoLongLat', cFixed(lon, 6), cFixed(lat, 6)));
    return null;
  }
  return [lon, lat];
}

/** Meters per unit: m, km, ft or mi in any case (extractUnitOrReply); null once the error is replied. */
export function unitAt(c: CommandContext, i: number): number | null {
  switch (word(c, i)) {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
    default:
      c.out.error(errorReply('geoUnit'));
      return null;
  }
}

/** Arguments i (a radius) and i + 1 (its unit), or null once the error is replied. */
export function radiusAt(c: CommandContext, i: number): { radius: number; conversion: number } | null {
  const radius = doubleValue(c.args.arg(i));
  if (radius === null) {
    c.out.error(errorReply('geoRadiusNotNumeric'));
    return null;
  }
  if (radius < 0) {
    c.out.error(errorReply('geoRadiusNegative'));
    return null;
  }
  const conversion = unitAt(c, i + 1);
  return conversion === null ? null : { radius, conversion };
}

/** Arguments i (width), i + 1 (height) and i + 2 (their unit), or null once the error is replied. */
export function boxAt(
  c: CommandContext,
  i: number,
): { width: number; height: number; conversion: number } | null {
  const width = doubleValue(c.args.arg(i));
  if (width === null) {
    c.out.error(errorReply('geoWidthNotNumeric'));
    return null;
  }
  const height = doubleValue(c.args.arg(i + 1));
  if (height === null) {
    c.out.error(errorReply('geoHeightNotNumeric'));
    return null;
  }
  if (height < 0 || width < 0) {
    c.out.error(errorReply('geoBoxNegative'));
    return null;
  }
  const conversion = unitAt(c, i + 2);
  return conversion === null ? null : { width, height, conversion };
}

/** A coordinate reply, as addReplyHumanLongDouble writes it: a bulk string in RESP2, a double in RESP3. */
export function replyCoordinate(c: CommandContext, x: number): void {
  c.out.double(x, humanCoordinate(x));
}
