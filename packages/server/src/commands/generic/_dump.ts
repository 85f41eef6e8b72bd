/**
 * DUMP and RESTORE's payload: a value in Redis's RDB serialization (type byte, value), then the RDB
 * version and a CRC-64, as redis-server 7.0 writes and reads it. Sluice writes strings (type 0), lists
 * (type 1), sets (type 2) and hashes (type 4) in their plain forms, uncompressed, which redis-server reads
 * whatever its settings; sorted sets as redis-server 7.0 writes them, uncompressed: a listpack (type 17)
 * while the set is one, else its members from the highest to the lowest with binary scores (type 5).
 * It reads those and the compact forms redis-server writes: integer and LZF-compressed strings, hashes as
 * listpacks (type 16) or ziplists (type 13, Redis 6), sets as intsets (type 11), lists as quicklists of
 * listpacks (type 18, Redis 7) or of ziplists (type 14, Redis 3.2 to 6) and as ziplists (type 10,
 * older), sorted sets with scores as text (type 3, before Redis 4) or as ziplists (type 12, Redis 6).
 * Streams are written as redis-server 7.0 writes them (type 19) and read in types 19 and 15
 * (stream/_dump.ts).
 *
 * Sluice checks a payload whole, as redis-server does with sanitize-dump-payload yes: a listpack or a
 * ziplist must be well formed to its end, and a sorted set of any type must not name a member twice.
 * A score that is NaN is refused in every type (redis-server keeps one read from a listpack).
 */

import { encodeLength, encodeString, RdbReader } from '../../rdb.js';
import { parseInteger } from '../_args.js';
import { cText, formatG17, strtodPrefix } from '../_double.js';
import {
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  readStream,
  type StreamValue,
  serializeStream,
} from '../stream/_dump.js';
import { encodeListpack, encodeStringObject, listpackEntries } from './_listpack.js';

export { serializeStream };

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
const RDB_TYPE_ZSET = 3;
const RDB_TYPE_ZSET_2 = 5;
const RDB_TYPE_ZSET_ZIPLIST = 12;
const RDB_TYPE_ZSET_LISTPACK = 17;

/** A value read from a payload: a string, a set's members, or a hash's fields and values. */
export type DumpedValue =
  | { readonly type: 'string'; readonly value: Buffer }
  | { readonly type: 'list'; readonly items: Buffer[] }
  | { readonly type: 'set'; readonly members: Buffer[]; readonly encoding: 'intset' | 'plain' }
  | { readonly type: 'hash'; readonly pairs: [Buffer, Buffer][]; readonly encoding: 'listpack' | 'plain' }
  /**
   * A sorted set's members with their scores, in order (by score, then member) when written; `listpack`
   * for types 12 and 17, whose set stays one up to zset-max-listpack-entries members whatever their
   * length, and keeps a -0 score.
   */
  | { readonly type: 'zset'; readonly elements: ZsetElement[]; readonly encoding: 'listpack' | 'plain' }
  /** A stream: its listpack nodes, state and consumer groups (stream/_dump.ts). */
  | StreamValue;

/** One member of a sorted set and its score. */
export interface ZsetElement {
  readonly score: number;
  readonly member: Buffer;
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
    case 'zset':
      return value.encoding === 'listpack' ? zsetListpack(value.elements) : zsetSkiplist(value.elements);
    case 'stream':
      return serializeStream(value);
  }
}

/** A listpack sorted set as redis-server 7.0 dumps it: type 17, its listpack as one string. */
function zsetListpack(elements: readonly ZsetElement[]): Buffer {
  const entries: Buffer[] = [];
  for (const { score, member } of elements) entries.push(member, listpackScore(score));
  return Buffer.concat([Buffer.from([RDB_TYPE_ZSET_LISTPACK]), encodeString(encodeListpack(entries))]);
}

/**
 * A skiplist sorted set as redis-server 7.0 dumps it: type 5, the number of members, then each member
 * and its score (8 bytes, little-endian), from the highest to the lowest.
 */
