/**
 * The client side of RESP, reading: a push-based, resumable decoder of the replies a server sends, RESP2
 * and RESP3. Feed it chunks as they arrive; it hands out each complete reply, with how many bytes it took
 * on the wire, and keeps what it has of an incomplete one (nothing is parsed twice).
 *
 * Values: simple strings as strings; bulk and verbatim strings as Buffers or strings (`strings`); a
 * verbatim string without its `txt:` prefix; integers as numbers, exact past 2^53 as bigints; big numbers
 * as bigints; doubles as numbers (`inf`, `-inf`, `nan` included); booleans; every null (`$-1`, `*-1`, `_`)
 * as `null`; arrays and sets as arrays; maps as `Map`s; pushes as `PushReply`; error replies (`-ERR …`,
 * `!…`) as `ReplyError` values, not thrown. An attribute (`|`) is read and dropped: the reply after it is
 * the reply.
 *
 * Bytes that cannot be a reply throw `ReplyFormatError` from `write`, and the decoder keeps throwing it:
 * a client cannot find the next reply's start again, so the connection is done.
 */
import { CR, LF, RespType } from './types.js';

/** An error reply (`-ERR …` or a RESP3 blob error): the server answered, the command failed. */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';

  /** The first word of the message, `ERR`, `WRONGTYPE`, `MOVED`, … */
  get code(): string {
    const space = this.message.indexOf(' ');
    return space < 0 ? this.message : this.message.slice(0, space);
  }
}

/** The bytes received cannot be a RESP reply. */
export class ReplyFormatError extends Error {
  override readonly name = 'ReplyFormatError';
}

/** A RESP3 push (`>`): out-of-band data such as a Pub/Sub message, not the reply to a command. */
export class PushReply {
  constructor(readonly items: ReplyValue[]) {}
}

/** A decoded reply. */
export type ReplyValue =
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | null
  | ReplyError
  | PushReply
  | ReplyValue[]
  | ReplyMap;
/** A RESP3 map, keys in the order the server sent them. */
export type ReplyMap = Map<ReplyValue, ReplyValue>;

export interface ReplyDecoderOptions {
  /**
   * How bulk and verbatim strings come out: `buffer` (the default: a Buffer of their own), `utf8` or
   * `latin1` strings. Simple strings and error messages are utf8 strings, latin1 with `latin1`.
   */
  strings?: 'buffer' | 'utf8' | 'latin1';
}

/** Called with every complete reply and the number of bytes it took on the wire (attributes included). */
export type OnReply = (reply: ReplyValue, size: number) => void;

/** What an aggregate frame collects, and what it becomes once complete. */
const ARRAY = 0;
const SET = 1;
const PUSH = 2;
const MAP = 3;
const ATTRIBUTE = 4;
type FrameKind = typeof ARRAY | typeof SET | typeof PUSH | typeof MAP | typeof ATTRIBUTE;

interface Frame {
  kind: FrameKind;
  /** Elements still to come (a map or attribute of n pairs waits for 2n). */
  remaining: number;
  items: ReplyValue[];
}

const EMPTY = Buffer.alloc(0);
const MAX_SAFE_DIGITS = 15;

export class ReplyDecoder {
  readonly #onReply: OnReply;
  readonly #strings: 'buffer' | 'utf8' | 'latin1';
  readonly #text: 'utf8' | 'latin1';
  /** Bytes received but not yet consumed: always the start of a line. */
  #rest: Buffer = EMPTY;
  /** Open aggregates, innermost last. */
  readonly #stack: Frame[] = [];
  /** A bulk string whose data is still arriving: its parts so far, their length, the length it needs. */
  #bulkParts: Buffer[] = [];
  #bulkHave = 0;
  #bulkNeed = -1;
  #bulkType = 0;
  /**
   * Where the reply in progress began, counted from the first byte of the buffer being parsed: the
   * number of its bytes that came before that buffer (negative once a reply has ended inside it).
   */
  #replyBytes = 0;
  #failed: ReplyFormatError | undefined;

  constructor(onReply: OnReply, options: ReplyDecoderOptions = {}) {
    this.#onReply = onReply;
    this.#strings = options.strings ?? 'buffer';
    this.#text = this.#strings === 'latin1' ? 'latin1' : 'utf8';
  }

  /** Whether part of a reply has been received and the rest has not. */
  get inReply(): boolean {
    // Bytes consumed towards a reply not yet complete: a header, part of a bulk, or an attribute.
    return this.#replyBytes > 0 || this.#rest.length > 0 || this.#bulkNeed >= 0 || this.#stack.length > 0;
  }

  /** Forget everything received so far, including a format error: the next byte starts a reply. */
  reset(): void {
    this.#rest = EMPTY;
    this.#stack.length = 0;
    this.#bulkParts = [];
    this.#bulkHave = 0;
    this.#bulkNeed = -1;
    this.#replyBytes = 0;
    this.#failed = undefined;
  }

