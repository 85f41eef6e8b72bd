/**
 * What the stream commands share, as redis-server 7.0's t_stream.c shares it: entry ids, the stream's
 * state, its entries and the listpack nodes redis-server would keep them in (keyspace/collections.ts has
 * the layout).
 *
 * A stream is a collection (its metadata's count is its length) whose entries are keyed by their ids, so
 * that an append and a range read cost a seek whatever the length. Redis groups entries in listpack nodes
 * of at most stream-node-max-entries entries (deleted ones counted) and stream-node-max-bytes bytes; a
 * trim with `~` removes only whole nodes. Each node is recorded (its master id and fields, live and
 * deleted counts, bytes, last id), so that MAXLEN ~ and MINID ~ remove exactly what redis-server removes.
 */
import { errorReply } from '../../errors.js';
import { encodeMeta, streamKey, TYPE_STREAM, typeFlags } from '../../keyspace/collections.js';
import { encodeKey, encodeRecord } from '../../keyspace/encoding.js';
import { parseInteger } from '../_args.js';
import { type OpenCollection, openAt, openOrCreateAt, rememberedAs } from '../_collection.js';
import type { CommandContext } from '../context.js';
import { backlenBytes } from '../generic/_listpack.js';
import type { CommandSpec } from '../spec.js';

/** What every stream command's spec shares. */
export const base = { group: 'stream' } as const satisfies Partial<CommandSpec>;
/** The spec of a command whose only key is argument 1. */
export const oneKey = {
  group: 'stream',
  keys: { first: 1, last: 1, step: 1 },
} as const satisfies Partial<CommandSpec>;

export const U64_MAX = 2n ** 64n - 1n;

/** A stream entry id: milliseconds and sequence number, both unsigned 64-bit. */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const MIN_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: U64_MAX, seq: U64_MAX };

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** An id as 16 bytes (big-endian ms then seq): stored keys sort as ids do. */
export function idBytes(id: StreamId): Buffer {
  const out = Buffer.allocUnsafe(16);
  out.writeBigUInt64BE(id.ms, 0);
  out.writeBigUInt64BE(id.seq, 8);
  return out;
}

export function readId(buf: Uint8Array, at: number): StreamId {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return { ms: b.readBigUInt64BE(at), seq: b.readBigUInt64BE(at + 8) };
}

/** The id after `id`, or null past the last possible one (streamIncrID). */
export function nextId(id: StreamId): StreamId | null {
  if (id.seq !== U64_MAX) return { ms: id.ms, seq: id.seq + 1n };
  if (id.ms !== U64_MAX) return { ms: id.ms + 1n, seq: 0n };
  return null;
}

/** The id before `id`, or null before 0-0 (streamDecrID). */
export function previousId(id: StreamId): StreamId | null {
  if (id.seq !== 0n) return { ms: id.ms, seq: id.seq - 1n };
  if (id.ms !== 0n) return { ms: id.ms - 1n, seq: U64_MAX };
  return null;
}

const SPACES = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/**
 * Redis's string2ull: a 64-bit integer as string2ll reads it (not negative), else what C's strtoull
 * accepts in full (leading spaces, a sign, leading zeros; a minus wraps around), or null.
 */
export function parseU64(text: Buffer): bigint | null {
  const ll = parseInteger(text, 0, text.length);
  if (ll !== null) return ll < 0n ? null : ll;
  let i = 0;
  while (i < text.length && SPACES.has(text[i] as number)) i++;
  let negative = false;
  if (text[i] === 0x2b || text[i] === 0x2d) negative = text[i++] === 0x2d;
  const digits = i;
  let n = 0n;
  while (i < text.length && (text[i] as number) >= 0x30 && (text[i] as number) <= 0x39) {
    n = n * 10n + BigInt((text[i] as number) - 0x30);
    i++;
  }
  if (text.length === 0 || i === digits || i !== text.length) return null;
  if (n > U64_MAX) return null; // ERANGE
  return negative ? (U64_MAX + 1n - n) & U64_MAX : n;
}

