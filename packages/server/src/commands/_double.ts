/**
 * Doubles as redis-server 7.0 reads and prints them: C's strtod (as glibc implements it) and `%.17g`.
 * SORT's weights, sorted-set scores and their range bounds each read strtod's result a little
 * differently; they share the parsing here.
 */

/**
 * A number as strtod reads it: leading white space, a sign, then digits with an optional point and
 * exponent, a hexadecimal `0x…` with an optional binary exponent `p…`, `inf`/`infinity` or `nan` (any
 * case), and nothing after it.
 */
const STRTOD =
  /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([0-9a-z_]*\))?)|0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?))$/i;

/** The smallest normal double: below it (and above 0) glibc's strtod reports an underflow (ERANGE). */
const MIN_NORMAL = 2.2250738585072014e-308;

/** What strtod made of a whole string. */
export interface Strtod {
  /** The value (NaN for `nan`; ±Infinity for `inf` and on overflow). */
  readonly value: number;
  /** strtod set errno to ERANGE: an overflow, or a result below the smallest normal double that is not exact. */
  readonly range: boolean;
}

/** strtod over all of `text` (null when it stops before the end or converts nothing). */
export function strtod(text: string): Strtod | null {
  const m = STRTOD.exec(text);
  if (m === null) return null;
  const [, sign, inf, nan, hexInt, hexFrac, hexExp, decimal] = m;
  const negative = sign === '-';
  if (nan !== undefined) return { value: Number.NaN, range: false };
  if (inf !== undefined) return { value: negative ? -Infinity : Infinity, range: false };
  let value: number;
  /** Whether a result below the smallest normal double is inexact: an underflow then. */
  let inexactIfTiny: boolean;
  if (decimal !== undefined) {
    value = Number(decimal);
    // A decimal fraction is never exactly a subnormal double (that would take hundreds of digits).
    inexactIfTiny = /[1-9]/.test(decimal.replace(/e.*$/i, ''));
  } else {
    const intDigits = hexInt ?? '';
    const fracDigits = hexFrac ?? '';
    // `0x` needs a hex digit before or after the point.
    if (intDigits === '' && fracDigits === '') return null;
    const mantissa = BigInt(`0x${intDigits}${fracDigits}`);
    const exponent = Number(hexExp ?? '0') - 4 * fracDigits.length;
    // In two steps, so that neither power of two overflows or underflows on its own.
    const half = Math.trunc(exponent / 2);
    value = Number(mantissa) * 2 ** half * 2 ** (exponent - half);
    // Exact when the bits below 2^-1074 (the last bit of a subnormal double) are all zero.
    const shift = exponent + 1074;
    inexactIfTiny = shift < 0 && (mantissa & ((1n << BigInt(-shift)) - 1n)) !== 0n;
  }
  const range = !Number.isFinite(value) || (inexactIfTiny && Math.abs(value) < MIN_NORMAL);
  return { value: negative ? -value : value, range };
}

/**
 * What strtod (or sscanf's `%lg`) makes of the longest prefix of `text` it can read, as a caller that
 * ignores where it stopped sees it: null when it reads nothing (strtod then gives 0).
 */
export function strtodPrefix(text: string): number | null {
  for (let end = text.length; end > 0; end--) {
    const r = strtod(text.slice(0, end));
    if (r !== null) return r.value;
  }
  return null;
}

/** `buf` up to its first NUL byte, as latin1 text: what C reads of it. */
export function cText(buf: Uint8Array): string {
  const nul = buf.indexOf(0);
  return Buffer.from(buf.buffer, buf.byteOffset, nul < 0 ? buf.length : nul).toString('latin1');
}

const SPACE = /^[ \t\n\v\f\r]/;

/**
 * An optional sign and 1 to 15 decimal digits, read without strtod's regular expression: most scores
 * are such integers, and below 10^15 each is a double exactly, as strtod reads it ("-0" is -0). Null for
 * anything else.
 */
function plainInteger(buf: Uint8Array): number | null {
  const len = buf.length;
  let i = 0;
  const first = buf[0];
  if (first === 0x2d || first === 0x2b) i = 1;
  if (len - i < 1 || len - i > 15) return null;
  let value = 0;
  for (; i < len; i++) {
    const d = (buf[i] as number) - 0x30;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return first === 0x2d ? -value : value;
}

/**
 * A value as redis-server 7.0's getDoubleFromObject reads it (ZADD's scores, ZINCRBY's increment, …):
 * strtod over the whole argument, refused (null) when empty, starting with white space, stopping early
 * (a NUL byte included), overflowing, underflowing to zero, or NaN.
 */
export function doubleValue(buf: Uint8Array): number | null {
  const plain = plainInteger(buf);
  if (plain !== null) return plain;
  if (buf.length === 0 || buf.indexOf(0) >= 0) return null;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.length).toString('latin1');
  if (SPACE.test(text)) return null;
  const r = strtod(text);
  if (r === null || Number.isNaN(r.value)) return null;
  if (r.range && (!Number.isFinite(r.value) || r.value === 0)) return null;
  return r.value;
}

/** C's `%.17g`, as redis-server 7.0 prints a double reply (and Lua 5.1 a number). */
export function formatG17(x: number): string {
  if (Number.isNaN(x)) return x > 0 ? 'nan' : '-nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // Integers up to 2^53 have at most 16 digits, which %.17g prints as they are: so does String, faster
  // than what follows (most scores are such integers).
  if (Number.isSafeInteger(x)) return String(x);
  // The exponent after rounding to 17 significant digits decides between the two notations.
  const [mantissa, e] = x.toExponential(16).split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 17) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${trimZeros(mantissa)}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return trimZeros(x.toPrecision(17));
}

/** A number's trailing zeros after its point, and the point when nothing follows it. */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
