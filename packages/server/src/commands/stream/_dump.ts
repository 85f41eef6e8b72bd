/**
 * A stream's DUMP payload, as redis-server 7.0's rdbSaveObject writes it (RDB type 19,
 * RDB_TYPE_STREAM_LISTPACKS_2), and how RESTORE reads it back (types 19 and 15, the latter from Redis 5
 * and 6).
 *
 * The payload holds the stream's listpack nodes, each its master id (16 bytes, big-endian ms and seq)
 * and its listpack: the master entry (live count, deleted count, the master fields, a 0), then every
 * entry, live or marked deleted: flags (1 deleted, 2 same fields as the master entry), the id as
 * differences from the master id, the number of fields and the fields unless they are the master's, the
 * values, and the number of listpack items the entry took. Then the length, the last id, the first id,
 * the largest deleted id, the number of entries ever added, and the consumer groups: name, last
 * delivered id, entries read, the pending entries (id, delivery time, delivery count), and the consumers
 * (name, seen time, the ids they own).
 *
 * Sluice keeps the node boundaries redis-server would have (commands/stream/_shared.ts) and the entries
 * marked deleted, so that the nodes it writes are redis-server's, byte for byte, with
 * rdbcompression off (redis-server compresses a listpack longer than 20 bytes with LZF when it can;
 * Sluice writes it as it is, which redis-server reads either way).
 *
 * RESTORE checks a payload as redis-server does with sanitize-dump-payload yes: every listpack must hold
 * well formed stream entries to its end, no node, group, pending entry or consumer twice, every pending
 * entry owned by a consumer of its group.
 */
import { TYPE_STREAM } from '../../keyspace/collections.js';
import { encodeLength, encodeLength64, encodeString, type RdbReader } from '../../rdb.js';
import { parseInteger } from '../_args.js';
import { newCollection } from '../_collection.js';
import type { CommandContext } from '../context.js';
import { encodeListpack, encodeStringObject, listpackEntries } from '../generic/_listpack.js';
import {
  consumerPending,
  consumersOf,
  estimateEntriesRead,
  groupPending,
  groupsOf,
  ownNack,
  putConsumer,
  putGroup,
  putNack,
} from './_groups.js';
import {
  compareIds,
  decodeEntry,
  encodeEntry,
  entryKey,
  forEachEntry,
  forEachTombstone,
  idBytes,
  lpIntSize,
  MAX_ID,
  MIN_ID,
  nodesOf,
  type OpenStream,
  putNode,
  readId,
  type StreamId,
  saveStream,
  tombstoneKey,
} from './_shared.js';

export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

/** One entry of a node: its id, its fields and values, and whether it is marked deleted. */
export interface DumpedEntry {
  readonly id: StreamId;
  readonly fields: Buffer[];
  readonly deleted: boolean;
}

/** A listpack node: its master id and fields, its entries in id order. */
export interface DumpedNode {
  readonly master: StreamId;
  readonly masterFields: Buffer[];
  readonly entries: DumpedEntry[];
  /** The listpack's size, when read from a payload. */
  readonly lpBytes?: number;
}

export interface DumpedNack {
  readonly id: StreamId;
  readonly deliveryTime: number;
  readonly deliveryCount: bigint;
}

export interface DumpedConsumer {
  readonly name: Buffer;
  readonly seenTime: number;
  readonly pel: StreamId[];
}

export interface DumpedGroup {
  readonly name: Buffer;
  readonly lastId: StreamId;
  /** Null from a type 15 payload (Redis 5 and 6 did not count): estimated as redis-server 7.0 does. */
  readonly entriesRead: bigint | null;
  readonly pel: DumpedNack[];
  readonly consumers: DumpedConsumer[];
}

/** A stream as a payload holds it. */
export interface StreamValue {
  readonly type: 'stream';
  readonly nodes: DumpedNode[];
  readonly length: bigint;
  readonly lastId: StreamId;
  readonly firstId: StreamId;
  readonly maxDeletedId: StreamId;
  readonly entriesAdded: bigint;
  readonly groups: DumpedGroup[];
}