/**
 * An id argument, as streamGenericParseIDOrReply reads it: `-` and `+` (unless strict), `ms-seq`, `ms`
 * (seq `missingSeq`), and with `seqStar` `ms-*` (seqGiven false). Null when invalid (not replied).
 */
export function parseId(
  raw: Buffer,
  missingSeq: bigint,
  strict: boolean,
  seqStar = false,
): { id: StreamId; seqGiven: boolean } | null {
  if (raw.length > 127) return null;
  // redis-server reads the argument as a C string: it ends at a NUL byte.
  const nul = raw.indexOf(0);
  const text = nul >= 0 ? raw.subarray(0, nul) : raw;
  if (text.length === 1 && (text[0] === 0x2d || text[0] === 0x2b)) {
    if (strict) return null;
    return { id: text[0] === 0x2d ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = text.indexOf(0x2d);
  const ms = parseU64(dash >= 0 ? text.subarray(0, dash) : text);
  if (ms === null) return null;
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = text.subarray(dash + 1);
  if (seqStar && rest.length === 1 && rest[0] === 0x2a) return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseU64(rest);
  if (seq === null) return null;
  return { id: { ms, seq }, seqGiven: true };
}

/** Argument i as an id (see parseId), or null once the error is replied. */
export function idArg(c: CommandContext, i: number, missingSeq: bigint, strict: boolean): StreamId | null {
  const parsed = parseId(c.args.arg(i), missingSeq, strict);
  if (parsed === null) {
    c.out.error(errorReply('streamInvalidId'));
    return null;
  }
  return parsed.id;
}

/**
 * Argument i as a range bound (streamParseIntervalIDOrReply): `(id` excludes the id (then strict), else
 * as idArg. Null once the error is replied.
 */
export function intervalArg(
  c: CommandContext,
  i: number,
  missingSeq: bigint,
): { id: StreamId; exclusive: boolean } | null {
  const raw = c.args.arg(i);
  const exclusive = raw.length > 1 && raw[0] === 0x28;
  const parsed = parseId(exclusive ? raw.subarray(1) : raw, missingSeq, exclusive);
  if (parsed === null) {
    c.out.error(errorReply('streamInvalidId'));
    return null;
  }
  return { id: parsed.id, exclusive };
}

/** Tags of a stream's stored keys (after its collection id). */
export const TAG_ENTRY = 0x00;
export const TAG_STATE = 0x05;
export const TAG_NODE = 0x06;
export const TAG_GROUP = 0x07;
export const TAG_CONSUMER = 0x08;
export const TAG_PEL = 0x09;
export const TAG_CONSUMER_PEL = 0x0a;
/**
 * Entries marked deleted (XDEL, or a trim within a node) that redis-server still holds in their node's
 * listpack: kept, fields and values, until their node goes, so that DUMP writes the node as it does.
 */
export const TAG_TOMBSTONE = 0x0b;

/** A stream opened by a command: its collection and its state. */
export interface OpenStream extends OpenCollection {
  state: StreamState;
}

/** What redis-server keeps in its stream struct beside the entries. */
export interface StreamState {
  lastId: StreamId;
  maxDeletedId: StreamId;
  entriesAdded: bigint;
  firstId: StreamId;
  /** The master id of the last listpack node (where XADD appends), null when there is none. */
  tail: StreamId | null;
}

/** The element entry header every entry starts with (flags byte, 4 bytes), as other collections'. */
const HEADER = 5;

function encodeState(s: StreamState): Buffer {
  const out = Buffer.alloc(HEADER + 73);
  idBytes(s.lastId).copy(out, HEADER);
  idBytes(s.maxDeletedId).copy(out, HEADER + 16);
  out.writeBigUInt64BE(s.entriesAdded, HEADER + 32);
  idBytes(s.firstId).copy(out, HEADER + 40);
  if (s.tail !== null) {
    out[HEADER + 56] = 1;
    idBytes(s.tail).copy(out, HEADER + 57);
  }
  return out;
}

function decodeState(record: Buffer): StreamState {
  return {
    lastId: readId(record, HEADER),
    maxDeletedId: readId(record, HEADER + 16),
    entriesAdded: record.readBigUInt64BE(HEADER + 32),
    firstId: readId(record, HEADER + 40),
    tail: record[HEADER + 56] === 1 ? readId(record, HEADER + 57) : null,
  };
}

/** `coll` (a stream) with its state read. */
export function withState(c: CommandContext, coll: OpenCollection): OpenStream {
  const record = coll.created ? undefined : c.server.keyspace.getElement(streamKey(coll.id, TAG_STATE));
  const state =
    record === undefined
      ? { lastId: MIN_ID, maxDeletedId: MIN_ID, entriesAdded: 0n, firstId: MIN_ID, tail: null }
      : decodeState(record);
  return Object.assign(coll, { state });
}

/** The stream at argument i: null when missing, undefined once WRONGTYPE is replied. */
export function streamAt(c: CommandContext, i: number): OpenStream | null | undefined {
  const coll = openAt(c, i, TYPE_STREAM);
  if (coll == null) return coll;
  return withState(c, coll);
}

/**
 * The stream at argument i for a write: undefined once WRONGTYPE is replied; null
 * when missing and not `create`.
 */
export function streamForWrite(c: CommandContext, i: number, create: boolean): OpenStream | null | undefined {
  const coll = create ? openOrCreateAt(c, i, TYPE_STREAM) : openAt(c, i, TYPE_STREAM);
  if (coll == null) return coll;
  return withState(c, coll);
}

/**
 * Stores a stream's metadata and state under the key at argument i. Unlike other collections, the
 * record is written even when only entries changed: that wakes XREAD's waiters, and an empty stream stays.
 */
export function saveStream(c: CommandContext, i: number, s: OpenStream): void {
  const a = c.args;
  saveStreamKey(c, a.buffer, a.argStart(i), a.argEnd(i), s);
}

/** `saveStream` for a key given as bytes. */
export function saveStreamKey(
  c: CommandContext,
  buf: Buffer,
  start: number,
  end: number,
  s: OpenStream,
): void {
  const keyspace = c.server.keyspace;
  keyspace.putElement(streamKey(s.id, TAG_STATE), encodeState(s.state));
  const meta = encodeMeta(s);
  c.db.putCollection(
    buf,
    start,
    end,
    encodeRecord(buf, start, end, meta, 0, meta.length, s.expiresAt, typeFlags(TYPE_STREAM)),
    rememberedAs(s),
  );
  if (s.created) {
    keyspace.setOwner(s.id, c.db.physical, encodeKey(buf, start, end));
    (s as { created: boolean }).created = false;
  }
}

/** One entry: its id and its fields and values, in order. */
export interface StreamEntry {
  readonly id: StreamId;
  readonly fields: Buffer[];
}

export function encodeEntry(fields: readonly Uint8Array[]): Buffer {
  let len = HEADER + 4;
  for (const f of fields) len += 4 + f.length;
  const out = Buffer.alloc(len);
  out.writeUInt32LE(fields.length, HEADER);
  let at = HEADER + 4;
  for (const f of fields) {
    out.writeUInt32LE(f.length, at);
    out.set(f, at + 4);
    at += 4 + f.length;
  }
  return out;
}

/** An entry's fields and values (copies: `record` may be lmdb-js's shared buffer). */
export function decodeEntry(record: Buffer): Buffer[] {
  const n = record.readUInt32LE(HEADER);
  const out: Buffer[] = [];
  let at = HEADER + 4;
  for (let k = 0; k < n; k++) {
    const len = record.readUInt32LE(at);
    out.push(Buffer.from(record.subarray(at + 4, at + 4 + len)));
    at += 4 + len;
  }
  return out;
}

export function entryKey(s: OpenCollection, id: StreamId): Buffer {
  return streamKey(s.id, TAG_ENTRY, idBytes(id));
}

export function tombstoneKey(s: OpenCollection, id: StreamId): Buffer {
  return streamKey(s.id, TAG_TOMBSTONE, idBytes(id));
}

/** Marks entry `id` deleted: its stored entry moves to the tombstones (`record` may be shared: copied). */
function buryEntry(c: CommandContext, s: OpenCollection, id: StreamId, record: Buffer): void {
  const keyspace = c.server.keyspace;
  const copy = Buffer.from(record.subarray(0, record.length));
  keyspace.putElement(entryKey(s, id), null);
  keyspace.putElement(tombstoneKey(s, id), copy);
}

/** Visits the deleted entries of `s` with ids in [start, end], in id order. */
export function forEachTombstone(
  c: CommandContext,
  s: OpenCollection,
  start: StreamId,
  end: StreamId,
  visit: (id: StreamId, record: Buffer) => void,
): void {
  const low = tombstoneKey(s, start);
  const high = tombstoneKey(s, end);
  for (const { stored, record } of c.server.keyspace.elementRange(low, high)) {
    visit(readId(stored, stored.length - 16), record);
  }
}

/**
 * Visits the entries of `s` with ids in [start, end] (from end down with `rev`), at most `count` of them
 * (0: all); `visit` returns false to stop.
 */
export function forEachEntry(
  c: CommandContext,
  s: OpenCollection,
  start: StreamId,
  end: StreamId,
  rev: boolean,
  visit: (id: StreamId, record: Buffer) => boolean | undefined,
): void {
  if (compareIds(start, end) > 0) return;
  const low = entryKey(s, start);
  const high = entryKey(s, end);
  for (const { stored, record } of c.server.keyspace.elementRange(low, high, rev)) {
    if (visit(readId(stored, stored.length - 16), record) === false) return;
  }
}

/** The entries with ids in [start, end], at most `count` (0: all), read whole. */
export function entriesIn(
  c: CommandContext,
  s: OpenCollection,
  start: StreamId,
  end: StreamId,
  rev: boolean,
  count: number,
): StreamEntry[] {
  const out: StreamEntry[] = [];
  if (s.count === 0) return out;
  forEachEntry(c, s, start, end, rev, (id, record) => {
    out.push({ id, fields: decodeEntry(record) });
    return count === 0 || out.length < count;
  });
  return out;
}

/** The id of the first (or with `last`, the last) entry of `s`, or null when it has none. */
export function edgeId(c: CommandContext, s: OpenCollection, last: boolean): StreamId | null {
  if (s.count === 0) return null;
  let found: StreamId | null = null;
  forEachEntry(c, s, MIN_ID, MAX_ID, last, (id) => {
    found = id;
    return false;
  });
  return found;
}

/** Replies entries as redis-server does: an array of [id, [field, value, …]]. */
export function replyEntries(c: CommandContext, entries: readonly StreamEntry[]): void {
  const out = c.out;
  out.arrayHeader(entries.length);
  for (const e of entries) replyEntry(c, e);
}

export function replyEntry(c: CommandContext, e: StreamEntry): void {
  const out = c.out;
  out.arrayHeader(2);
  out.bulkString(formatId(e.id));
  out.arrayHeader(e.fields.length);
  for (const f of e.fields) out.bulk(f);
}

// --- Listpack nodes: what redis-server would hold, so that trims with `~` agree with it. ---

/** A node as redis-server keeps it: a listpack whose first entry is the master entry. */
export interface StreamNode {
  readonly master: StreamId;
  /** Live entries (the master entry's count). */
  valid: number;
  /** Entries marked deleted. */
  deleted: number;
  /** The listpack's bytes, the count fields of the master entry excluded (see nodeBytes). */
  bytes: number;
  /** The id of the node's last entry, deleted or not. */
  lastId: StreamId;
  readonly masterFields: Buffer[];
}

function encodeNode(n: StreamNode): Buffer {
  const fields = encodeEntry(n.masterFields);
  const out = Buffer.alloc(HEADER + 12 + 16 + fields.length - HEADER);
  out.writeUInt32LE(n.valid, HEADER);
  out.writeUInt32LE(n.deleted, HEADER + 4);
  out.writeUInt32LE(n.bytes, HEADER + 8);
  idBytes(n.lastId).copy(out, HEADER + 12);
  fields.copy(out, HEADER + 28, HEADER);
  return out;
}

function decodeNode(stored: Buffer, record: Buffer): StreamNode {
  const fieldsRecord = Buffer.concat([Buffer.alloc(HEADER), record.subarray(HEADER + 28)]);
  return {
    master: readId(stored, stored.length - 16),
    valid: record.readUInt32LE(HEADER),
    deleted: record.readUInt32LE(HEADER + 4),
    bytes: record.readUInt32LE(HEADER + 8),
    lastId: readId(record, HEADER + 12),
    masterFields: decodeEntry(fieldsRecord),
  };
}

export function putNode(c: CommandContext, s: OpenCollection, n: StreamNode | null, master: StreamId): void {
  c.server.keyspace.putElement(streamKey(s.id, TAG_NODE, idBytes(master)), n === null ? null : encodeNode(n));
}

/** The node whose master id is `master`, or null. */
function getNode(c: CommandContext, s: OpenCollection, master: StreamId): StreamNode | null {
  const stored = streamKey(s.id, TAG_NODE, idBytes(master));
  const record = c.server.keyspace.getElement(stored);
  return record === undefined ? null : decodeNode(stored, record);
}

/**
 * Removes node `master` (its last entry `lastId`) and its deleted entries; when it was the last, the one
 * before it becomes the last.
 */
function dropNode(c: CommandContext, s: OpenStream, master: StreamId, lastId: StreamId): void {
  putNode(c, s, null, master);
  const gone: StreamId[] = [];
  forEachTombstone(c, s, master, lastId, (id) => {
    gone.push(id);
  });
  for (const id of gone) c.server.keyspace.putElement(tombstoneKey(s, id), null);
  if (s.state.tail !== null && compareIds(s.state.tail, master) === 0) {
    s.state.tail = nodeOf(c, s, MAX_ID)?.master ?? null;
  }
}

/** The node holding id `id` (the last whose master id is at most `id`), or null. */
function nodeOf(c: CommandContext, s: OpenCollection, id: StreamId): StreamNode | null {
  const low = streamKey(s.id, TAG_NODE, idBytes(MIN_ID));
  const high = streamKey(s.id, TAG_NODE, idBytes(id));
  for (const { stored, record } of c.server.keyspace.elementRange(low, high, true)) {
    return decodeNode(Buffer.from(stored), Buffer.from(record));
  }
  return null;
}

/** Every node from the first on (for trims: they stop early). */
export function* nodesOf(c: CommandContext, s: OpenCollection): Generator<StreamNode> {
  const low = streamKey(s.id, TAG_NODE, idBytes(MIN_ID));
  const high = streamKey(s.id, TAG_NODE, idBytes(MAX_ID));
  let from = low;
  for (;;) {
    let found: StreamNode | null = null;
    for (const { stored, record } of c.server.keyspace.elementRange(from, high)) {
      found = decodeNode(Buffer.from(stored), Buffer.from(record));
      break;
    }
    if (found === null) return;
    yield found;
    const next = nextId(found.master);
    if (next === null) return;
    from = streamKey(s.id, TAG_NODE, idBytes(next));
  }
}

/** The number of nodes (XINFO STREAM's radix-tree-keys) and their master ids. */
export function nodeMasters(c: CommandContext, s: OpenCollection): StreamId[] {
  const out: StreamId[] = [];
  for (const n of nodesOf(c, s)) out.push(n.master);
  return out;
}

/** The size of a listpack entry whose encoding takes `enc` bytes (the encoding plus its back length). */
function withBacklen(enc: number): number {
  return enc + backlenBytes(enc);
}

/** The bytes of an integer in a listpack. */
export function lpIntSize(v: bigint): number {
  if (v >= 0n && v <= 127n) return withBacklen(1);
  if (v >= -4096n && v <= 4095n) return withBacklen(2);
  if (v >= -32768n && v <= 32767n) return withBacklen(3);
  if (v >= -8388608n && v <= 8388607n) return withBacklen(4);
  if (v >= -2147483648n && v <= 2147483647n) return withBacklen(5);
  return withBacklen(9);
}

/** The bytes of a string in a listpack (stored as an integer when it reads as one). */
export function lpStringSize(s: Buffer): number {
  if (s.length > 0 && s.length <= 20) {
    const n = parseInteger(s, 0, s.length);
    if (n !== null) return lpIntSize(n);
  }
  if (s.length < 64) return withBacklen(1 + s.length);
  if (s.length < 4096) return withBacklen(2 + s.length);
  return withBacklen(5 + s.length);
}

/** A node's listpack bytes: its header and end, the master entry's counts, and the rest. */
function nodeBytes(n: StreamNode): number {
  return 7 + lpIntSize(BigInt(n.valid)) + lpIntSize(BigInt(n.deleted)) + n.bytes;
}

/** Whether `fields` (fields and values) has the master entry's fields, in order. */
function sameFields(n: StreamNode, fields: readonly Buffer[]): boolean {
  if (fields.length / 2 !== n.masterFields.length) return false;
  for (let k = 0; k < n.masterFields.length; k++) {
    if (!(fields[2 * k] as Buffer).equals(n.masterFields[k] as Buffer)) return false;
  }
  return true;
}

/** Appends entry `id` (`fields`: fields and values) at the end of `s`, in the node Redis would use. */
export function appendEntry(c: CommandContext, s: OpenStream, id: StreamId, fields: Buffer[]): void {
  const config = c.server.config;
  let total = 0;
  for (const f of fields) total += f.length;
  let node = s.state.tail === null ? null : getNode(c, s, s.state.tail);
  if (node !== null) {
    let maxBytes = Number(config['stream-node-max-bytes']);
    if (maxBytes === 0 || maxBytes > 2 ** 30) maxBytes = 2 ** 30;
    const maxEntries = Number(config['stream-node-max-entries']);
    if (nodeBytes(node) + total >= maxBytes) node = null;
    else if (maxEntries > 0 && node.valid + node.deleted >= maxEntries) node = null;
  }
  let same = true;
  if (node === null) {
    const masterFields: Buffer[] = [];
    for (let k = 0; k < fields.length; k += 2) masterFields.push(fields[k] as Buffer);
    let bytes = lpIntSize(BigInt(masterFields.length)) + lpIntSize(0n);
    for (const f of masterFields) bytes += lpStringSize(f);
    node = { master: id, valid: 0, deleted: 0, bytes, lastId: id, masterFields };
    s.state.tail = id;
  } else {
    same = sameFields(node, fields);
  }
  const numFields = fields.length / 2;
  let bytes =
    lpIntSize(same ? 2n : 0n) + lpIntSize(id.ms - node.master.ms) + lpIntSize(id.seq - node.master.seq);
  if (!same) bytes += lpIntSize(BigInt(numFields));
  for (let k = 0; k < fields.length; k++) {
    if (same && k % 2 === 0) continue;
    bytes += lpStringSize(fields[k] as Buffer);
  }
  bytes += lpIntSize(BigInt(numFields + 3 + (same ? 0 : numFields + 1)));
  node.bytes += bytes;
  node.valid++;
  node.lastId = id;
  putNode(c, s, node, node.master);
  c.server.keyspace.putElement(entryKey(s, id), encodeEntry(fields));
  s.count++;
  s.state.entriesAdded++;
  s.state.lastId = id;
  if (s.count === 1) s.state.firstId = id;
}

/** Deletes entry `id` of `s` when it exists (streamDeleteItem); returns whether it did. */
export function deleteEntry(c: CommandContext, s: OpenStream, id: StreamId): boolean {
  if (s.count === 0) return false;
  const keyspace = c.server.keyspace;
  const key = entryKey(s, id);
  const record = keyspace.getElement(key);
  if (record === undefined) return false;
  buryEntry(c, s, id, record);
  s.count--;
  const node = nodeOf(c, s, id);
  if (node === null) keyspace.putElement(tombstoneKey(s, id), null);
  else {
    // redis-server frees a node whose last live entry goes.
    if (node.valid <= 1) dropNode(c, s, node.master, node.lastId);
    else {
      node.valid--;
      node.deleted++;
      putNode(c, s, node, node.master);
    }
  }
  return true;
}

/** How a trim is asked for (XADD's and XTRIM's options). */
export interface TrimArgs {
  strategy: 'none' | 'maxlen' | 'minid';
  maxlen: number;
  minid: StreamId;
  approx: boolean;
  /** Most entries to remove with `~` (0: no bound). */
  limit: number;
}

/** Trims `s` as streamTrim does; returns the number of entries removed. */
export function trimStream(c: CommandContext, s: OpenStream, t: TrimArgs): number {
  if (t.strategy === 'none') return 0;
  let deleted = 0;
  const keyspace = c.server.keyspace;
  for (const node of [...nodesOfUntil(c, s, t)]) {
    if (t.strategy === 'maxlen' && s.count <= t.maxlen) break;
    const entries = node.valid;
    if (t.limit > 0 && deleted + entries > t.limit) break;
    const removeNode =
      t.strategy === 'maxlen' ? s.count - entries >= t.maxlen : compareIds(node.lastId, t.minid) < 0;
    if (removeNode) {
      forEachEntry(c, s, node.master, node.lastId, false, (id) => {
        keyspace.putElement(entryKey(s, id), null);
        return true;
      });
      dropNode(c, s, node.master, node.lastId);
      s.count -= entries;
      deleted += entries;
      continue;
    }
    if (t.approx) break;
    // Entry by entry within this node, then stop.
    const gone: [StreamId, Buffer][] = [];
    let left = s.count;
    forEachEntry(c, s, node.master, node.lastId, false, (id, record) => {
      if (t.strategy === 'maxlen' ? left <= t.maxlen : compareIds(id, t.minid) >= 0) return false;
      gone.push([id, Buffer.from(record.subarray(0, record.length))]);
      left--;
      return true;
    });
    for (const [id, record] of gone) buryEntry(c, s, id, record);
    s.count -= gone.length;
    deleted += gone.length;
    if (gone.length > 0) {
      node.valid -= gone.length;
      node.deleted += gone.length;
      putNode(c, s, node, node.master);
    }
    break;
  }
  if (deleted > 0) s.state.firstId = s.count > 0 ? (edgeId(c, s, false) as StreamId) : MIN_ID;
  return deleted;
}

/** The nodes a trim may look at (read before it changes them). */
function* nodesOfUntil(c: CommandContext, s: OpenStream, t: TrimArgs): Generator<StreamNode> {
  let count = s.count;
  for (const node of nodesOf(c, s)) {
    yield node;
    count -= node.valid;
    if (t.strategy === 'maxlen' && count < t.maxlen) return;
    if (t.strategy === 'minid' && compareIds(node.lastId, t.minid) >= 0) return;
  }
}

/**
 * XADD's and XTRIM's options (streamParseAddOrTrimArgsOrReply), from argument 2 on. For XADD, parsing
 * stops at the id (`*` or explicit), returned with its index; null once an error is replied.
 */
export function parseTrimArgs(
  c: CommandContext,
  xadd: boolean,
): { trim: TrimArgs; next: number; noMkStream: boolean; id: StreamId | null; seqGiven: boolean } | null {
  const a = c.args;
  const trim: TrimArgs = { strategy: 'none', maxlen: 0, minid: MIN_ID, approx: false, limit: 0 };
  let limit = -1;
  let limitGiven = false;
  let noMkStream = false;
  let id: StreamId | null = null;
  let seqGiven = true;
  let i = 2;
  const isWord = (j: number, w: string) => a.argString(j, 'latin1').toLowerCase() === w;
  for (; i < a.argc; i++) {
    const more = a.argc - 1 - i;
    const opt = a.arg(i);
    if (xadd && opt.length === 1 && opt[0] === 0x2a) break;
    if (more > 0 && (isWord(i, 'maxlen') || isWord(i, 'minid'))) {
      const maxlen = isWord(i, 'maxlen');
      if (trim.strategy !== 'none') {
        c.out.error(errorReply('streamTrimBoth'));
        return null;
      }
      trim.approx = false;
      const next = a.arg(i + 1);
      if (more >= 2 && next.length === 1 && next[0] === 0x7e) {
        trim.approx = true;
        i++;
      } else if (more >= 2 && next.length === 1 && next[0] === 0x3d) {
        i++;
      }
      if (maxlen) {
        const n = parseInteger(a.arg(i + 1), 0, a.arg(i + 1).length);
        if (n === null) {
          c.out.error(errorReply('notInteger'));
          return null;
        }
        if (n < 0n) {
          c.out.error(errorReply('streamMaxlenNegative'));
          return null;
        }
        trim.maxlen = Number(n);
        trim.strategy = 'maxlen';
      } else {
        const parsed = parseId(a.arg(i + 1), 0n, true);
        if (parsed === null) {
          c.out.error(errorReply('streamInvalidId'));
          return null;
        }
        trim.minid = parsed.id;
        trim.strategy = 'minid';
      }
      i++;
    } else if (more > 0 && isWord(i, 'limit')) {
      const n = parseInteger(a.arg(i + 1), 0, a.arg(i + 1).length);
      if (n === null) {
        c.out.error(errorReply('notInteger'));
        return null;
      }
      if (n < 0n) {
        c.out.error(errorReply('streamLimitNegative'));
        return null;
      }
      limit = Number(n);
      limitGiven = true;
      i++;
    } else if (xadd && isWord(i, 'nomkstream')) {
      noMkStream = true;
    } else if (xadd) {
      const parsed = parseId(opt, 0n, true, true);
      if (parsed === null) {
        c.out.error(errorReply('streamInvalidId'));
        return null;
      }
      id = parsed.id;
      seqGiven = parsed.seqGiven;
      break;
    } else {
      c.out.error(errorReply('syntax'));
      return null;
    }
  }
  if (limitGiven && limit !== 0 && trim.strategy === 'none') {
    c.out.error(errorReply('streamLimitNoStrategy'));
    return null;
  }
  if (!xadd && trim.strategy === 'none') {
    c.out.error(errorReply('streamXtrimNoStrategy'));
    return null;
  }
  if (limitGiven) {
    if (!trim.approx) {
      c.out.error(errorReply('streamLimitNoApprox'));
      return null;
    }
    trim.limit = limit;
  } else if (trim.approx) {
    let l = 100 * Number(c.server.config['stream-node-max-entries']);
    if (l <= 0 || l > 1000000) l = 10000;
    trim.limit = l;
  }
  return { trim, next: i, noMkStream, id, seqGiven };
}
