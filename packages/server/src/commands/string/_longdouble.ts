/**
 * INCRBYFLOAT's arithmetic, exactly as redis-server does it on x86-64: its operands are parsed with
 * glibc's strtold into the x87 80-bit `long double` (a 64-bit significand), added in that precision and
 * printed with `%.17Lf`, trailing zeros trimmed. Doubles would round differently (10.5 + 0.1 prints
 * "10.6" there only because of the extra 11 bits), so the format is emulated here with BigInt: a finite
 * value is `(-1)^neg × m × 2^e`, with m below 2^64, rounded to nearest, ties to even, as the x87 FPU and
 * glibc round.
 */

/** Significand bits of the x87 extended format. */
const PRECISION = 64;
/** Exponent of the smallest subnormal, 2^-16445: no value has a finer quantum. */
const MIN_EXP = -16445;
/** Every finite value is below 2^16384. */
const MAX_BITS = 16384;
/** redis-server's MAX_LONG_DOUBLE_CHARS: longer strings are not floats. */
const MAX_CHARS = 5 * 1024;

export interface LongDouble {
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
  /** False for ±infinity (and for NaN, which only an addition can produce). */
  readonly finite: boolean;
}

export const ZERO: LongDouble = { neg: false, m: 0n, e: 0, finite: true };
const INFINITE: LongDouble = { neg: false, m: 0n, e: 0, finite: false };

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0] as string, 16)));
}

/**
 * Rounds `mag × 2^exp` (plus a little more when `sticky`: nonzero bits were cut below `mag`) to the
 * format. Callers that pass `sticky` give `mag` at least two bits more than the result keeps.
 */
function round(neg: boolean, mag: bigint, exp: number, sticky: boolean): LongDouble {
  let m = mag;
  let e = exp;
  const drop = Math.max(bitLength(mag) - PRECISION, MIN_EXP - exp);
  if (drop > 0) {
    const shift = BigInt(drop);
    m = mag >> shift;
    const rest = mag - (m << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (sticky || (m & 1n) === 1n))) m += 1n;
    e += drop;
    if (m === 1n << 64n) {
      m = 1n << 63n;
      e += 1;
    }
  }
  if (m === 0n) return { neg, m: 0n, e: 0, finite: true };
  if (bitLength(m) + e > MAX_BITS) return INFINITE;
  return { neg, m, e, finite: true };
}

const DECIMAL = /^([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

/** An exponent as a number, clamped far beyond any that could matter (the digits are under 5 KiB). */
function exponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  return Math.max(-1e6, Math.min(1e6, n));
}

/**
 * `buf[start, end)` parsed as redis-server's string2ld does (strtold, all of the string, no leading
 * space, neither NaN nor an overflow or an underflow to zero), or null. Infinity itself is accepted.
 */
export function parseLongDouble(buf: Buffer, start: number, end: number): LongDouble | null {
  if (end === start || end - start >= MAX_CHARS) return null;
  // The whole string must be the number: a NUL byte ends strtold's reading early, so it fails too.
  const text = buf.toString('latin1', start, end);
  let match = DECIMAL.exec(text);
  if (match !== null) {
    const neg = match[1] === '-';
    const frac = match[3] ?? match[4] ?? '';
    const digits = ((match[2] ?? '') + frac).replace(/^0+/, '');
    if (digits === '') return { neg, m: 0n, e: 0, finite: true };
    const exp10 = exponent(match[5]) - frac.length;
    // Far out of range either way: overflow (HUGE_VAL) or underflow to zero, both rejected.
    if (exp10 + digits.length - 1 > 4933 || exp10 + digits.length < -4960) return null;
    const d = BigInt(digits);
    let x: LongDouble;
    if (exp10 >= 0) {
      x = round(neg, d * 10n ** BigInt(exp10), 0, false);
    } else {
      const den = 10n ** BigInt(-exp10);
      // Enough quotient bits for the significand, a rounding bit and more; the remainder is sticky.
      const t = Math.max(0, PRECISION + 3 + bitLength(den) - bitLength(d));
      const num = d << BigInt(t);
      const q = num / den;
      x = round(neg, q, -t, q * den !== num);
    }
    return x.finite && x.m !== 0n ? x : null;
  }
  match = HEX.exec(text);
  if (match !== null) {
    const neg = match[1] === '-';
    const frac = match[3] ?? match[4] ?? '';
    const h = BigInt(`0x${match[2] ?? ''}${frac}`);
    if (h === 0n) return { neg, m: 0n, e: 0, finite: true };
    const exp2 = exponent(match[5]) - 4 * frac.length;
    const top = bitLength(h) + exp2;
    if (top > MAX_BITS + 1 || top < MIN_EXP - 2) return null;
    const x = exp2 >= 0 ? round(neg, h << BigInt(exp2), 0, false) : round(neg, h, exp2, false);
    return x.finite && x.m !== 0n ? x : null;
  }
  if (INFINITY.test(text)) return { ...INFINITE, neg: text[0] === '-' };
  return null;
}

/** a + b, rounded to the format; not finite when either is infinite or the sum overflows. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (!a.finite || !b.finite) return INFINITE;
  const e = Math.min(a.e, b.e);
  const x = (a.m << BigInt(a.e - e)) * (a.neg ? -1n : 1n);
  const y = (b.m << BigInt(b.e - e)) * (b.neg ? -1n : 1n);
  const sum = x + y;
  return round(sum < 0n, sum < 0n ? -sum : sum, e, false);
}

const SCALE = 10n ** 17n;

/**
 * A finite value as redis-server prints INCRBYFLOAT's result: `%.17Lf` (exact, rounded half to even),
 * then trailing zeros and a trailing point removed, and "-0" written "0".
 */
export function formatLongDouble(x: LongDouble): string {
  const scaled = x.m * SCALE;
  let n: bigint;
  if (x.e >= 0) {
    n = scaled << BigInt(x.e);
  } else {
    const shift = BigInt(-x.e);
    n = scaled >> shift;
    const rest = scaled - (n << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (n & 1n) === 1n)) n += 1n;
  }
  const digits = n.toString().padStart(18, '0');
  const whole = digits.slice(0, -17);
  const frac = digits.slice(-17).replace(/0+$/, '');
  const text = frac === '' ? whole : `${whole}.${frac}`;
  return x.neg && text !== '0' ? `-${text}` : text;
}