// --- From the storage to a payload ---

/** The stream `s` as DUMP serializes it, read from the storage. */
export function streamValue(c: CommandContext, s: OpenStream): StreamValue {
  const nodes: DumpedNode[] = [];
  for (const node of nodesOf(c, s)) {
    const live: DumpedEntry[] = [];
    forEachEntry(c, s, node.master, node.lastId, false, (id, record) => {
      live.push({ id, fields: decodeEntry(record), deleted: false });
      return true;
    });
    const dead: DumpedEntry[] = [];
    forEachTombstone(c, s, node.master, node.lastId, (id, record) => {
      dead.push({ id, fields: decodeEntry(record), deleted: true });
    });
    const entries = [...live, ...dead].sort((x, y) => compareIds(x.id, y.id));
    nodes.push({ master: node.master, masterFields: node.masterFields, entries });
  }
  const groups: DumpedGroup[] = [];
  for (const g of groupsOf(c, s)) {
    const pel: DumpedNack[] = [];
    groupPending(c, s, g, MIN_ID, MAX_ID, (n) => {
      pel.push({ id: n.id, deliveryTime: n.deliveryTime, deliveryCount: n.deliveryCount });
      return true;
    });
    const consumers = consumersOf(c, s, g).map((k) => ({
      name: k.name,
      seenTime: k.seenTime,
      pel: consumerPending(c, s, g, k.name, MIN_ID, MAX_ID, 0),
    }));
    groups.push({ name: g.name, lastId: g.lastId, entriesRead: g.entriesRead, pel, consumers });
  }
  const st = s.state;
  return {
    type: 'stream',
    nodes,
    length: BigInt(s.count),
    lastId: st.lastId,
    firstId: st.firstId,
    maxDeletedId: st.maxDeletedId,
    entriesAdded: st.entriesAdded,
    groups,
  };
}

/** Whether an entry's fields (fields and values) are the master entry's fields, in order. */
function sameFields(masterFields: readonly Buffer[], fields: readonly Buffer[]): boolean {
  if (fields.length !== masterFields.length * 2) return false;
  return masterFields.every((f, k) => f.equals(fields[2 * k] as Buffer));
}

/** A node's listpack, as streamAppendItem builds it. */
function nodeListpack(node: DumpedNode): Buffer {
  const deleted = node.entries.filter((e) => e.deleted).length;
  const items: (Buffer | bigint)[] = [
    BigInt(node.entries.length - deleted),
    BigInt(deleted),
    BigInt(node.masterFields.length),
    ...node.masterFields,
    0n,
  ];
  for (const e of node.entries) {
    const same = sameFields(node.masterFields, e.fields);
    const n = e.fields.length / 2;
    items.push(
      BigInt((e.deleted ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0)),
      BigInt.asIntN(64, e.id.ms - node.master.ms),
      BigInt.asIntN(64, e.id.seq - node.master.seq),
    );
    if (!same) items.push(BigInt(n));
    for (let k = 0; k < e.fields.length; k++) if (!same || k % 2 === 1) items.push(e.fields[k] as Buffer);
    items.push(BigInt(n + 3 + (same ? 0 : n + 1)));
  }
  return encodeListpack(items);
}

function idLengths(id: StreamId): Buffer[] {
  return [encodeLength64(id.ms), encodeLength64(id.seq)];
}

/** A time in milliseconds as rdbSaveMillisecondTime writes it: 8 bytes, little-endian. */
function msTime(t: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeBigInt64LE(BigInt(Math.trunc(t)), 0);
  return out;
}