function zsetSkiplist(elements: readonly ZsetElement[]): Buffer {
  const parts: Buffer[] = [Buffer.from([RDB_TYPE_ZSET_2]), encodeLength(elements.length)];
  for (let i = elements.length - 1; i >= 0; i--) {
    const { score, member } = elements[i] as ZsetElement;
    const binary = Buffer.allocUnsafe(8);
    binary.writeDoubleLE(score, 0);
    parts.push(encodeStringObject(member), binary);
  }
  return Buffer.concat(parts);
}

/** The bounds of redis-server's double2ll: integers up to LLONG_MAX / 2 in magnitude, as doubles. */
const DOUBLE2LL_MAX = 2 ** 62;

/**
 * A score as a listpack holds it (zzlInsertAt): an integer when it is one within ±2^62 (then encoded
 * as an integer), else its `%.17g` text; a -0 (which only a payload's listpack can give Sluice) as it
 * came.
 */
function listpackScore(score: number): Buffer {
  if (Object.is(score, -0)) return Buffer.from('-0');
  if (Number.isInteger(score) && score >= -DOUBLE2LL_MAX && score <= DOUBLE2LL_MAX) {
    return Buffer.from(BigInt(score).toString(), 'latin1');
  }
  return Buffer.from(formatG17(score), 'latin1');
}

/**
 * Reads a payload's value (version and checksum already verified; what follows the value is not read),
 * or null for "Bad data format".
 */
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
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = reader.count();
      if (n === null || n === 0) return null;
      const elements: ZsetElement[] = [];
      for (let i = 0; i < n; i++) {
        const member = reader.string();
        const score =
          member === null ? null : type === RDB_TYPE_ZSET_2 ? binaryScore(reader) : textScore(reader);
        if (member === null || score === null) return null;
        elements.push({ score, member: Buffer.from(member) });
      }
      return distinctMembers(elements) ? { type: 'zset', elements, encoding: 'plain' } : null;
    }
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_ZSET_ZIPLIST: {
      const blob = reader.string();
      if (blob === null) return null;
      const items = type === RDB_TYPE_ZSET_LISTPACK ? listpackEntries(blob) : ziplistEntries(blob);
      if (items === null || items.length === 0 || items.length % 2 !== 0) return null;
      const elements: ZsetElement[] = [];
      for (let i = 0; i < items.length; i += 2) {
        const score = packedScore(items[i + 1] as Buffer);
        if (score === null) return null;
        elements.push({ score, member: items[i] as Buffer });
      }
      return distinctMembers(elements) ? { type: 'zset', elements, encoding: 'listpack' } : null;
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return readStream(reader, type);
    default:
      return null;
  }
}

/** A type 5 score: 8 bytes, a little-endian double; NaN is refused (null). */
function binaryScore(reader: RdbReader): number | null {
  const bytes = reader.bytes(8);
  if (bytes === null) return null;
  const score = bytes.readDoubleLE(0);
  return Number.isNaN(score) ? null : score;
}

/**
 * A type 3 score (rdbLoadDoubleValue): a length byte, 253, 254 and 255 standing for NaN (refused), inf
 * and -inf, else that many bytes of text read with sscanf's `%lg` (a number at its start; null when
 * there is none).
 */
function textScore(reader: RdbReader): number | null {
  const len = reader.byte();
  if (len === null || len === 253) return null;
  if (len === 254) return Number.POSITIVE_INFINITY;
  if (len === 255) return Number.NEGATIVE_INFINITY;
  const text = reader.bytes(len);
  if (text === null) return null;
  const score = strtodPrefix(cText(text));
  return score === null || Number.isNaN(score) ? null : score;
}

/**
 * A score read from a listpack or ziplist entry as zzlGetScore reads it: an integer entry as it is, a
 * string's first 127 bytes with strtod (0 when it reads no number); NaN is refused (null).
 */
function packedScore(entry: Buffer): number | null {
  const int = parseInteger(entry, 0, entry.length);
  if (int !== null) return Number(int);
  const score = strtodPrefix(cText(entry.subarray(0, 127))) ?? 0;
  return Number.isNaN(score) ? null : score;
}

/** Whether no member is named twice. */
function distinctMembers(elements: readonly ZsetElement[]): boolean {
  const seen = new Set<string>();
  for (const { member } of elements) {
    const name = member.toString('latin1');
    if (seen.has(name)) return false;
    seen.add(name);
  }
  return true;
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