  /**
   * Decode `chunk`, calling `onReply` for each reply it completes. Parts of the chunk are kept only when it
   * ends inside a reply. An exception thrown by `onReply` leaves through here, and the rest of the chunk
   * is lost: `reset()` before writing again.
   */
  write(chunk: Buffer): void {
    if (this.#failed !== undefined) throw this.#failed;
    if (chunk.length === 0) return;
    try {
      if (this.#bulkNeed >= 0) {
        const pos = this.#continueBulk(chunk);
        if (pos >= 0) this.#parse(chunk, pos);
      } else if (this.#rest.length > 0) {
        const buf = Buffer.concat([this.#rest, chunk]);
        this.#rest = EMPTY;
        this.#parse(buf, 0);
      } else {
        this.#parse(chunk, 0);
      }
    } catch (err) {
      if (err instanceof ReplyFormatError) this.#failed = err;
      throw err;
    }
  }

  /** Adds `chunk` to a bulk string in progress. Returns where parsing goes on in `chunk`, or -1 when the
   *  bulk still needs more. */
  #continueBulk(chunk: Buffer): number {
    const missing = this.#bulkNeed - this.#bulkHave;
    if (chunk.length < missing) {
      this.#bulkParts.push(chunk);
      this.#bulkHave += chunk.length;
      this.#replyBytes += chunk.length;
      return -1;
    }
    this.#bulkParts.push(chunk.subarray(0, missing));
    const whole = Buffer.concat(this.#bulkParts, this.#bulkNeed);
    const type = this.#bulkType;
    this.#bulkParts = [];
    this.#bulkHave = 0;
    this.#bulkNeed = -1;
    this.#checkCrlf(whole, whole.length - 2);
    this.#value(this.#blob(type, whole, 0, whole.length - 2, true), missing);
    return missing;
  }

  #parse(buf: Buffer, start: number): void {
    let pos = start;
    const end = buf.length;
    while (pos < end) {
      const type = buf[pos] as number;
      const cr = buf.indexOf(CR, pos + 1);
      if (cr < 0 || cr + 1 >= end) {
        this.#keep(buf, pos);
        return;
      }
      if (buf[cr + 1] !== LF) throw new ReplyFormatError(`a line ends in CR without LF at offset ${cr}`);
      const next = cr + 2;
      switch (type) {
        case RespType.SimpleString:
          this.#value(buf.toString(this.#text, pos + 1, cr), next);
          break;
        case RespType.Error:
          this.#value(new ReplyError(buf.toString(this.#text, pos + 1, cr)), next);
          break;
        case RespType.Integer:
          this.#value(integer(buf, pos + 1, cr), next);
          break;
        case RespType.BigNumber:
          this.#value(bigNumber(buf, pos + 1, cr), next);
          break;
        case RespType.Double:
          this.#value(double(buf.toString('latin1', pos + 1, cr)), next);
          break;
        case RespType.Boolean: {
          const b = cr === pos + 2 ? buf[pos + 1] : -1;
          if (b !== 0x74 && b !== 0x66) throw new ReplyFormatError(`bad boolean at offset ${pos}`);
          this.#value(b === 0x74, next);
          break;
        }
        case RespType.Null:
          if (cr !== pos + 1) throw new ReplyFormatError(`bad null at offset ${pos}`);
          this.#value(null, next);
          break;
        case RespType.BulkString:
        case RespType.BlobError:
        case RespType.VerbatimString: {
          const length = count(buf, pos + 1, cr, type === RespType.BulkString);
          if (length < 0) {
            this.#value(null, next);
            break;
          }
          if (next + length + 2 > end) {
            // The data is still arriving: keep what there is, and take the rest as it comes.
            this.#bulkParts = [buf.subarray(next)];
            this.#bulkHave = end - next;
            this.#bulkNeed = length + 2;
            this.#bulkType = type;
            this.#replyBytes += end;
            return;
          }
          this.#checkCrlf(buf, next + length);
          this.#value(this.#blob(type, buf, next, next + length, false), next + length + 2);
          pos = next + length + 2;
          continue;
        }
        case RespType.Array:
        case RespType.Set:
        case RespType.Push:
        case RespType.Map:
        case RespType.Attribute: {
          const n = count(buf, pos + 1, cr, type === RespType.Array);
          const kind = frameKind(type);
          if (n < 0) {
            this.#value(null, next);
          } else if (n === 0 && kind !== ATTRIBUTE) {
            this.#value(aggregate(kind, []), next);
          } else {
            if (n > 0) this.#stack.push({ kind, remaining: kind >= MAP ? 2 * n : n, items: [] });
          }
          break;
        }
        default:
          throw new ReplyFormatError(
            `unknown reply type byte 0x${type.toString(16).padStart(2, '0')} at offset ${pos}`,
          );
      }
      pos = next;
    }
    this.#replyBytes += end;
  }

  /** Keeps the unconsumed bytes from `pos`, the start of a line that has not fully arrived. */
  #keep(buf: Buffer, pos: number): void {
    this.#rest = buf.subarray(pos);
    this.#replyBytes += pos;
  }

  #checkCrlf(buf: Buffer, at: number): void {
    if (buf[at] !== CR || buf[at + 1] !== LF) {
      throw new ReplyFormatError('a blob is not followed by CRLF');
    }
  }

