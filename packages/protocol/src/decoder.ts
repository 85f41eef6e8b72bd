import { Args } from './args.js';
import { expectedDollarError, ProtocolError } from './errors.js';
import { splitInlineArgs } from './inline.js';
import { CR, DOLLAR, LF, STAR } from './types.js';

/** redis-server's `proto-max-bulk-len` default: 512 MB. */
export const DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;
/** redis-server 7 accepts multibulk lengths up to INT_MAX. */
export const DEFAULT_MAX_MULTIBULK_LENGTH = 2147483647;
/** redis-server's limits before a client has authenticated, when a password is set. */
export const UNAUTHENTICATED_MAX_MULTIBULK_LENGTH = 10;
export const UNAUTHENTICATED_MAX_BULK_LENGTH = 16384;
/** `PROTO_INLINE_MAX_SIZE`: the longest inline request or length line without its terminator. */
export const INLINE_MAX_SIZE = 64 * 1024;

export interface DecoderOptions {
  /** Largest bulk string accepted (`proto-max-bulk-len`). */
  maxBulkLength?: number;
  /** Largest number of arguments accepted in one multibulk request. */
  maxMultibulkLength?: number;
}

const EMPTY = Buffer.alloc(0);

const COMPLETE = 0;
const EMPTY_COMMAND = 1;
const NEED_MORE = 2;
const NOT_PARSED = 3;
/** Returned by `countLine` when the line is incomplete (a count is never this low). */
const NEED_MORE_LENGTH = -(2 ** 60);

/** Past these sizes the scratch areas are released once the command that needed them is done. */
const KEEP_OFFSETS = 2048;
const KEEP_ASSEMBLY = 1024 * 1024;

/**
 * Parses a length the way redis-server's `string2ll` does: optional '-', no '+', no leading zeros,
 * fewer than 21 characters. Returns NaN when invalid. Values past 2^53 lose precision but stay far
 * above any length limit, which is all a caller compares them with.
 */
export function parseLength(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len >= 21) return Number.NaN;
  let i = start;
  let c = buf[i] as number;
  if (len === 1 && c === 0x30) return 0;
  let negative = false;
  if (c === 0x2d) {
    negative = true;
    if (++i === end) return Number.NaN;
    c = buf[i] as number;
  }
  if (c < 0x31 || c > 0x39) return Number.NaN;
  let v = c - 0x30;
  for (i++; i < end; i++) {
    c = buf[i] as number;
    if (c < 0x30 || c > 0x39) return Number.NaN;
    v = v * 10 + (c - 0x30);
  }
  if (v >= 2 ** 63) return Number.NaN; // past LLONG_MAX
  return negative ? -v : v;
}

/**
 * The fast path for a length line at `start` (after its type byte): 1 to 9 digits without a leading
 * zero, then CR and one more byte, all present. Returns -1 for anything else, which the caller then
 * reads through the general, exact path.
 */
function fastLength(buf: Uint8Array, start: number, end: number): number {
  if (start + 2 >= end) return -1;
  let c = buf[start] as number;
  if (c < 0x31 || c > 0x39) return -1;
  let n = c - 0x30;
  let i = start + 1;
  c = buf[i] as number;
  while (c !== CR) {
    if (c < 0x30 || c > 0x39 || i - start >= 9) return -1;
    n = n * 10 + (c - 0x30);
    if (++i >= end - 1) return -1;
    c = buf[i] as number;
  }
  fastLineEnd = i;
  return n;
}

/** Where the line read by the last successful `fastLength` has its CR. */
let fastLineEnd = 0;

/**
 * Server-side streaming decoder for RESP requests: multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and
 * inline (`GET k\r\n`) commands, exactly as redis-server reads them.
 *
 * Pull-based: `feed()` chunks as they arrive, then call `next()` until it returns false. After a `true`,
 * the command is `argc` arguments, argument i being `buffer[offsets[2i], offsets[2i + 1])`. Nothing is
 * copied for a command that lies within one chunk; one that spans chunks is assembled once, byte for
 * byte, from exactly the bytes it needs. Views into `buffer` are valid until the next call to `next()`.
 *
 * Memory grows only with bytes received: a declared length is never allocated ahead of its data.
 * A malformed stream makes `next()` throw a {@link ProtocolError}, then and on every later call.
 */
