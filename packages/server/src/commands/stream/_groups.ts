/**
 * Consumer groups, as redis-server 7.0's t_stream.c keeps them, stored as entries of the stream's
 * collection (keyspace/collections.ts):
 *
 * - `id · 0x07 · group` holds a group: its last delivered id, entries read (-1 when unknown), and the
 *   sizes of its PEL and of its consumers.
 * - `id · 0x08 · len · group · consumer` holds a consumer: when it was last seen and its PEL's size.
 * - `id · 0x09 · len · group · entry id` is the group's PEL: per pending entry, its delivery time, its
 *   delivery count and its consumer; `id · 0x0a · len · group · len · consumer · entry id` is that
 *   consumer's own view of it. XACK, XCLAIM and XPENDING ranges are seeks in them.
 *
 * (`len` is a name's length, 2 bytes big-endian, so that one group's entries never mix with another's.)
 */
import { streamKey } from '../../keyspace/collections.js';
import { NOTIFY_STREAM, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { compareIds, idBytes, MAX_ID, MIN_ID, type OpenStream, readId, type StreamId } from './_shared.js';

export const TAG_GROUP = 0x07;
const TAG_CONSUMER = 0x08;
const TAG_PEL = 0x09;
const TAG_CONSUMER_PEL = 0x0a;
/** Element entries start with a flags byte and 4 bytes, as other collections' do. */
const HEADER = 5;

export const INVALID_ENTRIES_READ = -1n;

export interface Group {
  readonly name: Buffer;
  lastId: StreamId;
  entriesRead: bigint;
  pending: number;
  consumers: number;
}

export interface Consumer {
  readonly name: Buffer;
  seenTime: number;
  pending: number;
}

/** A pending entry (NACK). */
export interface Nack {
  readonly id: StreamId;
  deliveryTime: number;
  deliveryCount: bigint;
  consumer: Buffer;
}

function len2(b: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2);
  out.writeUInt16BE(b.length, 0);
  return out;
}

/** A bound after every stored key that starts with `prefix` (LMDB keys stop at 1978 bytes). */
function pastAll(prefix: Buffer): Buffer {
  return Buffer.concat([prefix, Buffer.alloc(Math.max(1, 1977 - prefix.length), 0xff)]);
}

export function groupKey(s: OpenStream, name: Uint8Array): Buffer {
  return streamKey(s.id, TAG_GROUP, name);
}

function consumerKey(s: OpenStream, group: Uint8Array, name: Uint8Array): Buffer {
  return streamKey(s.id, TAG_CONSUMER, len2(group), group, name);
}

function pelKey(s: OpenStream, group: Uint8Array, id: StreamId): Buffer {
  return streamKey(s.id, TAG_PEL, len2(group), group, idBytes(id));
}

function consumerPelKey(s: OpenStream, group: Uint8Array, consumer: Uint8Array, id: StreamId): Buffer {
  return streamKey(s.id, TAG_CONSUMER_PEL, len2(group), group, len2(consumer), consumer, idBytes(id));
}

function encodeGroup(g: Group): Buffer {
  const out = Buffer.alloc(HEADER + 16 + 8 + 8);
  idBytes(g.lastId).copy(out, HEADER);
  out.writeBigInt64BE(g.entriesRead, HEADER + 16);
  out.writeUInt32BE(g.pending, HEADER + 24);
  out.writeUInt32BE(g.consumers, HEADER + 28);
  return out;
}

function decodeGroup(name: Buffer, record: Buffer): Group {
  return {
    name,
    lastId: readId(record, HEADER),
    entriesRead: record.readBigInt64BE(HEADER + 16),
    pending: record.readUInt32BE(HEADER + 24),
    consumers: record.readUInt32BE(HEADER + 28),
  };
}

export function getGroup(c: CommandContext, s: OpenStream, name: Buffer): Group | null {
  const record = c.server.keyspace.getElement(groupKey(s, name));
  return record === undefined ? null : decodeGroup(Buffer.from(name), record);
}

export function putGroup(c: CommandContext, s: OpenStream, g: Group): void {
  c.server.keyspace.putElement(groupKey(s, g.name), encodeGroup(g));
}

/** Every group of `s`, in name order (as redis-server's rax lists them). */
export function groupsOf(c: CommandContext, s: OpenStream): Group[] {
  const out: Group[] = [];
  const low = streamKey(s.id, TAG_GROUP);
  const high = streamKey(s.id, TAG_GROUP + 1);
  for (const { stored, record } of c.server.keyspace.elementRange(low, high)) {
    if (stored.length === low.length && stored[low.length - 1] === TAG_GROUP + 1) continue;
    out.push(decodeGroup(Buffer.from(stored.subarray(low.length)), record));
  }
  return out;
}