  /** The value of a blob (`$`, `!`, `=`) whose data is `buf[start, end)`; `own` when `buf` is a copy. */
  #blob(type: number, buf: Buffer, start: number, end: number, own: boolean): ReplyValue {
    if (type === RespType.BlobError) return new ReplyError(buf.toString(this.#text, start, end));
    let from = start;
    if (type === RespType.VerbatimString) {
      if (end - start < 4 || buf[start + 3] !== 0x3a) {
        throw new ReplyFormatError('a verbatim string without its format prefix');
      }
      from = start + 4;
    }
    if (this.#strings !== 'buffer') return buf.toString(this.#strings, from, end);
    const view = buf.subarray(from, end);
    return own ? view : Buffer.from(view);
  }

  /**
   * A value is complete: it goes into the innermost open aggregate, and each aggregate it completes into
   * the one around it; one that completes at the top is a reply. `at` is where the value ends in the buffer being parsed.
   */
  #value(value: ReplyValue, at: number): void {
    let v = value;
    for (;;) {
      const frame = this.#stack[this.#stack.length - 1];
      if (frame === undefined) {
        const size = this.#replyBytes + at;
        // Bytes before `at` in this chunk belong to this reply; the next reply starts counting at `at`.
        this.#replyBytes = -at;
        this.#onReply(v, size);
        return;
      }
      frame.items.push(v);
      if (--frame.remaining > 0) return;
      this.#stack.pop();
      if (frame.kind === ATTRIBUTE) return; // dropped: the next value is the reply it describes
      v = aggregate(frame.kind, frame.items);
    }
  }
}

function frameKind(type: number): FrameKind {
  switch (type) {
    case RespType.Set:
      return SET;
    case RespType.Push:
      return PUSH;
    case RespType.Map:
      return MAP;
    case RespType.Attribute:
      return ATTRIBUTE;
    default:
      return ARRAY;
  }
}

function aggregate(kind: FrameKind, items: ReplyValue[]): ReplyValue {
  if (kind === PUSH) return new PushReply(items);
  if (kind !== MAP) return items;
  const map: ReplyMap = new Map();
  for (let i = 0; i < items.length; i += 2) map.set(items[i] as ReplyValue, items[i + 1] as ReplyValue);
  return map;
}

/** A length line: digits, or -1 where `nullable` (RESP2's `$-1`, `*-1`). */
function count(buf: Buffer, start: number, end: number, nullable: boolean): number {
  if (nullable && end - start === 2 && buf[start] === 0x2d && buf[start + 1] === 0x31) return -1;
  if (end === start || end - start > MAX_SAFE_DIGITS) {
    throw new ReplyFormatError(`bad length at offset ${start - 1}`);
  }
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) throw new ReplyFormatError(`bad length at offset ${start - 1}`);
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** An integer line, exact: a number when it is safe, a bigint past 2^53. */
function integer(buf: Buffer, start: number, end: number): number | bigint {
  let i = start;
  const negative = buf[i] === 0x2d;
  if (negative) i++;
  if (i === end) throw new ReplyFormatError(`bad integer at offset ${start - 1}`);
  if (end - i > MAX_SAFE_DIGITS) {
    const n = bigNumber(buf, start, end);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) throw new ReplyFormatError(`bad integer at offset ${start - 1}`);
    n = n * 10 + (c - 0x30);
  }
  return negative ? -n : n;
}

function bigNumber(buf: Buffer, start: number, end: number): bigint {
  const text = buf.toString('latin1', start, end);
  if (!/^-?\d+$/.test(text)) throw new ReplyFormatError(`bad integer at offset ${start - 1}`);
  return BigInt(text);
}

function double(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  if (text === 'nan' || text === '-nan') return Number.NaN;
  const n = text.length > 0 && !/\s/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(n)) throw new ReplyFormatError(`bad double ${JSON.stringify(text)}`);
  return n;
}

/** Every complete reply in `bytes`, with the offset where the unread rest begins. */
export function decodeReplies(
  bytes: Buffer,
  options: ReplyDecoderOptions = {},
): { replies: ReplyValue[]; sizes: number[]; rest: number } {
  const replies: ReplyValue[] = [];
  const sizes: number[] = [];
  let rest = 0;
  new ReplyDecoder((reply, size) => {
    replies.push(reply);
    sizes.push(size);
    rest += size;
  }, options).write(bytes);
  return { replies, sizes, rest };
}

/** Exactly one complete reply; anything missing or left over is a `ReplyFormatError`. */
export function parseReply(bytes: string | Buffer, options: ReplyDecoderOptions = {}): ReplyValue {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const { replies, rest } = decodeReplies(buf, options);
  if (replies.length === 0) throw new ReplyFormatError('an incomplete reply');
  if (replies.length > 1 || rest !== buf.length) {
    throw new ReplyFormatError(`${buf.length - (replies.length > 1 ? 0 : rest)} bytes after the reply`);
  }
  return replies[0] as ReplyValue;
}