/** The body of a stream's payload (type 19; the footer is added by the caller). */
export function serializeStream(v: StreamValue): Buffer {
  const parts: Buffer[] = [Buffer.from([RDB_TYPE_STREAM_LISTPACKS_2]), encodeLength(v.nodes.length)];
  for (const node of v.nodes)
    parts.push(encodeString(idBytes(node.master)), encodeString(nodeListpack(node)));
  parts.push(
    encodeLength64(v.length),
    ...idLengths(v.lastId),
    ...idLengths(v.firstId),
    ...idLengths(v.maxDeletedId),
    encodeLength64(v.entriesAdded),
    encodeLength(v.groups.length),
  );
  for (const g of v.groups) {
    parts.push(
      encodeStringObject(g.name),
      ...idLengths(g.lastId),
      encodeLength64(BigInt.asUintN(64, g.entriesRead ?? -1n)),
      encodeLength(g.pel.length),
    );
    for (const n of g.pel) parts.push(idBytes(n.id), msTime(n.deliveryTime), encodeLength64(n.deliveryCount));
    parts.push(encodeLength(g.consumers.length));
    for (const k of g.consumers) {
      parts.push(encodeStringObject(k.name), msTime(k.seenTime), encodeLength(k.pel.length));
      for (const id of k.pel) parts.push(idBytes(id));
    }
  }
  return Buffer.concat(parts);
}

// --- From a payload ---

/** The entries of a node's listpack (streamValidateListpackIntegrity's checks), or null. */
function readNode(master: StreamId, lp: Buffer): DumpedNode | null {
  const items = listpackEntries(lp);
  if (items === null || items.length === 0) return null;
  let i = 0;
  const int = (): bigint | null => {
    const b = items[i++];
    return b === undefined ? null : parseInteger(b, 0, b.length);
  };
  const valid = int();
  const deleted = int();
  const masterCount = int();
  if (valid === null || deleted === null || masterCount === null) return null;
  if (valid < 0n || deleted < 0n || masterCount < 0n || masterCount > BigInt(items.length)) return null;
  const masterFields = items.slice(i, i + Number(masterCount));
  i += Number(masterCount);
  if (int() !== 0n) return null;
  const entries: DumpedEntry[] = [];
  const total = valid + deleted;
  if (total > BigInt(items.length)) return null;
  let live = 0n;
  for (let k = 0n; k < total; k++) {
    const flags = int();
    const msDiff = int();
    const seqDiff = int();
    if (flags === null || msDiff === null || seqDiff === null) return null;
    const same = (flags & BigInt(FLAG_SAMEFIELDS)) !== 0n;
    let n = masterCount;
    let extra = 3n;
    const fields: Buffer[] = [];
    if (!same) {
      const count = int();
      if (count === null || count < 0n || count > BigInt(items.length - i)) return null;
      n = count;
      extra += n + 1n;
    }
    // Without SAMEFIELDS the fields come first, then the values (as streamAppendItem writes them).
    for (let f = 0; f < Number(n); f++) {
      const field = same ? masterFields[f] : items[i++];
      const value = items[i++];
      if (field === undefined || value === undefined) return null;
      fields.push(field, value);
    }
    if (int() !== n + extra) return null;
    const isDeleted = (flags & BigInt(FLAG_DELETED)) !== 0n;
    if (!isDeleted) live++;
    entries.push({
      id: { ms: BigInt.asUintN(64, master.ms + msDiff), seq: BigInt.asUintN(64, master.seq + seqDiff) },
      fields,
      deleted: isDeleted,
    });
  }
  if (i !== items.length) return null;
  return { master, masterFields, entries, lpBytes: lp.length };
}

/**
 * A length as rdbLoadLen reads it: null past the end; an encoding marker gives its low 6 bits; an
 * unknown first byte gives RDB_LENERR (2^64 - 1) after one byte.
 */
function rdbLen(reader: RdbReader): bigint | null {
  const first = reader.byte();
  if (first === null) return null;
  const kind = first >> 6;
  if (kind === 0 || kind === 3) return BigInt(first & 0x3f);
  if (kind === 1) {
    const second = reader.byte();
    return second === null ? null : BigInt(((first & 0x3f) << 8) | second);
  }
  if (first === 0x80 || first === 0x81) {
    const b = reader.bytes(first === 0x80 ? 4 : 8);
    if (b === null) return null;
    return first === 0x80 ? BigInt(b.readUInt32BE(0)) : b.readBigUInt64BE(0);
  }
  return LENERR;
}