/** Removes a group, its consumers and its PEL. */
export function destroyGroup(c: CommandContext, s: OpenStream, g: Group): void {
  const keyspace = c.server.keyspace;
  keyspace.putElement(groupKey(s, g.name), null);
  for (const tag of [TAG_CONSUMER, TAG_PEL, TAG_CONSUMER_PEL]) {
    const low = streamKey(s.id, tag, len2(g.name), g.name);
    const high = pastAll(low);
    const gone: Buffer[] = [];
    for (const { stored } of keyspace.elementRange(low, high)) gone.push(Buffer.from(stored));
    for (const k of gone) keyspace.putElement(k, null);
  }
}

function encodeConsumer(k: Consumer): Buffer {
  const out = Buffer.alloc(HEADER + 16);
  out.writeDoubleBE(k.seenTime, HEADER);
  out.writeUInt32BE(k.pending, HEADER + 8);
  return out;
}

export function getConsumer(c: CommandContext, s: OpenStream, g: Group, name: Buffer): Consumer | null {
  const record = c.server.keyspace.getElement(consumerKey(s, g.name, name));
  if (record === undefined) return null;
  return {
    name: Buffer.from(name),
    seenTime: record.readDoubleBE(HEADER),
    pending: record.readUInt32BE(HEADER + 8),
  };
}

export function putConsumer(c: CommandContext, s: OpenStream, g: Group, k: Consumer): void {
  c.server.keyspace.putElement(consumerKey(s, g.name, k.name), encodeConsumer(k));
}

/** Every consumer of a group, in name order. */
export function consumersOf(c: CommandContext, s: OpenStream, g: Group): Consumer[] {
  const low = streamKey(s.id, TAG_CONSUMER, len2(g.name), g.name);
  const high = pastAll(low);
  const out: Consumer[] = [];
  for (const { stored, record } of c.server.keyspace.elementRange(low, high)) {
    out.push({
      name: Buffer.from(stored.subarray(low.length)),
      seenTime: record.readDoubleBE(HEADER),
      pending: record.readUInt32BE(HEADER + 8),
    });
  }
  return out;
}

/**
 * A new consumer (streamCreateConsumer), announced with xgroup-createconsumer on the key at argument
 * `keyAt`.
 */
export function createConsumer(
  c: CommandContext,
  s: OpenStream,
  g: Group,
  name: Buffer,
  keyAt: number,
): Consumer {
  const k: Consumer = { name: Buffer.from(name), seenTime: c.now, pending: 0 };
  putConsumer(c, s, g, k);
  g.consumers++;
  putGroup(c, s, g);
  notify(c, NOTIFY_STREAM, 'xgroup-createconsumer', keyAt);
  return k;
}

/** Deletes a consumer and its pending entries; returns how many it had. */
export function deleteConsumer(c: CommandContext, s: OpenStream, g: Group, k: Consumer): number {
  const keyspace = c.server.keyspace;
  const nacks = consumerPending(c, s, g, k.name, MIN_ID, MAX_ID, 0);
  for (const id of nacks) {
    keyspace.putElement(pelKey(s, g.name, id), null);
    keyspace.putElement(consumerPelKey(s, g.name, k.name, id), null);
  }
  keyspace.putElement(consumerKey(s, g.name, k.name), null);
  g.pending -= nacks.length;
  g.consumers--;
  putGroup(c, s, g);
  return nacks.length;
}

function encodeNack(n: Nack): Buffer {
  const out = Buffer.alloc(HEADER + 16 + n.consumer.length);
  out.writeDoubleBE(n.deliveryTime, HEADER);
  out.writeBigUInt64BE(n.deliveryCount, HEADER + 8);
  n.consumer.copy(out, HEADER + 16);
  return out;
}

function decodeNack(id: StreamId, record: Buffer): Nack {
  return {
    id,
    deliveryTime: record.readDoubleBE(HEADER),
    deliveryCount: record.readBigUInt64BE(HEADER + 8),
    consumer: Buffer.from(record.subarray(HEADER + 16)),
  };
}

export function getNack(c: CommandContext, s: OpenStream, g: Group, id: StreamId): Nack | null {
  const record = c.server.keyspace.getElement(pelKey(s, g.name, id));
  return record === undefined ? null : decodeNack(id, record);
}

