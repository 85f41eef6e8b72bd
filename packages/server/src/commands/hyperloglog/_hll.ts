/**
 * HyperLogLog values byte for byte as redis-server 7.0 builds them (hyperloglog.c), so that a value
 * copied between the servers with GET and SET counts the same on both.
 *
 * A value is a 16-byte header, `HYLL`, the encoding (0 dense, 1 sparse), three zero bytes, and the cached
 * cardinality (8 bytes little endian, its top bit set when stale), then 16384 registers of 6 bits:
 *
 * - dense: 12288 bytes, register i in bits 6i … 6i + 5 counted from the least significant bit of each byte;
 * - sparse: run-length opcodes, ZERO `00llllll` (1–64 zero registers), XZERO `01llllll llllllll`
 *   (1–16384 zero registers) and VAL `1vvvvvll` (1–4 registers of value 1–32). A sparse value becomes
 *   dense once it would grow past `hll-sparse-max-bytes` or needs a register above 32.
 *
 * Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register, and the
 * run of zero bits above them, plus one, is the value offered to it. The estimate is Redis 7's (Ertl's
 * improved estimator, `hllCount` with `hllTau` and `hllSigma`).
 *
 * Like an sds string, a value being changed keeps a zero byte past its end, which the C code may read.
 */

export const HLL_REGISTERS = 16384;
const HLL_P_MASK = HLL_REGISTERS - 1;
/** Bits of the hash left after the register index (64 - 14): the longest run counted is Q + 1. */
const HLL_Q = 50;
const REGISTER_MAX = 63;
export const HEADER = 16;
export const DENSE_SIZE = HEADER + (HLL_REGISTERS * 6) / 8;
export const DENSE = 0;
export const SPARSE = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5 / ln 2 (redis-server's 0.721347520444481703680, the same double). */
const ALPHA_INF = 0.7213475204444817;

/* ---------------------------------- MurmurHash64A ---------------------------------- */

// 64-bit arithmetic on (hi, lo) pairs of unsigned 32-bit numbers; results in these two, so that hashing
// allocates nothing.
let rHi = 0;
let rLo = 0;
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** (aHi, aLo) × (bHi, bLo) mod 2^64 into (rHi, rLo). */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const hi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rHi = (hi + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) >>> 0;
}

/**
 * MurmurHash64A of `buf[start, end)` with Redis's seed (endian-neutral, as Redis made it), into
 * (rHi, rLo).
 */
