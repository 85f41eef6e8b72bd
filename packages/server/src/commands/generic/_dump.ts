/**
 * DUMP and RESTORE's payload: a value in Redis's RDB serialization (type byte, value), then the RDB
 * version and a CRC-64, as redis-server 7.0 writes and reads it. Sluice writes strings (type 0), lists
 * (type 1), sets (type 2) and hashes (type 4) in their plain forms, uncompressed, which redis-server reads
 * whatever its settings; it reads those and the compact forms redis-server writes: integer and
 * LZF-compressed strings, hashes as listpacks (type 16) or ziplists (type 13, Redis 6), sets as intsets
 * (type 11), lists as quicklists of listpacks (type 18, Redis 7) or of ziplists (type 14, Redis 3.2 to 6)
 * and as ziplists (type 10, older).
 */
import { encodeLength, encodeString, RdbReader } from '../../rdb.js';

export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
const RDB_TYPE_LIST_ZIPLIST = 10;
const RDB_TYPE_LIST_QUICKLIST = 14;
const RDB_TYPE_LIST_QUICKLIST_2 = 18;
/** A quicklist node's container: one element as it is, or a listpack of several. */
const QUICKLIST_NODE_PLAIN = 1;
const QUICKLIST_NODE_PACKED = 2;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_HASH = 4;
const RDB_TYPE_SET_INTSET = 11;
const RDB_TYPE_HASH_ZIPLIST = 13;
const RDB_TYPE_HASH_LISTPACK = 16;

/** A value read from a payload: a string, a set's members, or a hash's fields and values. */
export type DumpedValue =
  | { readonly type: 'string'; readonly value: Buffer }
  | { readonly type: 'list'; readonly items: Buffer[] }
  | { readonly type: 'set'; readonly members: Buffer[]; readonly encoding: 'intset' | 'plain' }
  | { readonly type: 'hash'; readonly pairs: [Buffer, Buffer][]; readonly encoding: 'listpack' | 'plain' };

/** A string as RDB writes it: an integer encoding when the value is a 32-bit integer in canonical form. */
function encodeStringObject(value: Buffer): Buffer {
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

/** The body of a dump payload (the footer is added by the caller). */
export function serialize(value: DumpedValue): Buffer {
  switch (value.type) {
    case 'string':
      return Buffer.concat([Buffer.from([RDB_TYPE_STRING]), encodeStringObject(value.value)]);
    case 'list':
      return Buffer.concat([
        Buffer.from([RDB_TYPE_LIST]),
        encodeLength(value.items.length),
        ...value.items.map(encodeStringObject),
      ]);
    case 'set':
      return Buffer.concat([
        Buffer.from([RDB_TYPE_SET]),
        encodeLength(value.members.length),
        ...value.members.map(encodeStringObject),
      ]);
    case 'hash':
      return Buffer.concat([
        Buffer.from([RDB_TYPE_HASH]),
        encodeLength(value.pairs.length),
        ...value.pairs.flatMap(([f, v]) => [encodeStringObject(f), encodeStringObject(v)]),
      ]);
  }
}

/** Reads a payload's body (version and checksum already verified), or null for "Bad data format". */
export function deserialize(body: Buffer): DumpedValue | null {
  const reader = new RdbReader(body);
  const type = reader.byte();
  switch (type) {
    case RDB_TYPE_STRING: {
      const value = reader.string();
      return value === null ? null : { type: 'string', value: Buffer.from(value) };
    }
    case RDB_TYPE_LIST: {
      const n = reader.count();
      if (n === null || n === 0) return null;
      const items: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        const item = reader.string();
        if (item === null) return null;
        items.push(Buffer.from(item));
      }
      return { type: 'list', items };
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const blob = reader.string();
      const items = blob === null ? null : ziplistEntries(blob);
      return items === null || items.length === 0 ? null : { type: 'list', items };
    }
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = reader.count();
      if (nodes === null || nodes === 0) return null;
      const items: Buffer[] = [];
      for (let i = 0; i < nodes; i++) {
        const container = type === RDB_TYPE_LIST_QUICKLIST ? QUICKLIST_NODE_PACKED : reader.count();
        const blob = reader.string();
        if (blob === null) return null;
        if (container === QUICKLIST_NODE_PLAIN) {
          items.push(Buffer.from(blob));
          continue;
        }
        if (container !== QUICKLIST_NODE_PACKED) return null;
        const entries = type === RDB_TYPE_LIST_QUICKLIST ? ziplistEntries(blob) : listpackEntries(blob);
        if (entries === null || entries.length === 0) return null;
        items.push(...entries);
      }
      return { type: 'list', items };
    }
    case RDB_TYPE_SET: {
      const n = reader.count();
      if (n === null || n === 0) return null;
      const members: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        const m = reader.string();
        if (m === null) return null;
        members.push(Buffer.from(m));
      }
      return { type: 'set', members, encoding: 'plain' };
    }
    case RDB_TYPE_HASH: {
      const n = reader.count();
      if (n === null || n === 0) return null;
      const pairs: [Buffer, Buffer][] = [];
      for (let i = 0; i < n; i++) {
        const f = reader.string();
        const v = reader.string();
        if (f === null || v === null) return null;
        pairs.push([Buffer.from(f), Buffer.from(v)]);
      }
      return { type: 'hash', pairs, encoding: 'plain' };
    }
    case RDB_TYPE_SET_INTSET: {
      const blob = reader.string();
      const members = blob === null ? null : intsetMembers(blob);
      return members === null || members.length === 0 ? null : { type: 'set', members, encoding: 'intset' };
    }
    case RDB_TYPE_HASH_LISTPACK:
    case RDB_TYPE_HASH_ZIPLIST: {
      const blob = reader.string();
      if (blob === null) return null;
      const items = type === RDB_TYPE_HASH_LISTPACK ? listpackEntries(blob) : ziplistEntries(blob);
      if (items === null || items.length === 0 || items.length % 2 !== 0) return null;
      const pairs: [Buffer, Buffer][] = [];
      for (let i = 0; i < items.length; i += 2) pairs.push([items[i] as Buffer, items[i + 1] as Buffer]);
      return { type: 'hash', pairs, encoding: type === RDB_TYPE_HASH_LISTPACK ? 'listpack' : 'plain' };
    }
    default:
      return null;
  }
}