const LENERR = 2n ** 64n - 1n;

/**
 * A length redis-server checks (node, group, pending entry and consumer counts): RDB_LENERR is refused,
 * and so is a count no payload could hold.
 */
function rdbCount(reader: RdbReader): number | null {
  const n = rdbLen(reader);
  return n === null || n === LENERR || n > BigInt(reader.remaining) ? null : Number(n);
}

/** A value redis-server reads without checking it (ids, counters): RDB_LENERR stays as it is. */
function readIdLengths(reader: RdbReader): StreamId | null {
  const ms = rdbLen(reader);
  const seq = ms === null ? null : rdbLen(reader);
  return ms === null || seq === null ? null : { ms, seq };
}

function readMsTime(reader: RdbReader): number | null {
  const b = reader.bytes(8);
  return b === null ? null : Number(b.readBigInt64LE(0));
}

function rawId(reader: RdbReader): StreamId | null {
  const b = reader.bytes(16);
  return b === null ? null : readId(b, 0);
}

/** A stream's value (after its type byte, `type` 15 or 19), or null for "Bad data format". */
export function readStream(reader: RdbReader, type: number): StreamValue | null {
  const nodeCount = rdbCount(reader);
  if (nodeCount === null) return null;
  const nodes: DumpedNode[] = [];
  const masters = new Set<string>();
  for (let k = 0; k < nodeCount; k++) {
    const key = reader.string();
    if (key === null || key.length !== 16) return null;
    const master = readId(key, 0);
    const lp = reader.string();
    if (lp === null) return null;
    const node = readNode(master, Buffer.from(lp));
    if (node === null) return null;
    const name = key.toString('latin1');
    if (masters.has(name)) return null;
    masters.add(name);
    nodes.push(node);
  }
  nodes.sort((x, y) => compareIds(x.master, y.master));
  const length = rdbLen(reader);
  const lastId = readIdLengths(reader);
  if (length === null || lastId === null) return null;
  let firstId: StreamId;
  let maxDeletedId: StreamId = MIN_ID;
  let entriesAdded: bigint;
  if (type === RDB_TYPE_STREAM_LISTPACKS_2) {
    const first = readIdLengths(reader);
    const maxDeleted = first === null ? null : readIdLengths(reader);
    const added = maxDeleted === null ? null : rdbLen(reader);
    if (first === null || maxDeleted === null || added === null) return null;
    firstId = first;
    maxDeletedId = maxDeleted;
    entriesAdded = added;
  } else {
    // Redis 5 and 6 kept neither: the first live entry's id (the largest id when there is none), and as
    // many added as there are (streamGetEdgeID, as rdbLoadObject does for type 15).
    entriesAdded = length;
    firstId = MAX_ID;
    outer: for (const node of nodes) {
      for (const e of node.entries) {
        if (!e.deleted) {
          firstId = e.id;
          break outer;
        }
      }
    }
  }
  if (length > 0n && nodes.length === 0) return null;
  const groupCount = rdbCount(reader);
  if (groupCount === null) return null;
  const groups: DumpedGroup[] = [];
  const groupNames = new Set<string>();
  for (let g = 0; g < groupCount; g++) {
    const name = reader.string();
    const last = name === null ? null : readIdLengths(reader);
    if (name === null || last === null) return null;
    let entriesRead: bigint | null = null;
    if (type === RDB_TYPE_STREAM_LISTPACKS_2) {
      const read = rdbLen(reader);
      if (read === null) return null;
      entriesRead = BigInt.asIntN(64, read);
    }
    if (groupNames.has(name.toString('latin1'))) return null;
    groupNames.add(name.toString('latin1'));
    const pelCount = rdbCount(reader);
    if (pelCount === null) return null;
    const pel: DumpedNack[] = [];
    const pending = new Map<string, string | null>();
    for (let p = 0; p < pelCount; p++) {
      const id = rawId(reader);
      const deliveryTime = id === null ? null : readMsTime(reader);
      const deliveryCount = deliveryTime === null ? null : rdbLen(reader);
      if (id === null || deliveryTime === null || deliveryCount === null) return null;
      const idKey = idBytes(id).toString('latin1');
      if (pending.has(idKey)) return null;
      pending.set(idKey, null);
      pel.push({ id, deliveryTime, deliveryCount });
    }
    const consumerCount = rdbCount(reader);
    if (consumerCount === null) return null;
    const consumers: DumpedConsumer[] = [];
    const consumerNames = new Set<string>();
    for (let k = 0; k < consumerCount; k++) {
      const cname = reader.string();
      const seenTime = cname === null ? null : readMsTime(reader);
      const owned = seenTime === null ? null : rdbCount(reader);
      if (cname === null || seenTime === null || owned === null) return null;
      const cKey = cname.toString('latin1');
      if (consumerNames.has(cKey)) return null;
      consumerNames.add(cKey);
      const ids: StreamId[] = [];
      for (let p = 0; p < owned; p++) {
        const id = rawId(reader);
        if (id === null) return null;
        const idKey = idBytes(id).toString('latin1');
        // Each id must be pending in the group, and owned by one consumer only.
        if (!pending.has(idKey) || pending.get(idKey) !== null) return null;
        pending.set(idKey, cKey);
        ids.push(id);
      }
      consumers.push({ name: Buffer.from(cname), seenTime, pel: ids });
    }
    // As with sanitize-dump-payload yes: no pending entry without a consumer.
    for (const owner of pending.values()) if (owner === null) return null;
    groups.push({ name: Buffer.from(name), lastId: last, entriesRead, pel, consumers });
  }
  return { type: 'stream', nodes, length, lastId, firstId, maxDeletedId, entriesAdded, groups };
}

