import { createHash } from 'node:crypto';
import { copyBytes, sliceCopy } from '@sluice/protocol';

/**
 * How Redis keys and values are stored in LMDB.
 *
 * Keys: lmdb-js rejects the empty key and keys over 1978 bytes, while Redis keys can be any byte string.
 * Every stored key therefore starts with a tag byte: `0x00` then the key itself for keys of up to 1977
 * bytes (the empty key becomes the single byte `0x00`), or `0x01` then the SHA-256 of the key for longer
 * keys, whose record then holds the full key so that a read can check it.
 *
 * Records: a flags byte, then the expiry time (milliseconds since the epoch, float64 LE) if it has one,
 * then the full key (uint32 LE length, bytes) for hashed keys, then the value.
 */

/** Buffer's own latin1 decoder, looked up once: through `Buffer.prototype` at each call it costs a third more. */
const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }
).latin1Slice;

/**
 * What lmdb-js's getBinaryFast returned, as a Buffer. Values under 16 MiB come in its shared read buffer
 * (a Buffer whose `length` is set to the value's, valid until the next read); larger ones as a plain
 * Uint8Array view of the memory map, which has none of Buffer's methods: it gets a Buffer view of the same
 * bytes (no copy; not to be kept past the next write, like the shared buffer).
 */
export function asBuffer(value: Uint8Array | undefined): Buffer | undefined {
  if (value === undefined || Buffer.isBuffer(value)) return value;
  return Buffer.from(value.buffer, value.byteOffset, value.length);
}

/** Bytes as a latin1 string (the overlays' keys), without the copy `toString` may make. */
export function latin1(b: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(b, start, end);
}

export const MAX_DIRECT_KEY = 1977;
const TAG_DIRECT = 0x00;
const TAG_HASHED = 0x01;

export const FLAG_EXPIRES = 0x01;
export const FLAG_HASHED_KEY = 0x02;
/**
 * How redis-server would have built the value, for OBJECT ENCODING: APPEND to a key and SETRANGE build a
 * raw string whatever its length (`FLAG_RAW`); INCRBYFLOAT builds embstr or raw by length, never int
 * (`FLAG_NO_INT`). Without either, the value is named as tryObjectEncoding names it. Copies keep them.
 */
export const FLAG_RAW = 0x04;
export const FLAG_NO_INT = 0x08;
/** What a copy of a record keeps of its flags: how its value was built, and its type (collections.ts). */
const ENCODING_FLAGS = FLAG_RAW | FLAG_NO_INT | 0x70;

/** Stored form of `key[start, end)`, in a fresh buffer. */
export function encodeKey(key: Uint8Array, start = 0, end = key.length): Buffer {
  const len = end - start;
  if (len <= MAX_DIRECT_KEY) {
    const out = Buffer.allocUnsafe(len + 1);
    out[0] = TAG_DIRECT;
    copyBytes(out, 1, key, start, end);
    return out;
  }
  const out = Buffer.allocUnsafe(33);
  out[0] = TAG_HASHED;
  createHash('sha256').update(key.subarray(start, end)).digest().copy(out, 1);
  return out;
}

/**
 * A Redis key given as a range of a buffer (a request's bytes), for reads: the data sub-databases' key
 * encoder (`storedKeyEncoder`) writes its stored form straight into lmdb-js's key buffer, so a read
 * allocates nothing and copies the key once.
 */
export class KeyRange {
  buf: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
}

/**
 * lmdb-js `keyEncoder` of the data sub-databases: a Buffer is a stored key, written as is; a KeyRange is
 * a Redis key, encoded as `encodeKey` does. Keys read back (getRange) are Buffers of the stored key.
 */
export const storedKeyEncoder = {
  writeKey(key: Uint8Array | KeyRange, target: Uint8Array, pos: number): number {
    if (!(key instanceof KeyRange)) {
      target.set(key, pos);
      return pos + key.length;
    }
    const { buf, start, end } = key;
    const len = end - start;
    if (len > MAX_DIRECT_KEY) {
      const stored = encodeKey(buf, start, end);
      target.set(stored, pos);
      return pos + stored.length;
    }
    target[pos] = TAG_DIRECT;
    copyBytes(target, pos + 1, buf, start, end);
    return pos + 1 + len;
  },
  readKey(source: Uint8Array, start: number, end: number): Buffer {
    return sliceCopy(source, start, end);
  },
};

/** Decodes a stored key back to the Redis key; hashed keys need their record (`record`). */
export function decodeKey(stored: Uint8Array, record: Uint8Array | undefined): Buffer {
  if (stored[0] === TAG_DIRECT) return sliceCopy(stored, 1, stored.length);
  if (record === undefined) throw new Error('hashed key without its record');
  const { keyStart, keyEnd } = layout(record);
  return sliceCopy(record, keyStart, keyEnd);
}

export interface RecordLayout {
  flags: number;
  /** Expiry in ms since the epoch, or 0 for none. */
  expiresAt: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
}

const scratchLayout: RecordLayout = { flags: 0, expiresAt: 0, keyStart: 0, keyEnd: 0, valueStart: 0 };

