/**
 * The pieces of Redis's RDB serialization that payloads exchanged with redis-server use (FUNCTION DUMP
 * and RESTORE): string encoding (lengths, integer and LZF-compressed strings), the footer of a dump
 * payload (RDB version and CRC-64), and Redis's CRC-64 (Jones polynomial, reflected).
 */

/** The RDB version redis-server 7.0 writes; payloads of a later version are refused, as it does. */
export const RDB_VERSION = 10;
export const RDB_OPCODE_FUNCTION_PRE_GA = 246;
export const RDB_OPCODE_FUNCTION2 = 245;

const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

/** CRC-64 as redis-server computes it (crc64.c): "123456789" → 0xe9c6d914c4b8d9ca. */
const CRC_LO = new Uint32Array(256);
const CRC_HI = new Uint32Array(256);
{
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 bit-reversed, for the right-shifting form
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    CRC_LO[i] = Number(c & 0xffffffffn);
    CRC_HI[i] = Number(c >> 32n);
  }
}

/** The CRC-64 of `bytes`, as 8 little-endian bytes (how a dump payload stores it). */
export function crc64(bytes: Uint8Array): Buffer {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < bytes.length; i++) {
    const idx = (lo ^ (bytes[i] as number)) & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ (CRC_LO[idx] as number);
    hi = (hi >>> 8) ^ (CRC_HI[idx] as number);
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(lo >>> 0, 0);
  out.writeUInt32LE(hi >>> 0, 4);
  return out;
}

/** An RDB length: 6, 14, 32 or 64 bits. */
export function encodeLength(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0x80;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

/** An RDB length of up to 64 bits (rdbSaveLen of a uint64_t: ids, counters). */
export function encodeLength64(n: bigint): Buffer {
  if (n <= 0xffffffffn) return encodeLength(Number(n));
  const b = Buffer.alloc(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(n, 1);
  return b;
}

/** A string as RDB stores it, uncompressed (redis-server reads it whatever its rdbcompression). */
export function encodeString(s: Uint8Array): Buffer {
  return Buffer.concat([encodeLength(s.length), s]);
}

/** Appends the footer of a dump payload: the RDB version and the CRC-64 of everything before it. */
export function withFooter(body: Buffer): Buffer {
  const version = Buffer.from([RDB_VERSION & 0xff, RDB_VERSION >> 8]);
  const head = Buffer.concat([body, version]);
  return Buffer.concat([head, crc64(head)]);
}

/** The body of a dump payload whose version and checksum hold (`verifyDumpPayload`), or null. */
export function verifiedBody(payload: Buffer): Buffer | null {
  if (payload.length < 10) return null;
  const version = payload.readUInt16LE(payload.length - 10);
  if (version > RDB_VERSION) return null;
  if (!crc64(payload.subarray(0, payload.length - 8)).equals(payload.subarray(payload.length - 8)))
    return null;
  return payload.subarray(0, payload.length - 10);
}

/** Reads RDB values from a buffer; every read returns null past the end or on a malformed value. */
export class RdbReader {
  pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  byte(): number | null {
    return this.pos < this.buf.length ? (this.buf[this.pos++] as number) : null;
  }

  /** A plain length (an element count), or null. */
  count(): number | null {
    const len = this.lengthOrEncoding();
    return len === null || len.encoded ? null : len.n;
  }

  /** A length, or an encoding marker (`encoded`: the value is an integer or LZF string). */
  private lengthOrEncoding(): { n: number; encoded: boolean } | null {
    const first = this.byte();
    if (first === null) return null;
    const kind = first >> 6;
    if (kind === 0) return { n: first & 0x3f, encoded: false };
    if (kind === 1) {
      const second = this.byte();
      return second === null ? null : { n: ((first & 0x3f) << 8) | second, encoded: false };
    }
    if (kind === 3) return { n: first & 0x3f, encoded: true };
    if (first === 0x80) {
      if (this.remaining < 4) return null;
      const n = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return { n, encoded: false };
    }
    if (first === 0x81) {
      if (this.remaining < 8) return null;
      const n = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return n > BigInt(Number.MAX_SAFE_INTEGER) ? null : { n: Number(n), encoded: false };
    }
    return null;
  }

  /** The next `n` bytes as they are (a view), or null when fewer are left. */
  bytes(n: number): Buffer | null {
    if (this.remaining < n) return null;
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A string in any of RDB's encodings (plain, integer, LZF). */
  string(): Buffer | null {
    const len = this.lengthOrEncoding();
    if (len === null) return null;
    if (!len.encoded) return this.bytes(len.n);
    switch (len.n) {
      case ENC_INT8: {
        const b = this.bytes(1);
        return b === null ? null : Buffer.from(String(b.readInt8(0)));
      }
      case ENC_INT16: {
        const b = this.bytes(2);
        return b === null ? null : Buffer.from(String(b.readInt16LE(0)));
      }
      case ENC_INT32: {
        const b = this.bytes(4);
        return b === null ? null : Buffer.from(String(b.readInt32LE(0)));
      }
      case ENC_LZF: {
        const clen = this.lengthOrEncoding();
        const ulen = this.lengthOrEncoding();
        if (clen === null || ulen === null || clen.encoded || ulen.encoded) return null;
        const compressed = this.bytes(clen.n);
        return compressed === null ? null : lzfDecompress(compressed, ulen.n);
      }
      default:
        return null;
    }
  }
}

/** liblzf's decompression (as redis-server's lzf_d.c), into exactly `size` bytes, or null. */
export function lzfDecompress(input: Uint8Array, size: number): Buffer | null {
  const out = Buffer.alloc(size);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++] as number;
    if (ctrl < 32) {
      // A literal run of ctrl + 1 bytes.
      ctrl++;
      if (op + ctrl > size || ip + ctrl > input.length) return null;
      for (let i = 0; i < ctrl; i++) out[op++] = input[ip++] as number;
    } else {
      // A back reference.
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= input.length) return null;
      if (len === 7) {
        len += input[ip++] as number;
        if (ip >= input.length) return null;
      }
      ref -= input[ip++] as number;
      len += 2;
      if (op + len > size || ref < 0) return null;
      for (let i = 0; i < len; i++) out[op++] = out[ref++] as number;
    }
  }
  return op === size ? out : null;
}