// --- Into the storage ---

/** Creates the stream at argument 1 from a payload's value (RESTORE, and log mode's applied records). */
export function restoreStream(c: CommandContext, v: StreamValue, expiresAt: number): void {
  const keyspace = c.server.keyspace;
  const s: OpenStream = Object.assign(newCollection(c, TYPE_STREAM), {
    state: {
      lastId: v.lastId,
      maxDeletedId: v.maxDeletedId,
      entriesAdded: v.entriesAdded,
      firstId: v.firstId,
      tail: null as StreamId | null,
    },
  });
  for (const node of v.nodes) {
    let valid = 0;
    for (const e of node.entries) {
      keyspace.putElement(e.deleted ? tombstoneKey(s, e.id) : entryKey(s, e.id), encodeEntry(e.fields));
      if (!e.deleted) valid++;
    }
    const deleted = node.entries.length - valid;
    const lpBytes = node.lpBytes ?? 0;
    putNode(
      c,
      s,
      {
        master: node.master,
        valid,
        deleted,
        bytes: Math.max(0, lpBytes - 7 - lpIntSize(BigInt(valid)) - lpIntSize(BigInt(deleted))),
        lastId: node.entries.at(-1)?.id ?? node.master,
        masterFields: node.masterFields,
      },
      node.master,
    );
    s.state.tail = node.master;
  }
  s.count = Number(v.length);
  for (const dg of v.groups) {
    const g = {
      name: dg.name,
      lastId: dg.lastId,
      entriesRead: dg.entriesRead ?? estimateEntriesRead(s, dg.lastId),
      pending: dg.pel.length,
      consumers: dg.consumers.length,
    };
    putGroup(c, s, g);
    const owners = new Map<string, Buffer>();
    for (const k of dg.consumers) {
      putConsumer(c, s, g, { name: k.name, seenTime: k.seenTime, pending: k.pel.length });
      for (const id of k.pel) {
        owners.set(idBytes(id).toString('latin1'), k.name);
        ownNack(c, s, g, k.name, id, true);
      }
    }
    for (const n of dg.pel) {
      const consumer = owners.get(idBytes(n.id).toString('latin1')) as Buffer;
      putNack(c, s, g, { ...n, consumer });
    }
  }
  s.expiresAt = expiresAt;
  saveStream(c, 1, s);
}