/** An intset's members, as decimal strings, or null when malformed. */
function intsetMembers(blob: Buffer): Buffer[] | null {
  if (blob.length < 8) return null;
  const width = blob.readUInt32LE(0);
  const count = blob.readUInt32LE(4);
  if ((width !== 2 && width !== 4 && width !== 8) || blob.length !== 8 + width * count) return null;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    const n =
      width === 2
        ? BigInt(blob.readInt16LE(at))
        : width === 4
          ? BigInt(blob.readInt32LE(at))
          : blob.readBigInt64LE(at);
    out.push(Buffer.from(n.toString(), 'latin1'));
  }
  return out;
}

/** The entries of a listpack (Redis 7), integers as decimal strings, or null when malformed. */
function listpackEntries(lp: Buffer): Buffer[] | null {
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
    const backlen = size < 128 ? 1 : size < 16384 ? 2 : size < 2097152 ? 3 : size < 268435456 ? 4 : 5;
    p += size + backlen;
  }
  return out;
}

/** The entries of a ziplist (Redis 6 and older), integers as decimal strings, or null when malformed. */
function ziplistEntries(zl: Buffer): Buffer[] | null {
  if (zl.length < 11 || zl.readUInt32LE(0) !== zl.length) return null;
  const out: Buffer[] = [];
  let p = 10;
  const int = (n: number | bigint) => Buffer.from(String(n), 'latin1');
  for (;;) {
    if (p >= zl.length) return null;
    if (zl[p] === 0xff) break;
    p += zl[p] === 0xfe ? 5 : 1; // previous entry's length
    const b = zl[p] as number;
    let entry: Buffer;
    if (b >> 6 === 0) {
      const len = b & 0x3f;
      entry = zl.subarray(p + 1, p + 1 + len);
      p += 1 + len;
    } else if (b >> 6 === 1) {
      const len = ((b & 0x3f) << 8) | (zl[p + 1] as number);
      entry = zl.subarray(p + 2, p + 2 + len);
      p += 2 + len;
    } else if (b === 0x80) {
      const len = zl.readUInt32BE(p + 1);
      entry = zl.subarray(p + 5, p + 5 + len);
      p += 5 + len;
    } else if (b === 0xc0) {
      entry = int(zl.readInt16LE(p + 1));
      p += 3;
    } else if (b === 0xd0) {
      entry = int(zl.readInt32LE(p + 1));
      p += 5;
    } else if (b === 0xe0) {
      entry = int(zl.readBigInt64LE(p + 1));
      p += 9;
    } else if (b === 0xf0) {
      entry = int(zl.readIntLE(p + 1, 3));
      p += 4;
    } else if (b === 0xfe) {
      entry = int(zl.readInt8(p + 1));
      p += 2;
    } else if (b >= 0xf1 && b <= 0xfd) {
      entry = int((b & 0x0f) - 1);
      p += 1;
    } else {
      return null;
    }
    if (p > zl.length) return null;
    out.push(Buffer.from(entry));
  }
  return out;
}
