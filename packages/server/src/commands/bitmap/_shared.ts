/**
 * What the bitmap commands share (Redis's bitops.c): reading bit offsets and bitfield types as
 * redis-server does, counting and finding bits, reading and writing integers at any bit offset, and
 * writing a string value back the way redis-server leaves it (raw, expiry kept).
 *
 * Bit 0 is the most significant bit of the value's first byte, as in Redis.
 */
import { parseLength } from '@sluice/protocol';
import { errorReply } from '../../errors.js';
import { encodingOf, expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { parseInteger } from '../_args.js';
import type { CommandContext } from '../context.js';
import { putKey, valueStart } from '../string/_shared.js';

/**
 * The bit offset at argument i, as redis-server's getBitOffsetFromArgument reads it: a 64-bit integer
 * (string2ll rules), not negative, whose byte is below `proto-max-bulk-len`. With `bits` > 0 (BITFIELD),
 * `#n` means n times `bits`, multiplied as redis-server's 64-bit arithmetic does. Replies the error and
 * returns -1 when it is not one. Offsets past 2^53 lose their last digits, far past any value's end.
 */
export function bitOffsetOrReply(c: CommandContext, i: number, bits = 0): number {
  const a = c.args;
  const buf = a.buffer;
  let start = a.argStart(i);
  const end = a.argEnd(i);
  let times = 1;
  if (bits > 0 && start < end && buf[start] === 0x23) {
    start++;
    times = bits;
  }
  let offset = parseLength(buf, start, end) * times;
  if (!Number.isSafeInteger(offset)) {
    // Past 2^53, or LLONG_MIN (which parseLength does not take): exactly, wrapping as a long long would.
    const big = parseInteger(buf, start, end);
    offset = big === null ? -1 : Number(BigInt.asIntN(64, big * BigInt(times)));
  }
  if (offset < 0 || Math.floor(offset / 8) >= c.server.config['proto-max-bulk-len']) {
    c.out.error(errorReply('bitOffset'));
    return -1;
  }
  return offset;
}

/** A bitfield type: signed or not, and its width in bits. */
export interface BitfieldType {
  readonly signed: boolean;
  readonly bits: number;
}

/**
 * The bitfield type at argument i (`i1`…`i64`, `u1`…`u63`, the sign letter lowercase), as redis-server
 * reads it: the width is read up to the first zero byte, as C's strlen would stop. Replies the error and
 * returns null when it is not one.
 */
export function bitfieldTypeOrReply(c: CommandContext, i: number): BitfieldType | null {
  const a = c.args;
  const buf = a.buffer;
  const start = a.argStart(i);
  let end = a.argEnd(i);
  const sign = start < end ? buf[start] : 0;
  for (let k = start + 1; k < end; k++) {
    if (buf[k] === 0) {
      end = k;
      break;
    }
  }
  const bits = sign === 0x69 || sign === 0x75 ? parseLength(buf, start + 1, end) : Number.NaN;
  if (!(bits >= 1 && bits <= (sign === 0x69 ? 64 : 63))) {
    c.out.error(errorReply('bitfieldType'));
    return null;
  }
  return { signed: sign === 0x69, bits };
}

/**
 * Whether argument i is `word` (lowercase) ignoring case, as C's strcasecmp compares it with the argument:
 * up to the argument's first zero byte, if it has one.
 */
export function isCToken(c: CommandContext, i: number, word: string): boolean {
  const a = c.args;
  const buf = a.buffer;
  const start = a.argStart(i);
  const end = a.argEnd(i);
  const n = word.length;
  if (end - start < n) return false;
  for (let k = 0; k < n; k++) {
    let ch = buf[start + k] as number;
    if (ch >= 0x41 && ch <= 0x5a) ch |= 0x20;
    if (ch !== word.charCodeAt(k)) return false;
  }
  return start + n === end || buf[start + n] === 0;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = ((i & 1) + (POPCOUNT[i >> 1] as number)) as number;

/** Number of set bits in one byte. */
export function bitsIn(byte: number): number {
  return POPCOUNT[byte & 0xff] as number;
}

/** Number of set bits in `buf[start, end)`. */
export function popcount(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  // Unrolled four bytes at a time.
  for (; i + 4 <= end; i += 4) {
    n +=
      (POPCOUNT[buf[i] as number] as number) +
      (POPCOUNT[buf[i + 1] as number] as number) +
      (POPCOUNT[buf[i + 2] as number] as number) +
      (POPCOUNT[buf[i + 3] as number] as number);
  }
  for (; i < end; i++) n += POPCOUNT[buf[i] as number] as number;
  return n;
}

/**
 * The position of the first bit equal to `bit` in `buf[start, start + count)` (redisBitpos): -1 when
 * looking for a 1 and there is none; when looking for a 0 and there is none, `count * 8`, the first bit
 * past the end, as if the value went on with zero bytes.
 */
export function bitpos(buf: Uint8Array, start: number, count: number, bit: number): number {
  const skip = bit === 1 ? 0 : 0xff;
  const end = start + count;
  for (let i = start; i < end; i++) {
    const byte = buf[i] as number;
    if (byte !== skip) {
      const bits = bit === 1 ? byte : ~byte & 0xff;
      return (i - start) * 8 + Math.clz32(bits) - 24;
    }
  }
  return bit === 1 ? -1 : count * 8;
}

/**
 * The `bits`-wide unsigned integer at bit `offset` of `buf` (bytes past its end read as zero), as
 * two 32-bit halves combined into a bigint once.
 */
export function getUnsigned(buf: Uint8Array, offset: number, bits: number): bigint {
  let hi = 0;
  let lo = 0;
  for (let j = 0; j < bits; j++, offset++) {
    const byte = (buf[Math.floor(offset / 8)] ?? 0) as number;
    const b = (byte >> (7 - (offset % 8))) & 1;
    hi = ((hi << 1) | (lo >>> 31)) >>> 0;
    lo = ((lo << 1) | b) >>> 0;
  }
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes the low `bits` bits of `value` at bit `offset` of `buf`, which must hold them. */
export function setUnsigned(buf: Uint8Array, offset: number, bits: number, value: bigint): void {
  const v = BigInt.asUintN(64, value);
  const hi = Number(v >> 32n);
  const lo = Number(v & 0xffffffffn);
  for (let j = bits - 1; j >= 0; j--, offset++) {
    const b = j >= 32 ? (hi >>> (j - 32)) & 1 : (lo >>> j) & 1;
    const at = Math.floor(offset / 8);
    const mask = 1 << (7 - (offset % 8));
    buf[at] = b === 1 ? (buf[at] as number) | mask : (buf[at] as number) & ~mask;
  }
}

/**
 * Whether OBJECT ENCODING already names this record's value raw; if not (int, or embstr by its length),
 * a command that redis-server makes unshare the value (dbUnshareStringValue) rewrites it as raw.
 */
export function namedRaw(record: Buffer): boolean {
  return (encodingOf(record) & FLAG_RAW) !== 0 || record.length - valueStart(record) > 44;
}

/**
 * A string value being changed in place, as redis-server's lookupStringForBitCommand gives it: the key's
 * value copied, or zero bytes for a new key, grown with zero bytes to hold `bytes` bytes.
 */
export interface BitTarget {
  readonly value: Buffer;
  /** The key was created or its value grew: it is written even if no bit changes. */
  readonly grown: boolean;
  /** Its expiry (kept), 0 for none. */
  readonly expiresAt: number;
  /** The existing value is not named raw yet: redis-server made it raw, so it is written. */
  readonly unshared: boolean;
}

/** The value of `record` (undefined for a missing key) copied, zero-padded to at least `bytes` bytes. */
export function bitTarget(record: Buffer | undefined, bytes: number): BitTarget {
  if (record === undefined) return { value: Buffer.alloc(bytes), grown: true, expiresAt: 0, unshared: false };
  const start = valueStart(record);
  const length = record.length - start;
  const value = Buffer.alloc(Math.max(length, bytes));
  record.copy(value, 0, start);
  return { value, grown: bytes > length, expiresAt: expiryOf(record), unshared: !namedRaw(record) };
}

/** Stores a changed bitmap as the key at argument 1: raw, as redis-server leaves it, expiry kept. */
export function putBitmap(c: CommandContext, target: BitTarget): void {
  putKey(c, 1, target.value, 0, target.value.length, target.expiresAt, FLAG_RAW);
}
