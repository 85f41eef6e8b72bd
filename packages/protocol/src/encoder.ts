import { CR, LF, RespType, type RespVersion } from './types.js';

/** Size of the output slabs replies are written into. */
/** Ranges up to this length are copied by a loop in `bulkCopy` rather than through a view. */
const SHORT_COPY = 96;
const SLAB_SIZE = 64 * 1024;
/** Bulk values at least this long leave as their own chunk instead of being copied (see `bulk`). */
const PASS_THROUGH = 16 * 1024;

/** A reply as a value, for replies built as data (HELLO, COMMAND DOCS, INFO …). */
export type Reply = null | string | number | bigint | boolean | Uint8Array | readonly Reply[] | TaggedReply;

export type ReplyEntries = readonly (readonly [Reply, Reply])[];

export type TaggedReply =
  | { readonly kind: 'simple'; readonly value: string }
  | { readonly kind: 'error'; readonly value: string }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'bignum'; readonly value: bigint }
  | { readonly kind: 'verbatim'; readonly value: string; readonly format: string }
  | { readonly kind: 'map'; readonly entries: ReplyEntries }
  | { readonly kind: 'set'; readonly items: readonly Reply[] }
  | { readonly kind: 'push'; readonly items: readonly Reply[] }
  | { readonly kind: 'attribute'; readonly attributes: ReplyEntries; readonly value: Reply }
  | { readonly kind: 'nullArray' };

/** Builders for the replies that plain JavaScript values cannot express. */
export const R = {
  simple: (value: string): TaggedReply => ({ kind: 'simple', value }),
  error: (value: string): TaggedReply => ({ kind: 'error', value }),
  double: (value: number): TaggedReply => ({ kind: 'double', value }),
  bignum: (value: bigint): TaggedReply => ({ kind: 'bignum', value }),
  verbatim: (value: string, format = 'txt'): TaggedReply => ({ kind: 'verbatim', value, format }),
  map: (entries: ReplyEntries): TaggedReply => ({ kind: 'map', entries }),
  set: (items: readonly Reply[]): TaggedReply => ({ kind: 'set', items }),
  push: (items: readonly Reply[]): TaggedReply => ({ kind: 'push', items }),
  attribute: (attributes: ReplyEntries, value: Reply): TaggedReply => ({
    kind: 'attribute',
    attributes,
    value,
  }),
  nullArray: { kind: 'nullArray' } as TaggedReply,
} as const;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Pre-encoded hot replies, identical in RESP2 and RESP3. */
export const Encoded = {
  ok: ascii('+OK\r\n'),
  pong: ascii('+PONG\r\n'),
  queued: ascii('+QUEUED\r\n'),
  zero: ascii(':0\r\n'),
  one: ascii(':1\r\n'),
  emptyArray: ascii('*0\r\n'),
  emptyBulk: ascii('$0\r\n\r\n'),
} as const;

const NULL_BULK_RESP2 = ascii('$-1\r\n');
const NULL_ARRAY_RESP2 = ascii('*-1\r\n');
const NULL_RESP3 = ascii('_\r\n');

/**
 * Formats a double the way redis-server 7 does: `inf`, `-inf`, `nan`, `-0`, integers without a
 * fraction, otherwise the shortest representation that reads back to the same value.
 */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Number.POSITIVE_INFINITY) return 'inf';
  if (d === Number.NEGATIVE_INFINITY) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isInteger(d) && Math.abs(d) < 2 ** 63) return BigInt(d).toString();
  return String(d);
}

/**
 * Writes replies into a growing output buffer, so that a pipeline of replies leaves in one socket
 * write. `protocol` selects RESP2 or RESP3; RESP3 types are downgraded for RESP2 the way redis-server
 * does it (map → flat array, set and push → array, null → `$-1` or `*-1`, double and big number →
 * bulk string, boolean → integer, verbatim → bulk string, attributes dropped).
 *
 * `take()` hands out what was written as chunks; the slab regions it hands out are never written again.
 */
export class ReplyWriter {
  protocol: RespVersion;
  /** Called with each error reply written (the server's error statistics). */
  onError: ((message: string) => void) | null = null;
  private slab: Buffer;
  private start = 0;
  private pos = 0;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private readonly slabSize: number;