export class RequestDecoder extends Args {
  /** The limits in force: the configured ones, or the tighter ones before authentication. */
  private bulkLimit: number;
  private multibulkLimit: number;
  private configuredBulk: number;
  private configuredMultibulk: number;
  private authRequired = false;

  /** Whether the current command came in inline form. */
  inline = false;

  // Input: `src` is parsed in place from `pos`; later chunks wait in `queue`.
  private src: Buffer = EMPTY;
  private pos = 0;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  // A command that spans chunks is assembled in `acc`.
  private acc: Buffer = EMPTY;
  private accLen = 0;
  private assembling = false;
  private accReturned = false;
  // Resumable parse state.
  private cursor = 0;
  private mbLeft = -1;
  private bulkLen = -1;
  /** The line starting at `scanLine` holds no terminator before `scanFrom`: its search resumes there. */
  private scanLine = -1;
  private scanFrom = 0;
  private inlineBuffer: Buffer = EMPTY;
  private failure: ProtocolError | null = null;

  constructor(options: DecoderOptions = {}) {
    super(EMPTY, new Uint32Array(32), 0);
    this.configuredBulk = options.maxBulkLength ?? DEFAULT_MAX_BULK_LENGTH;
    this.configuredMultibulk = options.maxMultibulkLength ?? DEFAULT_MAX_MULTIBULK_LENGTH;
    this.bulkLimit = this.configuredBulk;
    this.multibulkLimit = this.configuredMultibulk;
  }

  /** Largest bulk string accepted (`proto-max-bulk-len`). */
  get maxBulkLength(): number {
    return this.configuredBulk;
  }

  set maxBulkLength(n: number) {
    this.configuredBulk = n;
    this.applyLimits();
  }

  get maxMultibulkLength(): number {
    return this.configuredMultibulk;
  }

  set maxMultibulkLength(n: number) {
    this.configuredMultibulk = n;
    this.applyLimits();
  }

  /**
   * While true, requests are held to redis-server's limits for clients that have not authenticated:
   * at most 10 arguments and bulk strings of at most 16 KiB, each a protocol error beyond that.
   */
  setAuthRequired(required: boolean): void {
    this.authRequired = required;
    this.applyLimits();
  }

  private applyLimits(): void {
    this.bulkLimit = this.authRequired
      ? Math.min(this.configuredBulk, UNAUTHENTICATED_MAX_BULK_LENGTH)
      : this.configuredBulk;
    this.multibulkLimit = this.authRequired
      ? Math.min(this.configuredMultibulk, UNAUTHENTICATED_MAX_MULTIBULK_LENGTH)
      : this.configuredMultibulk;
  }

  /** The error for a length over the limit in force: the unauthenticated one if only that limit is passed. */
  private overLimit(n: number, multibulk: boolean): ProtocolError {
    if (multibulk) {
      return n >= 0 && n <= this.configuredMultibulk
        ? new ProtocolError('unauthenticatedMultibulkLength')
        : new ProtocolError('invalidMultibulkLength');
    }
    return n >= 0 && n <= this.configuredBulk
      ? new ProtocolError('unauthenticatedBulkLength')
      : new ProtocolError('invalidBulkLength');
  }

