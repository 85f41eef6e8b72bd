/**
 * Listpacks as redis-server 7 encodes them (listpack.c), and strings as RDB writes them, for DUMP
 * payloads: hashes, sorted sets and streams (their nodes) share them.
 */
import { encodeString } from '../../rdb.js';
import { parseInteger } from '../_args.js';

/** A string as RDB writes it: an integer encoding when the value is a 32-bit integer in canonical form. */
export function encodeStringObject(value: Buffer): Buffer {
  if (value.length <= 11 && /^(0|-?[1-9][0-9]*)$/.test(value.toString('latin1'))) {
    const n = Number(value.toString('latin1'));
    if (n >= -128 && n <= 127) return Buffer.from([0xc0, n & 0xff]);
    if (n >= -32768 && n <= 32767) {
      const out = Buffer.alloc(3);
      out[0] = 0xc1;
      out.writeInt16LE(n, 1);
      return out;
    }
    if (n >= -2147483648 && n <= 2147483647) {
      const out = Buffer.alloc(5);
      out[0] = 0xc2;
      out.writeInt32LE(n, 1);
      return out;
    }
  }
  return encodeString(value);
}

/** The bytes of a listpack entry's back length: the entry's length, 7 bits a byte, read from its end. */
export function backlenBytes(length: number): number {
  return length <= 127 ? 1 : length < 16383 ? 2 : length < 2097151 ? 3 : length < 268435455 ? 4 : 5;
}

/** Writes the back length of an entry of `length` bytes at `out[at]`. */
function writeBacklen(out: Buffer, at: number, length: number): number {
  const n = backlenBytes(length);
  // The first byte holds the highest bits; every other byte has its top bit set.
  for (let k = 0; k < n; k++) {
    const bits = Math.floor(length / 2 ** (7 * (n - 1 - k))) & 127;
    out[at + k] = k === 0 ? bits : bits | 128;
  }
  return n;
}

/**
 * A listpack of these entries, each encoded as lpAppend encodes it: an integer (as string2ll reads it)
 * in the smallest integer encoding that holds it, else a string with a 6-, 12- or 32-bit length.
 */
export function encodeListpack(entries: readonly (Buffer | bigint)[]): Buffer {
  const parts: Buffer[] = [];
  let total = 6 + 1;
  for (const entry of entries) {
    const encoded = encodeListpackEntry(entry);
    const back = Buffer.allocUnsafe(backlenBytes(encoded.length));
    writeBacklen(back, 0, encoded.length);
    parts.push(encoded, back);
    total += encoded.length + back.length;
  }
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32LE(total, 0);
  out.writeUInt16LE(Math.min(entries.length, 65535), 4);
  let at = 6;
  for (const part of parts) at += part.copy(out, at);
  out[at] = 0xff;
  return out;
}

function encodeListpackEntry(entry: Buffer | bigint): Buffer {
  const int = typeof entry === 'bigint' ? entry : parseInteger(entry, 0, entry.length);
  if (int !== null) {
    const v = Number(int);
    if (v >= 0 && v <= 127) return Buffer.from([v]);
    if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? v + 8192 : v;
      return Buffer.from([0xc0 | (u >> 8), u & 0xff]);
    }
    if (v >= -32768 && v <= 32767) {
      const out = Buffer.allocUnsafe(3);
      out[0] = 0xf1;
      out.writeInt16LE(v, 1);
      return out;
    }
    if (v >= -8388608 && v <= 8388607) {
      const out = Buffer.allocUnsafe(4);
      out[0] = 0xf2;
      out.writeIntLE(v, 1, 3);
      return out;
    }
    if (v >= -2147483648 && v <= 2147483647) {
      const out = Buffer.allocUnsafe(5);
      out[0] = 0xf3;
      out.writeInt32LE(v, 1);
      return out;
    }
    const out = Buffer.allocUnsafe(9);
    out[0] = 0xf4;
    out.writeBigInt64LE(int, 1);
    return out;
  }
  const len = (entry as Buffer).length;
  const text = entry as Buffer; // not an integer, so a string
  if (len < 64) return Buffer.concat([Buffer.from([0x80 | len]), text]);
  if (len < 4096) return Buffer.concat([Buffer.from([0xe0 | (len >> 8), len & 0xff]), text]);
  const head = Buffer.allocUnsafe(5);
  head[0] = 0xf0;
  head.writeUInt32LE(len, 1);
  return Buffer.concat([head, text]);
}

/** The entries of a listpack (Redis 7), integers as decimal strings, or null when malformed. */
export function listpackEntries(lp: Buffer): Buffer[] | null {
  if (lp.length < 7 || lp.readUInt32LE(0) !== lp.length) return null;
  const out: Buffer[] = [];
  let p = 6;
  for (;;) {
    if (p >= lp.length) return null;
    const b = lp[p] as number;
    if (b === 0xff) break;
    let entry: Buffer;
    let size: number;
    const int = (n: number | bigint) => Buffer.from(String(n), 'latin1');
    if ((b & 0x80) === 0) {
      entry = int(b & 0x7f);
      size = 1;
    } else if ((b & 0xc0) === 0x80) {
      const len = b & 0x3f;
      entry = lp.subarray(p + 1, p + 1 + len);
      size = 1 + len;
    } else if ((b & 0xe0) === 0xc0) {
      const raw = ((b & 0x1f) << 8) | (lp[p + 1] as number);
      entry = int(raw >= 4096 ? raw - 8192 : raw);
      size = 2;
    } else if ((b & 0xf0) === 0xe0) {
      const len = ((b & 0x0f) << 8) | (lp[p + 1] as number);
      entry = lp.subarray(p + 2, p + 2 + len);
      size = 2 + len;
    } else if (b === 0xf0) {
      const len = lp.readUInt32LE(p + 1);
      entry = lp.subarray(p + 5, p + 5 + len);
      size = 5 + len;
    } else if (b === 0xf1) {
      entry = int(lp.readInt16LE(p + 1));
      size = 3;
    } else if (b === 0xf2) {
      entry = int(lp.readIntLE(p + 1, 3));
      size = 4;
    } else if (b === 0xf3) {
      entry = int(lp.readInt32LE(p + 1));
      size = 5;
    } else if (b === 0xf4) {
      entry = int(lp.readBigInt64LE(p + 1));
      size = 9;
    } else {
      return null;
    }
    if (p + size > lp.length) return null;
    out.push(Buffer.from(entry));
    p += size + backlenBytes(size);
    // The back length, read from its last byte as lpValidateNext reads it, must give the entry's size.
    if (p > lp.length || backlenAt(lp, p - 1) !== size) return null;
  }
  return out;
}

/** The back length ending at `lp[end]` (lpDecodeBacklen), or -1 when malformed. */
function backlenAt(lp: Buffer, end: number): number {
  let value = 0;
  for (let shift = 0, p = end; p >= 0 && shift <= 28; shift += 7, p--) {
    const b = lp[p] as number;
    value += (b & 127) * 2 ** shift;
    if ((b & 128) === 0) return value;
  }
  return -1;
}