/** Reads a record's header. Returns a shared object: copy what you keep. */
export function layout(record: Uint8Array): RecordLayout {
  const flags = record[0] as number;
  let pos = 1;
  let expiresAt = 0;
  if (flags & FLAG_EXPIRES) {
    expiresAt = new DataView(record.buffer, record.byteOffset + 1, 8).getFloat64(0, true);
    pos += 8;
  }
  let keyStart = pos;
  let keyEnd = pos;
  if (flags & FLAG_HASHED_KEY) {
    const len = new DataView(record.buffer, record.byteOffset + pos, 4).getUint32(0, true);
    keyStart = pos + 4;
    keyEnd = keyStart + len;
    pos = keyEnd;
  }
  scratchLayout.flags = flags;
  scratchLayout.expiresAt = expiresAt;
  scratchLayout.keyStart = keyStart;
  scratchLayout.keyEnd = keyEnd;
  scratchLayout.valueStart = pos;
  return scratchLayout;
}

/** Expiry of a record in ms since the epoch, 0 for none. Faster than `layout` when that is all. */
export function expiryOf(record: Uint8Array): number {
  if (((record[0] as number) & FLAG_EXPIRES) === 0) return 0;
  return new DataView(record.buffer, record.byteOffset + 1, 8).getFloat64(0, true);
}

/**
 * Builds a record for `value[vStart, vEnd)` under `key[kStart, kEnd)` with an expiry (0 for none).
 * The result is a fresh buffer: lmdb-js keeps a reference to it until the write commits.
 */
export function encodeRecord(
  key: Uint8Array,
  kStart: number,
  kEnd: number,
  value: Uint8Array,
  vStart: number,
  vEnd: number,
  expiresAt: number,
  /** `FLAG_RAW` or `FLAG_NO_INT`, or 0. */
  encoding = 0,
): Buffer {
  const hashed = kEnd - kStart > MAX_DIRECT_KEY;
  const header = 1 + (expiresAt > 0 ? 8 : 0) + (hashed ? 4 + (kEnd - kStart) : 0);
  const out = Buffer.allocUnsafe(header + (vEnd - vStart));
  out[0] = (expiresAt > 0 ? FLAG_EXPIRES : 0) | (hashed ? FLAG_HASHED_KEY : 0) | encoding;
  let pos = 1;
  if (expiresAt > 0) {
    out.writeDoubleLE(expiresAt, 1);
    pos += 8;
  }
  if (hashed) {
    out.writeUInt32LE(kEnd - kStart, pos);
    copyBytes(out, pos + 4, key, kStart, kEnd);
    pos += 4 + (kEnd - kStart);
  }
  copyBytes(out, pos, value, vStart, vEnd);
  return out;
}

/** How the value of `record` was built (`FLAG_RAW`, `FLAG_NO_INT` or 0): what a copy of it keeps. */
export function encodingOf(record: Uint8Array): number {
  return (record[0] as number) & ENCODING_FLAGS;
}

/** The same record with another expiry (0 for none). */
export function withExpiry(record: Uint8Array, expiresAt: number): Buffer {
  const l = layout(record);
  const keyPart = l.flags & FLAG_HASHED_KEY ? record.subarray(l.keyStart - 4, l.keyEnd) : undefined;
  const value = record.subarray(l.valueStart);
  const header = 1 + (expiresAt > 0 ? 8 : 0) + (keyPart ? keyPart.length : 0);
  const out = Buffer.allocUnsafe(header + value.length);
  out[0] = (expiresAt > 0 ? FLAG_EXPIRES : 0) | (keyPart ? FLAG_HASHED_KEY : 0) | (l.flags & ENCODING_FLAGS);
  let pos = 1;
  if (expiresAt > 0) {
    out.writeDoubleLE(expiresAt, 1);
    pos += 8;
  }
  if (keyPart) {
    out.set(keyPart, pos);
    pos += keyPart.length;
  }
  out.set(value, pos);
  return out;
}

/**
 * A key of the expiry index: one entry per key with an expiry, keyed by (time, database, the stored key or, past
 * 1900 bytes, its SHA-1) so that due keys come first, holding the stored key. Entries are never removed when a key
 * is overwritten or deleted: when an entry comes due, the sweep checks that the key still has exactly
 * that expiry before deleting it, and drops the entry either way. Writes therefore never read old records.
 */
export function expiryIndexKey(expiresAt: number, db: number, stored: Uint8Array): Buffer {
  // The stored key itself when it fits LMDB's key size with the prefix (cheaper than hashing it); else
  // its SHA-1. Entries of both forms sort by time and database first, and the sweep reads the stored key
  // from the entry's value either way.
  const direct = stored.length <= MAX_INDEXED_DIRECT;
  const out = Buffer.allocUnsafe(8 + 2 + (direct ? stored.length : 20));
  out.writeBigUInt64BE(BigInt(Math.min(Math.max(0, Math.floor(expiresAt)), 2 ** 63)), 0);
  out.writeUInt16BE(db, 8);
  if (direct) out.set(stored, 10);
  else createHash('sha1').update(stored).digest().copy(out, 10);
  return out;
}

/** Stored keys up to this length go into expiry index keys as they are (see `expiryIndexKey`). */
const MAX_INDEXED_DIRECT = 1900;

/** The time of an expiry index key, in ms since the epoch. */
export function expiryIndexTime(key: Buffer): number {
  return Number(key.readBigUInt64BE(0));
}

/** The LMDB sub-database number of an expiry index key. */
export function expiryIndexDb(key: Buffer): number {
  return key.readUInt16BE(8);
}