  constructor(protocol: RespVersion = 2, slabSize = SLAB_SIZE) {
    this.protocol = protocol;
    this.slabSize = slabSize;
    this.slab = Buffer.allocUnsafe(slabSize);
  }

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    return this.chunkBytes + (this.pos - this.start);
  }

  /** Everything written since the last call, as chunks to write in order (usually one). */
  take(): Buffer[] {
    this.seal();
    const out = this.chunks;
    this.chunks = [];
    this.chunkBytes = 0;
    return out;
  }

  /** Everything written since the last call as one Buffer (copies when there are several chunks). */
  takeBuffer(): Buffer {
    const chunks = this.take();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  }

  /** Copies pre-encoded bytes (see {@link Encoded}). */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.slab.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  ok(): void {
    this.raw(Encoded.ok);
  }

  simple(s: string): void {
    this.line(RespType.SimpleString, s);
  }

  /** An error reply; `message` starts with its code (`ERR …`, `WRONGTYPE …`). CR and LF become spaces. */
  error(message: string): void {
    this.onError?.(message);
    this.line(RespType.Error, /[\r\n]/.test(message) ? message.replace(/[\r\n]/g, ' ') : message);
  }

  integer(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      this.ensure(24);
      this.slab[this.pos++] = RespType.Integer;
      this.digits(n);
      this.crlf();
    } else {
      this.line(RespType.Integer, BigInt(n).toString());
    }
  }

  /**
   * A bulk string. Values of 16 KiB and more are not copied: the caller must not modify `value`
   * after handing it over. Use `bulkCopy` for buffers that will change (lmdb-js's fast reads).
   */
  bulk(value: Uint8Array): void {
    if (value.length >= PASS_THROUGH) {
      this.header(RespType.BulkString, value.length);
      this.seal();
      this.chunks.push(
        Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length),
      );
      this.chunkBytes += value.length;
      this.raw(CRLF);
      return;
    }
    this.bulkCopy(value);
  }

  /** A bulk string, copied into the output buffer now. */
  bulkCopy(value: Uint8Array, start = 0, end = value.length): void {
    const len = end - start;
    this.ensure(len + 24);
    const slab = this.slab;
    slab[this.pos++] = RespType.BulkString;
    this.digits(len);
    this.crlf();
    if (start === 0 && end === value.length) slab.set(value, this.pos);
    else if (len <= SHORT_COPY) {
      // A short range is copied byte by byte: cheaper than making a view of it to copy.
      const pos = this.pos;
      for (let k = 0; k < len; k++) slab[pos + k] = value[start + k] as number;
    } else slab.set(value.subarray(start, end), this.pos);
    this.pos += len;
    this.crlf();
  }

  bulkString(s: string): void {
    const len = Buffer.byteLength(s);
    this.ensure(len + 24);
    this.slab[this.pos++] = RespType.BulkString;
    this.digits(len);
    this.crlf();
    this.pos += this.slab.write(s, this.pos, len, 'utf8');
    this.crlf();
  }

  /** Null in a bulk-string position: `$-1` in RESP2, `_` in RESP3. */
  nullBulk(): void {
    this.raw(this.protocol === 3 ? NULL_RESP3 : NULL_BULK_RESP2);
  }

  /** Null in an array position: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    this.raw(this.protocol === 3 ? NULL_RESP3 : NULL_ARRAY_RESP2);
  }

  arrayHeader(n: number): void {
    this.header(RespType.Array, n);
  }

  /** A map of `n` entries (followed by 2n replies); a flat array of 2n in RESP2. */
  mapHeader(n: number): void {
    if (this.protocol === 3) this.header(RespType.Map, n);
    else this.header(RespType.Array, 2 * n);
  }

  setHeader(n: number): void {
    this.header(this.protocol === 3 ? RespType.Set : RespType.Array, n);
  }

  pushHeader(n: number): void {
    this.header(this.protocol === 3 ? RespType.Push : RespType.Array, n);
  }

  /** A double (`,…` in RESP3, a bulk string in RESP2), printed as `text` when given. */
  double(d: number, text = formatDouble(d)): void {
    if (this.protocol === 3) this.line(RespType.Double, text);
    else this.bulkString(text);
  }

  boolean(b: boolean): void {
    if (this.protocol === 3) this.raw(b ? TRUE_RESP3 : FALSE_RESP3);
    else this.raw(b ? Encoded.one : Encoded.zero);
  }

  bigNumber(n: bigint): void {
    if (this.protocol === 3) this.line(RespType.BigNumber, n.toString());
    else this.bulkString(n.toString());
  }

  /** A verbatim string (`=len\r\ntxt:…`); a plain bulk string in RESP2. `format` is three characters. */
  verbatim(text: string, format = 'txt'): void {
    if (this.protocol === 3) {
      this.header(RespType.VerbatimString, Buffer.byteLength(text) + 4);
      this.ensure(4);
      this.pos += this.slab.write(`${format}:`, this.pos, 4, 'latin1');
      this.raw(Buffer.from(text));
      this.crlf();
    } else {
      this.bulkString(text);
    }
  }

  /** Writes a reply given as a value (see {@link Reply}). */
  reply(value: Reply): void {
    if (value === null) {
      this.nullBulk();
    } else if (typeof value === 'string') {
      this.bulkString(value);
    } else if (typeof value === 'number') {
      if (!Number.isInteger(value)) throw new TypeError(`integer reply expected, got ${value}: use R.double`);
      this.integer(value);
    } else if (typeof value === 'bigint') {
      this.integer(value);
    } else if (typeof value === 'boolean') {
      this.boolean(value);
    } else if (value instanceof Uint8Array) {
      this.bulk(value);
    } else if (Array.isArray(value)) {
      this.arrayHeader(value.length);
      for (const item of value as readonly Reply[]) this.reply(item);
    } else {
      this.tagged(value as TaggedReply);
    }
  }

  private tagged(value: TaggedReply): void {
    switch (value.kind) {
      case 'simple':
        this.simple(value.value);
        break;
      case 'error':
        this.error(value.value);
        break;
      case 'double':
        this.double(value.value);
        break;
      case 'bignum':
        this.bigNumber(value.value);
        break;
      case 'verbatim':
        this.verbatim(value.value, value.format);
        break;
      case 'nullArray':
        this.nullArray();
        break;
      case 'map':
        this.mapHeader(value.entries.length);
        for (const [k, v] of value.entries) {
          this.reply(k);
          this.reply(v);
        }
        return;
      case 'set':
        this.setHeader(value.items.length);
        for (const item of value.items) this.reply(item);
        return;
      case 'push':
        this.pushHeader(value.items.length);
        for (const item of value.items) this.reply(item);
        return;
      case 'attribute':
        if (this.protocol === 3) {
          this.header(RespType.Attribute, value.attributes.length);
          for (const [k, v] of value.attributes) {
            this.reply(k);
            this.reply(v);
          }
        }
        this.reply(value.value);
        return;
    }
  }

  private line(type: number, s: string): void {
    this.ensure(3 * s.length + 3);
    this.slab[this.pos++] = type;
    this.pos += this.slab.write(s, this.pos, 'utf8');
    this.crlf();
  }

  private header(type: number, n: number): void {
    this.ensure(24);
    this.slab[this.pos++] = type;
    this.digits(n);
    this.crlf();
  }

  private crlf(): void {
    this.ensure(2);
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /** Writes a safe integer's decimal digits; the caller has ensured room for 21 bytes. */
  private digits(n: number): void {
    const slab = this.slab;
    let pos = this.pos;
    if (n < 0) {
      slab[pos++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      slab[pos++] = 0x30 + n;
    } else {
      let len = 1;
      for (let t = n; t >= 10; t = Math.floor(t / 10)) len++;
      pos += len;
      let i = pos;
      while (n >= 10) {
        const q = Math.floor(n / 10);
        slab[--i] = 0x30 + (n - q * 10);
        n = q;
      }
      slab[--i] = 0x30 + n;
    }
    this.pos = pos;
  }

  private seal(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.slab.subarray(this.start, this.pos));
      this.chunkBytes += this.pos - this.start;
      this.start = this.pos;
    }
  }

  private ensure(n: number): void {
    if (this.slab.length - this.pos >= n) return;
    this.seal();
    this.slab = Buffer.allocUnsafe(Math.max(this.slabSize, n));
    this.start = 0;
    this.pos = 0;
  }
}

const CRLF = ascii('\r\n');
const TRUE_RESP3 = ascii('#t\r\n');
const FALSE_RESP3 = ascii('#f\r\n');