function murmur64a(buf: Uint8Array, start: number, end: number): void {
  const len = end - start;
  // h = seed ^ (len * m)
  mul64(0, len >>> 0, M_HI, M_LO);
  let hHi = rHi;
  let hLo = (rLo ^ 0xadc83b19) >>> 0;
  const blocks = start + (len - (len & 7));
  let i = start;
  for (; i < blocks; i += 8) {
    const kLo =
      ((buf[i] as number) |
        ((buf[i + 1] as number) << 8) |
        ((buf[i + 2] as number) << 16) |
        ((buf[i + 3] as number) << 24)) >>>
      0;
    const kHi =
      ((buf[i + 4] as number) |
        ((buf[i + 5] as number) << 8) |
        ((buf[i + 6] as number) << 16) |
        ((buf[i + 7] as number) << 24)) >>>
      0;
    mul64(kHi, kLo, M_HI, M_LO);
    // k ^= k >> 47
    mul64(rHi, (rLo ^ (rHi >>> 15)) >>> 0, M_HI, M_LO);
    hHi = (hHi ^ rHi) >>> 0;
    hLo = (hLo ^ rLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  const tail = len & 7;
  if (tail > 0) {
    // The switch of the C code, whose cases fall through from the last byte down to the first.
    if (tail >= 7) hHi ^= (buf[i + 6] as number) << 16;
    if (tail >= 6) hHi ^= (buf[i + 5] as number) << 8;
    if (tail >= 5) hHi ^= buf[i + 4] as number;
    if (tail >= 4) hLo ^= (buf[i + 3] as number) << 24;
    if (tail >= 3) hLo ^= (buf[i + 2] as number) << 16;
    if (tail >= 2) hLo ^= (buf[i + 1] as number) << 8;
    hLo ^= buf[i] as number;
    mul64(hHi >>> 0, hLo >>> 0, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  mul64(hHi, (hLo ^ (hHi >>> 15)) >>> 0, M_HI, M_LO);
  rLo = (rLo ^ (rHi >>> 15)) >>> 0;
}

/**
 * hllPatLen: the register an element goes to and the length of the run of zero bits above the index
 * bits, plus one (1–51), as `register * 64 + count`.
 */
export function pattern(buf: Uint8Array, start: number, end: number): number {
  murmur64a(buf, start, end);
  const index = rLo & HLL_P_MASK;
  // The hash shifted right by 14, with bit 50 set so that the run ends.
  const low = (rLo >>> 14) | (rHi << 18);
  let count: number;
  if (low !== 0) count = 32 - Math.clz32(low & -low);
  else count = 33 + 31 - Math.clz32(((rHi >>> 14) | (1 << 18)) & -((rHi >>> 14) | (1 << 18)));
  return index * 64 + count;
}

/* ------------------------------------ registers ------------------------------------ */

/** Dense register i of the registers at `base` of `buf`. */
export function denseGet(buf: Uint8Array, base: number, i: number): number {
  const byte = base + ((i * 6) >> 3);
  const fb = (i * 6) & 7;
  return (((buf[byte] as number) >> fb) | (((buf[byte + 1] ?? 0) as number) << (8 - fb))) & REGISTER_MAX;
}

/** Sets dense register i of the registers at `base` of `buf` to `value`. */
export function denseSet(buf: Uint8Array, base: number, i: number, value: number): void {
  const byte = base + ((i * 6) >> 3);
  const fb = (i * 6) & 7;
  buf[byte] = ((buf[byte] as number) & ~(REGISTER_MAX << fb)) | (value << fb);
  if (byte + 1 < buf.length) {
    buf[byte + 1] = ((buf[byte + 1] as number) & ~(REGISTER_MAX >> (8 - fb))) | (value >> (8 - fb));
  }
}

/** Whether `buf[start, end)` is a value redis-server takes for a HyperLogLog (isHLLObjectOrReply). */
export function isHll(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len < HEADER) return false;
  if (buf[start] !== 0x48 || buf[start + 1] !== 0x59 || buf[start + 2] !== 0x4c || buf[start + 3] !== 0x4c)
    return false;
  const encoding = buf[start + 4] as number;
  if (encoding > SPARSE) return false;
  return encoding !== DENSE || len === DENSE_SIZE;
}

/** The cached cardinality of the value at `start`, or -1 when it is stale. */
export function cachedCount(buf: Uint8Array, start: number): number | bigint {
  if (((buf[start + 15] as number) & 0x80) !== 0) return -1;
  const lo =
    ((buf[start + 8] as number) |
      ((buf[start + 9] as number) << 8) |
      ((buf[start + 10] as number) << 16) |
      ((buf[start + 11] as number) << 24)) >>>
    0;
  const hi =
    ((buf[start + 12] as number) |
      ((buf[start + 13] as number) << 8) |
      ((buf[start + 14] as number) << 16) |
      ((buf[start + 15] as number) << 24)) >>>
    0;
  return hi < 0x200000 ? hi * 2 ** 32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes `count` as the cached cardinality of the value at `start` (valid). */
export function setCachedCount(buf: Uint8Array, start: number, count: number): void {
  let n = count;
  for (let i = 0; i < 8; i++) {
    buf[start + 8 + i] = n % 256;
    n = Math.floor(n / 256);
  }
}

/**
 * Merges the registers of the HyperLogLog `buf[start, end)` (already checked by isHll) into `max`
 * (hllMerge), keeping the larger of each. Returns false when a sparse value is corrupted (its opcodes do
 * not cover exactly 16384 registers); `max` may then hold part of it.
 */
export function mergeInto(max: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (buf[start + 4] === DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(buf, start + HEADER, i);
      if (v > (max[i] as number)) max[i] = v;
    }
    return true;
  }
  let i = 0;
  let p = start + HEADER;
  while (p < end) {
    const op = buf[p] as number;
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      if (run + i > HLL_REGISTERS) return false;
      i += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | ((buf[p + 1] ?? 0) as number)) + 1;
      if (run + i > HLL_REGISTERS) return false;
      i += run;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const value = ((op >> 2) & 0x1f) + 1;
      if (run + i > HLL_REGISTERS) return false;
      while (run-- > 0) {
        if (value > (max[i] as number)) max[i] = value;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/* ------------------------------------- counting ------------------------------------- */

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** Ertl's estimate from the histogram of register values (the end of hllCount). */
function estimate(histogram: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - (histogram[HLL_Q + 1] as number)) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histogram[j] as number;
    z *= 0.5;
  }
  z += m * sigma((histogram[0] as number) / m);
  // llroundl: halves away from zero (the value is never negative). Past the long long range (z = 0:
  // every register above 51, which only a hand-made dense value has) it gives LLONG_MIN, which
  // redis-server's cast to uint64 makes 2^63.
  const e = Math.round((ALPHA_INF * m * m) / z);
  return Math.min(e, 2 ** 63);
}

/** A cardinality as redis-server replies it (addReplyLongLong of a uint64): 2^63 wraps negative. */
export function cardinalityReply(n: number | bigint): number | bigint {
  return typeof n === 'number' && n < 2 ** 53 ? n : BigInt.asIntN(64, BigInt(n));
}

const histogram = new Int32Array(64);

/**
 * The estimated cardinality of the HyperLogLog `buf[start, end)` (already checked by isHll), or -1 when
 * it is sparse and corrupted.
 */
export function count(buf: Uint8Array, start: number, end: number): number {
  histogram.fill(0);
  if (buf[start + 4] === DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(buf, start + HEADER, i);
      histogram[v] = (histogram[v] as number) + 1;
    }
    return estimate(histogram);
  }
  let idx = 0;
  let p = start + HEADER;
  let valid = true;
  while (p < end) {
    const op = buf[p] as number;
    let run: number;
    let value = 0;
    if ((op & 0xc0) === 0) {
      run = (op & 0x3f) + 1;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      run = (((op & 0x3f) << 8) | ((buf[p + 1] ?? 0) as number)) + 1;
      p += 2;
    } else {
      run = (op & 3) + 1;
      value = ((op >> 2) & 0x1f) + 1;
      p++;
    }
    if (run + idx > HLL_REGISTERS) {
      valid = false;
      break;
    }
    idx += run;
    histogram[value] = (histogram[value] as number) + run;
  }
  if (!valid || idx !== HLL_REGISTERS) return -1;
  return estimate(histogram);
}

/** The estimated cardinality of 16384 registers of one byte each (PFCOUNT of several keys). */
export function countRegisters(registers: Uint8Array): number {
  histogram.fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const v = registers[i] as number;
    histogram[v] = (histogram[v] as number) + 1;
  }
  return estimate(histogram);
}

/* --------------------------------- a value in change --------------------------------- */

/**
 * A HyperLogLog being changed: a copy of the value with room to grow, and its length. Its operations are
 * redis-server's, step for step, so that the bytes come out the same.
 */
export class HllValue {
  buf: Buffer;
  len: number;

  private constructor(buf: Buffer, len: number) {
    this.buf = buf;
    this.len = len;
  }

  /** createHLLObject: sparse, every register zero (one XZERO opcode of 16384). */
  static empty(): HllValue {
    const buf = Buffer.alloc(HEADER + 2 + 8);
    buf.write('HYLL', 0, 'latin1');
    buf[4] = SPARSE;
    buf[HEADER] = 0x40 | ((SPARSE_XZERO_MAX_LEN - 1) >> 8);
    buf[HEADER + 1] = (SPARSE_XZERO_MAX_LEN - 1) & 0xff;
    return new HllValue(buf, HEADER + 2);
  }

  /** A copy of `src[start, end)`, with room for `extra` more bytes. */
  static copy(src: Uint8Array, start: number, end: number, extra = 8): HllValue {
    const len = end - start;
    const buf = Buffer.alloc(len + extra + 1);
    buf.set(src.subarray(start, end), 0);
    return new HllValue(buf, len);
  }

  get encoding(): number {
    return this.buf[4] as number;
  }

  /** Marks the cached cardinality stale (HLL_INVALIDATE_CACHE). */
  invalidate(): void {
    this.buf[15] = (this.buf[15] as number) | 0x80;
  }

  /** Room for `extra` more bytes past the end, plus the zero byte. */
  private reserve(extra: number): void {
    if (this.len + extra + 1 <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.len + extra + 1));
    // The byte past the end too, as sdsMakeRoomFor keeps it.
    this.buf.copy(grown, 0, 0, this.len + 1);
    this.buf = grown;
  }

  /** Changes the length by `delta`, keeping the zero byte past the end (sdsIncrLen). */
  private grow(delta: number): void {
    this.len += delta;
    this.buf[this.len] = 0;
  }

  /** hllSparseToDense: false, leaving the value as it was, when the sparse opcodes are corrupted. */
  toDense(): boolean {
    if (this.encoding === DENSE) return true;
    const src = this.buf;
    const end = this.len;
    const dense = Buffer.alloc(DENSE_SIZE + 1);
    src.copy(dense, 0, 0, HEADER);
    dense[4] = DENSE;
    let idx = 0;
    let p = HEADER;
    while (p < end) {
      const op = src[p] as number;
      if ((op & 0xc0) === 0) {
        const run = (op & 0x3f) + 1;
        if (run + idx > HLL_REGISTERS) return false;
        idx += run;
        p++;
      } else if ((op & 0xc0) === 0x40) {
        const run = (((op & 0x3f) << 8) | (src[p + 1] as number)) + 1;
        if (run + idx > HLL_REGISTERS) return false;
        idx += run;
        p += 2;
      } else {
        let run = (op & 3) + 1;
        const value = ((op >> 2) & 0x1f) + 1;
        if (run + idx > HLL_REGISTERS) return false;
        while (run-- > 0) denseSet(dense, HEADER, idx++, value);
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) return false;
    this.buf = dense;
    this.len = DENSE_SIZE;
    return true;
  }

  /**
   * Offers `count` to register `index` (hllDenseSet / hllSparseSet): 1 when the register grew, 0 when
   * not, -1 when the sparse value is corrupted. A sparse value may become dense.
   */
  set(index: number, count: number, sparseMax: number): number {
    if (this.encoding === DENSE) {
      if (count <= denseGet(this.buf, HEADER, index)) return 0;
      denseSet(this.buf, HEADER, index, count);
      return 1;
    }
    return this.sparseSet(index, count, sparseMax);
  }

  /** Adds an element (hllAdd): 1 when a register grew, 0 when not, -1 when corrupted. */
  add(buf: Uint8Array, start: number, end: number, sparseMax: number): number {
    const p = pattern(buf, start, end);
    return this.set(p >>> 6, p & 63, sparseMax);
  }

  private promote(index: number, count: number): number {
    if (!this.toDense()) return -1;
    // A register needed changing, so the dense one changes too (redis-server asserts it).
    denseSet(this.buf, HEADER, index, count);
    return 1;
  }

  private sparseSet(index: number, count: number, sparseMax: number): number {
    if (count > SPARSE_VAL_MAX_VALUE) return this.promote(index, count);
    // An XZERO split in three takes up to 3 more bytes.
    this.reserve(3);
    const b = this.buf;
    const end = this.len;

    // Step 1: the opcode that covers the register.
    let p = HEADER;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      let oplen = 1;
      const op = b[p] as number;
      if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
      else if (op & 0x80) span = (op & 3) + 1;
      else {
        span = (((op & 0x3f) << 8) | (b[p + 1] as number)) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span === 0 || p >= end) return -1;

    const op = b[p] as number;
    const isXzero = (op & 0xc0) === 0x40;
    const isZero = (op & 0xc0) === 0;
    const isVal = !isXzero && !isZero;
    let next = isXzero ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const runlen = isZero
      ? (op & 0x3f) + 1
      : isXzero
        ? (((op & 0x3f) << 8) | (b[p + 1] as number)) + 1
        : (op & 3) + 1;

    // Step 2: the easy cases, in place.
    if (isVal) {
      const old = ((op >> 2) & 0x1f) + 1;
      if (old >= count) return 0;
      if (runlen === 1) {
        b[p] = 0x80 | ((count - 1) << 2);
        return this.mergeFrom(prev);
      }
    }
    if (isZero && runlen === 1) {
      b[p] = 0x80 | ((count - 1) << 2);
      return this.mergeFrom(prev);
    }
    // The general case: split the opcode into up to three (at most 5 bytes).
    let n = 0;
    const last = first + span - 1;
    if (isZero || isXzero) {
      if (index !== first) n = zeros(n, index - first);
      seq[n++] = 0x80 | ((count - 1) << 2);
      if (index !== last) n = zeros(n, last - index);
    } else {
      const cur = ((op >> 2) & 0x1f) + 1;
      if (index !== first) seq[n++] = 0x80 | ((cur - 1) << 2) | (index - first - 1);
      seq[n++] = 0x80 | ((count - 1) << 2);
      if (index !== last) seq[n++] = 0x80 | ((cur - 1) << 2) | (last - index - 1);
    }
    // Step 3: put the new sequence in place of the old opcode.
    const delta = n - (isXzero ? 2 : 1);
    if (delta > 0 && this.len + delta > sparseMax) return this.promote(index, count);
    if (delta !== 0 && next !== -1) b.copyWithin(next + delta, next, end);
    this.grow(delta);
    b.set(seq.subarray(0, n), p);
    return this.mergeFrom(prev);
  }

  /**
   * Step 4 of hllSparseSet: merges adjacent VAL opcodes of one value, up to 5 opcodes from the one before
   * the change (`prev`, -1 for the first); then marks the cached cardinality stale. Returns 1.
   */
  private mergeFrom(prev: number): number {
    const b = this.buf;
    let end = this.len;
    let p = prev !== -1 ? prev : HEADER;
    let scan = 5;
    while (p < end && scan-- !== 0) {
      const op1 = b[p] as number;
      if ((op1 & 0xc0) === 0x40) {
        p += 2;
        continue;
      }
      if ((op1 & 0xc0) === 0) {
        p++;
        continue;
      }
      const op2 = b[p + 1] as number;
      if (p + 1 < end && op2 & 0x80) {
        const v1 = ((op1 >> 2) & 0x1f) + 1;
        const v2 = ((op2 >> 2) & 0x1f) + 1;
        if (v1 === v2) {
          const len = (op1 & 3) + 1 + (op2 & 3) + 1;
          if (len <= SPARSE_VAL_MAX_LEN) {
            b[p + 1] = 0x80 | ((v1 - 1) << 2) | (len - 1);
            b.copyWithin(p, p + 1, end + 1);
            this.grow(-1);
            end--;
            continue;
          }
        }
      }
      p++;
    }
    this.invalidate();
    return 1;
  }
}

/** The opcodes that replace one being split (up to 5 bytes). */
const seq = new Uint8Array(5);

/** Writes the ZERO or XZERO opcode of a run of `len` zero registers at `seq[n]`; returns the next n. */
function zeros(n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    seq[n] = 0x40 | ((len - 1) >> 8);
    seq[n + 1] = (len - 1) & 0xff;
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

/** The registers of a HyperLogLog as PFDEBUG DECODE shows a sparse one: `z:3 v:5,1 Z:16380`. */
export function decode(buf: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  let p = start + HEADER;
  while (p < end) {
    const op = buf[p] as number;
    if ((op & 0xc0) === 0) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if ((op & 0xc0) === 0x40) {
      parts.push(`Z:${(((op & 0x3f) << 8) | ((buf[p + 1] ?? 0) as number)) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${((op >> 2) & 0x1f) + 1},${(op & 3) + 1}`);
      p++;
    }
  }
  return parts.join(' ');
}