/** Writes a pending entry (its consumer's view is written by `ownNack`). */
export function putNack(c: CommandContext, s: OpenStream, g: Group, n: Nack): void {
  c.server.keyspace.putElement(pelKey(s, g.name, n.id), encodeNack(n));
}

/** Adds or removes entry `id` in consumer `name`'s own PEL. */
export function ownNack(
  c: CommandContext,
  s: OpenStream,
  g: Group,
  name: Buffer,
  id: StreamId,
  own: boolean,
): void {
  c.server.keyspace.putElement(consumerPelKey(s, g.name, name, id), own ? Buffer.alloc(HEADER) : null);
}

/** Removes a pending entry from the group's PEL and its consumer's (XACK). */
export function dropNack(c: CommandContext, s: OpenStream, g: Group, n: Nack): void {
  c.server.keyspace.putElement(pelKey(s, g.name, n.id), null);
  ownNack(c, s, g, n.consumer, n.id, false);
  g.pending--;
  const k = getConsumer(c, s, g, n.consumer);
  if (k !== null) {
    k.pending--;
    putConsumer(c, s, g, k);
  }
}

/** The group's pending entries with ids in [start, end], at most `count` (0: all). */
export function groupPending(
  c: CommandContext,
  s: OpenStream,
  g: Group,
  start: StreamId,
  end: StreamId,
  visit: (n: Nack) => boolean,
): void {
  const low = pelKey(s, g.name, start);
  const high = pelKey(s, g.name, end);
  for (const { stored, record } of c.server.keyspace.elementRange(low, high)) {
    if (!visit(decodeNack(readId(stored, stored.length - 16), record))) return;
  }
}

/** The ids in a consumer's own PEL within [start, end], at most `count` (0: all). */
export function consumerPending(
  c: CommandContext,
  s: OpenStream,
  g: Group,
  consumer: Buffer,
  start: StreamId,
  end: StreamId,
  count: number,
): StreamId[] {
  const out: StreamId[] = [];
  const low = consumerPelKey(s, g.name, consumer, start);
  const high = consumerPelKey(s, g.name, consumer, end);
  for (const { stored } of c.server.keyspace.elementRange(low, high)) {
    out.push(readId(stored, stored.length - 16));
    if (count > 0 && out.length >= count) break;
  }
  return out;
}

/** The first or last id of the group's PEL. */
export function pendingEdge(c: CommandContext, s: OpenStream, g: Group, last: boolean): StreamId | null {
  const low = pelKey(s, g.name, MIN_ID);
  const high = pelKey(s, g.name, MAX_ID);
  for (const { stored } of c.server.keyspace.elementRange(low, high, last))
    return readId(stored, stored.length - 16);
  return null;
}

/** Whether the stream has a deleted entry in [start, end] (streamRangeHasTombstones). */
export function rangeHasTombstones(s: OpenStream, start: StreamId | null, end: StreamId | null): boolean {
  const st = s.state;
  if (s.count === 0 || compareIds(st.maxDeletedId, MIN_ID) === 0) return false;
  if (compareIds(st.firstId, st.maxDeletedId) > 0) return false;
  return compareIds(start ?? MIN_ID, st.maxDeletedId) <= 0 && compareIds(st.maxDeletedId, end ?? MAX_ID) <= 0;
}

/** The entries-read counter of id `id`, or -1 when it cannot be known (streamEstimateDistanceFromFirstEverEntry). */
export function estimateEntriesRead(s: OpenStream, id: StreamId): bigint {
  const st = s.state;
  if (st.entriesAdded === 0n) return 0n;
  if (s.count === 0 && compareIds(id, st.lastId) < 1) return st.entriesAdded;
  const cmpLast = compareIds(id, st.lastId);
  if (cmpLast === 0) return st.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const cmpFirst = compareIds(id, st.firstId);
  if (compareIds(st.maxDeletedId, MIN_ID) === 0 || compareIds(st.maxDeletedId, st.firstId) < 0) {
    if (cmpFirst < 0) return st.entriesAdded - BigInt(s.count);
    if (cmpFirst === 0) return st.entriesAdded - BigInt(s.count) + 1n;
  }
  return INVALID_ENTRIES_READ;
}

/** A group's lag, or null when it cannot be known (streamReplyWithCGLag). */
export function groupLag(s: OpenStream, g: Group): bigint | null {
  const st = s.state;
  if (st.entriesAdded === 0n) return 0n;
  if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, g.lastId, null)) {
    return st.entriesAdded - g.entriesRead;
  }
  const read = estimateEntriesRead(s, g.lastId);
  return read === INVALID_ENTRIES_READ ? null : st.entriesAdded - read;
}