  /** Adds received bytes. The decoder keeps a reference: do not modify `chunk` afterwards. */
  feed(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.pos >= this.src.length && this.queue.length === 0) {
      this.src = chunk;
      this.pos = 0;
      if (!this.assembling) this.scanLine = -1;
    } else {
      this.queue.push(chunk);
      this.queued += chunk.length;
    }
  }

  /** Bytes received and not yet consumed by a complete command (a server's query buffer size). */
  get bufferedBytes(): number {
    return (
      this.src.length - this.pos + this.queued + (this.assembling && !this.accReturned ? this.accLen : 0)
    );
  }

  /** Bytes of scratch memory the decoder holds (assembly buffer and argument offsets). */
  get allocatedBytes(): number {
    return this.acc.length + this.offsets.byteLength;
  }

  /** Decodes the next complete command. Returns false when more bytes are needed. */
  next(): boolean {
    if (this.failure !== null) throw this.failure;
    // Fast path: the next command lies entirely within the current chunk.
    const src = this.src;
    if (!this.assembling && this.pos < src.length) {
      this.cursor = this.pos;
      const status = this.parse(src, src.length);
      if (status === COMPLETE) {
        this.pos = this.cursor;
        this.buffer = this.inline ? this.inlineBuffer : src;
        return true;
      }
      // Empty or incomplete: the general path goes on from where parse stopped.
      return this.advance(status);
    }
    return this.advance(NOT_PARSED);
  }

  /** The general path; `parsed` is the status of a `parse` just run on `src` at `pos`, if any. */
  private advance(parsed: number): boolean {
    if (this.accReturned) this.resetAssembly();
    for (;;) {
      if (parsed === NOT_PARSED && this.pos >= this.src.length && !this.takeQueued()) return false;
      if (!this.assembling) {
        let status = parsed;
        if (status === NOT_PARSED) {
          this.cursor = this.pos;
          status = this.parse(this.src, this.src.length);
        }
        parsed = NOT_PARSED;
        if (status === NEED_MORE) {
          this.startAssembly();
          continue;
        }
        this.pos = this.cursor;
        if (status === EMPTY_COMMAND) continue;
        this.buffer = this.inline ? this.inlineBuffer : this.src;
        return true;
      }
      const take = Math.min(this.bytesWanted(), this.src.length - this.pos);
      this.append(this.src, this.pos, this.pos + take);
      this.pos += take;
      const status = this.parse(this.acc, this.accLen);
      if (status === NEED_MORE) continue;
      if (status === EMPTY_COMMAND) {
        this.resetAssembly();
        continue;
      }
      this.buffer = this.inline ? this.inlineBuffer : this.acc;
      this.accReturned = true;
      return true;
    }
  }

  private fail(err: ProtocolError): ProtocolError {
    this.failure = err;
    return err;
  }

  private takeQueued(): boolean {
    const next = this.queue.shift();
    if (next === undefined) {
      this.src = EMPTY;
      this.pos = 0;
      return false;
    }
    this.queued -= next.length;
    this.src = next;
    this.pos = 0;
    if (!this.assembling) this.scanLine = -1;
    return true;
  }

  /** Moves the partial command at the end of `src` into the assembly buffer. */
  private startAssembly(): void {
    const start = this.pos;
    this.accLen = 0;
    this.append(this.src, start, this.src.length);
    const offsets = this.offsets;
    for (let i = 0; i < 2 * this.argc; i++) (offsets[i] as number) -= start;
    this.cursor -= start;
    this.scanLine -= start;
    this.scanFrom -= start;
    this.pos = this.src.length;
    this.assembling = true;
  }

  private resetAssembly(): void {
    this.assembling = false;
    this.accReturned = false;
    this.accLen = 0;
    this.scanLine = -1;
    if (this.acc.length > KEEP_ASSEMBLY) this.acc = EMPTY;
  }

  private append(from: Buffer, start: number, end: number): void {
    const needed = this.accLen + (end - start);
    if (needed > this.acc.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.acc.length, 1024));
      this.acc.copy(grown, 0, 0, this.accLen);
      this.acc = grown;
    }
    from.copy(this.acc, this.accLen, start, end);
    this.accLen = needed;
  }

  /**
   * How many bytes of `src` the assembled command needs before parsing can progress: through the
   * end of the pending bulk, or through the end of the pending line. Taking no more than that keeps
   * the rest of the chunk parseable in place.
   */
  private bytesWanted(): number {
    if (this.bulkLen >= 0) return this.cursor + this.bulkLen + 2 - this.accLen;
    const inlineLine = this.mbLeft < 0 && this.acc[this.cursor] !== STAR;
    if (inlineLine) {
      const lf = this.src.indexOf(LF, this.pos);
      return lf < 0 ? this.src.length - this.pos : lf - this.pos + 1;
    }
    // A length line: through its CR and the one byte after it. `parse` stopped either with no CR in
    // the line so far or with the CR as its last byte.
    if (this.accLen > this.cursor && this.acc[this.accLen - 1] === CR) return 1;
    const cr = this.src.indexOf(CR, this.pos);
    return cr < 0 ? this.src.length - this.pos : cr - this.pos + 2;
  }

  private parse(buf: Buffer, end: number): number {
    let p = this.cursor;
    let left: number;
    let argc: number;
    let bulkLen: number;
    if (this.mbLeft < 0) {
      if (buf[p] !== STAR) return this.parseInline(buf, end);
      let n = fastLength(buf, p + 1, end);
      if (n >= 0 && n <= this.multibulkLimit) {
        p = fastLineEnd + 2;
      } else {
        n = this.countLine(buf, p, end);
        if (n === NEED_MORE_LENGTH) return NEED_MORE;
        p = this.cursor;
      }
      if (n <= 0) {
        this.cursor = p;
        return EMPTY_COMMAND;
      }
      if (this.offsets.length > KEEP_OFFSETS && 2 * n <= KEEP_OFFSETS) this.offsets = new Uint32Array(32);
      this.inline = false;
      left = n;
      argc = 0;
      bulkLen = -1;
    } else {
      left = this.mbLeft;
      argc = this.argc;
      bulkLen = this.bulkLen;
    }
    const maxBulkLength = this.bulkLimit;
    let offsets = this.offsets;
    while (left > 0) {
      if (bulkLen < 0) {
        if (p >= end) break;
        const c = buf[p] as number;
        if (c !== DOLLAR) throw this.fail(expectedDollarError(c));
        const n = fastLength(buf, p + 1, end);
        if (n >= 0 && n <= maxBulkLength) {
          bulkLen = n;
          p = fastLineEnd + 2;
        } else {
          let i = this.scanLine === p ? this.scanFrom : p + 1;
          while (i < end && buf[i] !== CR) i++;
          if (i >= end - 1) {
            if (i >= end && end - p > INLINE_MAX_SIZE)
              throw this.fail(new ProtocolError('tooBigBulkCountString'));
            this.scanLine = p;
            this.scanFrom = i;
            break;
          }
          const n = parseLength(buf, p + 1, i);
          if (Number.isNaN(n) || n < 0) throw this.fail(new ProtocolError('invalidBulkLength'));
          if (n > maxBulkLength) throw this.fail(this.overLimit(n, false));
          bulkLen = n;
          p = i + 2;
        }
      }
      if (end - p < bulkLen + 2) break;
      if (2 * argc + 2 > offsets.length) {
        const grown = new Uint32Array(2 * offsets.length);
        grown.set(offsets);
        offsets = grown;
        this.offsets = grown;
      }
      offsets[2 * argc] = p;
      offsets[2 * argc + 1] = p + bulkLen;
      argc++;
      p += bulkLen + 2;
      bulkLen = -1;
      left--;
    }
    this.cursor = p;
    this.argc = argc;
    if (left > 0) {
      this.mbLeft = left;
      this.bulkLen = bulkLen;
      return NEED_MORE;
    }
    this.mbLeft = -1;
    this.bulkLen = -1;
    return COMPLETE;
  }

  /**
   * The general path for a multibulk count line at `p`: returns the count and leaves `cursor` after
   * the line, or returns NEED_MORE_LENGTH.
   */
  private countLine(buf: Buffer, p: number, end: number): number {
    let i = this.scanLine === p ? this.scanFrom : p + 1;
    while (i < end && buf[i] !== CR) i++;
    // redis-server needs the CR and one more byte, which it takes as the LF without looking.
    if (i >= end - 1) {
      if (i >= end && end - p > INLINE_MAX_SIZE) throw this.fail(new ProtocolError('tooBigMbulkCountString'));
      this.scanLine = p;
      this.scanFrom = i;
      return NEED_MORE_LENGTH;
    }
    const n = parseLength(buf, p + 1, i);
    if (Number.isNaN(n)) throw this.fail(new ProtocolError('invalidMultibulkLength'));
    if (n > this.multibulkLimit) throw this.fail(this.overLimit(n, true));
    this.cursor = i + 2;
    return n;
  }

  private parseInline(buf: Buffer, end: number): number {
    const p = this.cursor;
    const lf = buf.indexOf(LF, this.scanLine === p ? this.scanFrom : p);
    if (lf < 0 || lf >= end) {
      if (end - p > INLINE_MAX_SIZE) throw this.fail(new ProtocolError('tooBigInlineRequest'));
      this.scanLine = p;
      this.scanFrom = end;
      return NEED_MORE;
    }
    const lineEnd = lf > p && buf[lf - 1] === CR ? lf - 1 : lf;
    const split = splitInlineArgs(buf, p, lineEnd);
    if (split === null) throw this.fail(new ProtocolError('unbalancedQuotes'));
    this.cursor = lf + 1;
    const argc = split.offsets.length / 2;
    if (argc === 0) return EMPTY_COMMAND;
    if (this.offsets.length < 2 * argc) this.offsets = new Uint32Array(2 * argc);
    this.offsets.set(split.offsets);
    this.argc = argc;
    this.inline = true;
    this.inlineBuffer = split.buffer;
    return COMPLETE;
  }
}
