/**
 * Just enough RESP2/RESP3 to find where replies end in a byte stream, so tests can compare raw bytes.
 * `@sluice/protocol` decodes requests only; this reads what a server sends back.
 */

const CRLF = Buffer.from('\r\n');

/** Reply type bytes that carry one line: `+OK`, `-ERR x`, `:1`, `(123`, `,1.5`, `#t`, `_`. */
const LINE_TYPES = new Set(['+', '-', ':', '(', ',', '#', '_']);
/** Reply type bytes with a length line followed by that many bytes and CRLF: `$`, `!` (blob error), `=`. */
const BLOB_TYPES = new Set(['$', '!', '=']);
/** Aggregates whose length line counts elements: array, set, push. */
const LIST_TYPES = new Set(['*', '~', '>']);
/** Aggregates whose length line counts pairs: map, attribute. */
const PAIR_TYPES = new Set(['%', '|']);

/** Thrown for bytes that cannot start or continue a RESP reply. */
export class RespFormatError extends Error {
  override name = 'RespFormatError';
}

/**
 * The offset just past the complete reply that starts at `start`, or -1 if `buf` ends before the reply does.
 * An attribute (`|`) belongs to the reply that follows it, so it is measured together with that reply.
 */
export function replyEnd(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const lineEnd = buf.indexOf(CRLF, start);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[start] ?? 0);
  const afterLine = lineEnd + 2;
  if (LINE_TYPES.has(type)) return afterLine;
  const count = parseCount(buf.toString('latin1', start + 1, lineEnd), type);
  if (BLOB_TYPES.has(type)) {
    if (count < 0) return afterLine;
    const end = afterLine + count + 2;
    return end <= buf.length ? end : -1;
  }
  const elements = LIST_TYPES.has(type) ? count : PAIR_TYPES.has(type) ? count * 2 : Number.NaN;
  if (Number.isNaN(elements)) {
    throw new RespFormatError(`unknown reply type byte ${JSON.stringify(type)} at offset ${start}`);
  }
  let offset = afterLine;
  for (let i = 0; i < elements; i++) {
    offset = replyEnd(buf, offset);
    if (offset < 0) return -1;
  }
  return type === '|' ? replyEnd(buf, offset) : offset;
}

function parseCount(text: string, type: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespFormatError(`bad length ${JSON.stringify(text)} after '${type}'`);
  return Number(text);
}

/**
 * Split `buf` into as many complete replies as it holds (at most `max`).
 * Returns the replies' raw bytes and the offset where the unread rest begins.
 */
export function splitReplies(
  buf: Buffer,
  max = Number.POSITIVE_INFINITY,
): { replies: Buffer[]; rest: number } {
  const replies: Buffer[] = [];
  let offset = 0;
  while (replies.length < max) {
    const end = replyEnd(buf, offset);
    if (end < 0) break;
    replies.push(buf.subarray(offset, end));
    offset = end;
  }
  return { replies, rest: offset };
}

/** Encode a command as a RESP array of bulk strings, the way client libraries send it. */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

/** An error reply (`-ERR ...` or a RESP3 blob error), as a value rather than a thrown exception. */
export class RespError extends Error {
  override name = 'RespError';
}

/**
 * A decoded reply. Simple, bulk and verbatim strings are latin1 strings (a verbatim string loses its
 * `txt:` prefix); integers and doubles are numbers, RESP3 big numbers bigints; nulls (`$-1`, `*-1`, `_`)
 * are null; arrays, sets and pushes are arrays; maps are Maps; attributes are skipped.
 */
export type RespValue = string | number | bigint | boolean | null | RespError | RespValue[] | RespMap;
/** A RESP3 map reply, keys in the order the server sent them. */
export type RespMap = Map<RespValue, RespValue>;

/** Decode exactly one complete reply (as returned by `RawClient.readReplies`); trailing bytes are an error. */
export function parseReply(raw: string | Buffer): RespValue {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const [value, end] = parseAt(buf, 0);
  if (end !== buf.length) throw new RespFormatError(`${buf.length - end} bytes after the reply`);
  return value;
}

function parseAt(buf: Buffer, start: number): [RespValue, number] {
  const lineEnd = buf.indexOf(CRLF, start);
  if (lineEnd < 0) throw new RespFormatError(`incomplete reply at offset ${start}`);
  const type = String.fromCharCode(buf[start] ?? 0);
  const line = buf.toString('latin1', start + 1, lineEnd);
  let offset = lineEnd + 2;
  switch (type) {
    case '+':
      return [line, offset];
    case '-':
      return [new RespError(line), offset];
    case ':':
      return [Number(line), offset];
    case '(':
      return [BigInt(line), offset];
    case ',':
      return [parseDouble(line), offset];
    case '#':
      return [line === 't', offset];
    case '_':
      return [null, offset];
    case '$':
    case '!':
    case '=': {
      const length = parseCount(line, type);
      if (length < 0) return [null, offset];
      const end = offset + length;
      if (end + 2 > buf.length) throw new RespFormatError(`incomplete blob at offset ${start}`);
      const text = buf.toString('latin1', offset, end);
      const value = type === '!' ? new RespError(text) : type === '=' ? text.slice(4) : text;
      return [value, end + 2];
    }
    case '*':
    case '~':
    case '>': {
      const count = parseCount(line, type);
      if (count < 0) return [null, offset];
      const items: RespValue[] = [];
      for (let i = 0; i < count; i++) {
        const [item, next] = parseAt(buf, offset);
        items.push(item);
        offset = next;
      }
      return [items, offset];
    }
    case '%':
    case '|': {
      const count = parseCount(line, type);
      const map: RespMap = new Map();
      for (let i = 0; i < count; i++) {
        const [key, afterKey] = parseAt(buf, offset);
        const [value, afterValue] = parseAt(buf, afterKey);
        map.set(key, value);
        offset = afterValue;
      }
      return type === '|' ? parseAt(buf, offset) : [map, offset];
    }
    default:
      throw new RespFormatError(`unknown reply type byte ${JSON.stringify(type)} at offset ${start}`);
  }
}

function parseDouble(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}
