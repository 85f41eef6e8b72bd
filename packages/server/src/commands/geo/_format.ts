/**
 * Numbers as the geo commands of redis-server 7.0.15 print them:
 *
 * - coordinates (GEOPOS, WITHCOORD) as addReplyHumanLongDouble does: the double widened to a long double
 *   and printed `%.17Lf`, trailing zeros and a trailing point removed;
 * - distances (GEODIST, WITHDIST) as fixedpoint_d2string(d, 4) does: the distance times 10^4 rounded to
 *   an integer (llrint: to nearest, ties to even), then written with 4 decimals;
 * - coordinates in the `invalid longitude,latitude pair` error as `%f` does.
 *
 * glibc's printf prints the exact binary value, rounded to nearest with ties to even: so do these, with
 * exact integer arithmetic (Number's toFixed rounds ties away from zero).
 */

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A finite double as an exact fraction: sign, and |x| = mantissa · 2^exponent. */
function exact(x: number): { negative: boolean; mantissa: bigint; exponent: number } {
  F64[0] = x;
  const bits = U64[0] as bigint;
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return { negative, mantissa: fraction, exponent: -1074 };
  return { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** C's `printf("%.<digits>f", x)` for a double, as glibc prints it. */
export function cFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const { negative, mantissa, exponent } = exact(x);
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) scaled = (mantissa << BigInt(exponent)) * scale;
  else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    scaled = num / den;
    const twice = 2n * (num % den);
    // Ties go to the even neighbour.
    if (twice > den || (twice === den && scaled % 2n === 1n)) scaled++;
  }
  const text = scaled.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const sign = negative ? '-' : '';
  return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${text.slice(text.length - digits)}`;
}

/** A coordinate as addReplyHumanLongDouble prints it (`%.17Lf`, trailing zeros and point removed). */
export function humanCoordinate(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  let text = cFixed(x, 17);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

const LLONG_MIN = -(2n ** 63n);
const LLONG_MAX = 2n ** 63n - 1n;

/** llrint on x86-64: to nearest, ties to even; NaN and out of range give LLONG_MIN. */
function llrint(x: number): bigint {
  if (Number.isNaN(x) || !Number.isFinite(x)) return LLONG_MIN;
  let r = Math.round(x);
  // Math.round sends ties up: send them to the even neighbour.
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  const n = BigInt(r);
  return n < LLONG_MIN || n > LLONG_MAX ? LLONG_MIN : n;
}

/** A distance as fixedpoint_d2string(d, 4) writes it. */
export function distanceText(d: number): string {
  if (d === 0) return '0.0000';
  const v = llrint(d * 10000);
  const negative = v < 0n;
  const magnitude = (negative ? -v : v).toString().padStart(5, '0');
  const whole = magnitude.slice(0, magnitude.length - 4);
  return `${negative ? '-' : ''}${whole}.${magnitude.slice(magnitude.length - 4)}`;
}
