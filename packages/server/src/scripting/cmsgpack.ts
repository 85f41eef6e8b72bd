/**
 * The `cmsgpack` library Redis scripts use: lua-cmsgpack 0.4.0 as redis-server 7 builds it, on Lua 5.1.
 * `cmsgpack.pack(...)` encodes each argument and concatenates them; `cmsgpack.unpack(s)` decodes every
 * value in `s`; `unpack_one(s[, offset])` and `unpack_limit(s, limit[, offset])` decode some and return
 * the offset to go on from first (-1 at the end).
 *
 * Lua 5.1 has only doubles, and lua-cmsgpack encodes a number with an integral value in 64 bits as the
 * smallest integer type, any other as a float32 when that is exact, else a float64. Lua 5.4's floats with
 * integral values (`10/2`) are encoded as 5.1 would encode them: as integers. A table whose keys are
 * exactly 1..n is an array, any other a map (in the order Lua's `next` gives); a table nested 16 deep
 * is encoded as nil. Decoded numbers are pushed as Lua 5.1 would show them (`Lua.pushNumber51`). The
 * 5.1 stack bound (LUAI_MAXCSTACK) applies as it does in redis-server, with its messages.
 */
import { type Lua, T_BOOLEAN, T_NIL, T_NUMBER, T_STRING, T_TABLE } from './lua.js';

const MAX_NESTING = 16;
const INT_MAX = 2 ** 31 - 1;

/** Raised as luaL_error (the script's position first) by `installCmsgpack`'s wrapper. */
class MsgpackError extends Error {}

/** An output buffer that grows by doubling. */
class Output {
  private buf = Buffer.allocUnsafe(64);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** `b` followed by `value` big-endian in `size` bytes. */
  typed(b: number, value: bigint | number, size: 1 | 2 | 4 | 8): void {
    this.reserve(1 + size);
    this.buf[this.length] = b;
    const at = this.length + 1;
    if (size === 8) this.buf.writeBigUInt64BE(BigInt.asUintN(64, BigInt(value)), at);
    else this.buf.writeUIntBE(Number(BigInt.asUintN(size * 8, BigInt(value))), at, size);
    this.length += 1 + size;
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  take(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

class Encoder {
  readonly out = new Output();
  /** The strings redis-server's mp_pack has left on the stack for the arguments already encoded. */
  done = 0;

  constructor(private readonly lua: Lua) {}

  private need(n: number, message: string): void {
    this.lua.checkStack51(n, message, this.done);
  }

  /** mp_encode_lua_type: encodes the value on top of the stack and pops it. */
  value(level: number): void {
    const { m, L } = this.lua;
    let type = m._lua_type(L, -1);
    if (type === T_TABLE && level === MAX_NESTING) type = T_NIL;
    switch (type) {
      case T_STRING:
        this.string(this.lua.toBytes(-1));
        break;
      case T_BOOLEAN:
        this.out.byte(m._lua_toboolean(L, -1) ? 0xc3 : 0xc2);
        break;
      case T_NUMBER:
        this.number(m._lua_tonumberx(L, -1, 0));
        break;
      case T_TABLE:
        if (this.isArray()) this.array(level);
        else this.map(level);
        break;
      default:
        this.out.byte(0xc0);
    }
    m._lua_settop(L, -2);
  }

  private string(s: Buffer): void {
    const len = s.length;
    if (len < 32) this.out.byte(0xa0 | len);
    else if (len <= 0xff) this.out.typed(0xd9, len, 1);
    else if (len <= 0xffff) this.out.typed(0xda, len, 2);
    else this.out.typed(0xdb, len, 4);
    this.out.bytes(s);
  }

  private number(n: number): void {
    // IS_INT64_EQUIVALENT: (int64_t)n == n.
    if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) this.integer(BigInt(n));
    else if (Math.fround(n) === n) this.float(n, 0xca, 4);
    else this.float(n, 0xcb, 8);
  }

  private float(n: number, b: number, size: 4 | 8): void {
    const bytes = Buffer.allocUnsafe(size);
    if (size === 4) bytes.writeFloatBE(n);
    else bytes.writeDoubleBE(n);
    this.out.byte(b);
    this.out.bytes(bytes);
  }

  private integer(n: bigint): void {
    const out = this.out;
    if (n >= 0n) {
      if (n <= 127n) out.byte(Number(n));
      else if (n <= 0xffn) out.typed(0xcc, n, 1);
      else if (n <= 0xffffn) out.typed(0xcd, n, 2);
      else if (n <= 0xffffffffn) out.typed(0xce, n, 4);
      else out.typed(0xcf, n, 8);
    } else if (n >= -32n) out.byte(Number(n) & 0xff);
    else if (n >= -128n) out.typed(0xd0, n, 1);
    else if (n >= -32768n) out.typed(0xd1, n, 2);
    else if (n >= -2147483648n) out.typed(0xd2, n, 4);
    else out.typed(0xd3, n, 8);
  }

  private header(n: number, fix: number, b16: number, b32: number): void {
    if (n <= 15) this.out.byte(fix | n);
    else if (n <= 0xffff) this.out.typed(b16, n, 2);
    else this.out.typed(b32, n, 4);
  }

  /** table_is_an_array: every key a number with an integral value in 1..INT_MAX, and none missing. */
  private isArray(): boolean {
    const { m, L } = this.lua;
    const top = m._lua_gettop(L);
    this.need(2, 'in function table_is_an_array');
    let count = 0;
    let max = 0;
    m._lua_pushnil(L);
    while (m._lua_next(L, top) !== 0) {
      m._lua_settop(L, -2);
      const n = m._lua_type(L, -1) === T_NUMBER ? m._lua_tonumberx(L, -1, 0) : 0;
      if (n <= 0 || !Number.isInteger(n) || n > INT_MAX) {
        m._lua_settop(L, top);
        return false;
      }
      max = Math.max(max, n);
      count++;
    }
    return max === count;
  }

  private array(level: number): void {
    const { m, L } = this.lua;
    const t = m._lua_gettop(L);
    const len = Number(m._lua_rawlen(L, t));
    this.header(len, 0x90, 0xdc, 0xdd);
    this.need(1, 'in function mp_encode_lua_table_as_array');
    for (let j = 1; j <= len; j++) {
      m._lua_rawgeti(L, t, BigInt(j));
      this.value(level + 1);
    }
  }

  private map(level: number): void {
    const { m, L } = this.lua;
    const t = m._lua_gettop(L);
    this.need(3, 'in function mp_encode_lua_table_as_map');
    let len = 0;
    m._lua_pushnil(L);
    while (m._lua_next(L, t) !== 0) {
      m._lua_settop(L, -2);
      len++;
    }
    this.header(len, 0x80, 0xde, 0xdf);
    m._lua_pushnil(L);
    while (m._lua_next(L, t) !== 0) {
      m._lua_pushvalue(L, -2);
      this.value(level + 1); // the key
      this.value(level + 1); // the value
    }
  }
}

function pack(lua: Lua): number {
  const { m, L } = lua;
  const nargs = m._lua_gettop(L);
  if (nargs === 0) return lua.argError(0, 'MessagePack pack needs input.');
  if (nargs * 2 > 8000) return lua.argError(0, 'Too many arguments for MessagePack pack.');
  const encoder = new Encoder(lua);
  for (let i = 1; i <= nargs; i++) {
    lua.checkStack51(1, 'in function mp_check', encoder.done);
    m._lua_pushvalue(L, i);
    encoder.value(0);
    encoder.done++;
  }
  lua.pushBytes(encoder.out.take());
  return 1;
}

const EOF = 1;
const BADFMT = 2;

/** A table being filled: how many entries are left, and for a map whether its key is on the stack. */
interface Open {
  map: boolean;
  left: number;
  index: number;
  haveKey: boolean;
}

/**
 * mp_decode_to_lua_type and its helpers, over `s` from `p`, pushing what they decode. The nesting is
 * kept in a list instead of recursion (inputs nest thousands deep), with the same pushes and stack
 * checks, in the same order, as redis-server's recursion.
 */
class Decoder {
  err = 0;

  constructor(
    private readonly lua: Lua,
    private readonly s: Buffer,
    public p: number,
  ) {}

  get left(): number {
    return this.s.length - this.p;
  }

  /** mp_cur_need: false (and the error set) when fewer than `n` bytes are left. */
  private has(n: number): boolean {
    if (this.left >= n) return true;
    this.err = EOF;
    return false;
  }

  /** Decodes one value (with everything in it) and pushes it; on a failure, sets `err` and stops. */
  value(): void {
    const lua = this.lua;
    const { m, L } = lua;
    const open: Open[] = [];
    for (;;) {
      // Start a value: a scalar is pushed whole, a table is pushed empty and opened.
      const table = this.start();
      if (this.err) return;
      if (table !== null) {
        m._lua_createtable(L, 0, 0);
        if (!table.map) lua.checkStack51(1, 'in function mp_decode_to_lua_array');
        open.push(table);
      } else {
        // A value is complete: it goes into the table it belongs to.
        const parent = open[open.length - 1];
        if (parent === undefined) return;
        if (parent.map && !parent.haveKey) {
          parent.haveKey = true;
          continue; // now its value
        }
        if (parent.map) this.checkKey();
        m._lua_rawset(L, -3);
        parent.haveKey = false;
        parent.left--;
      }
      // Go on with the innermost open table: its next entry, or it is complete.
      for (;;) {
        const current = open[open.length - 1];
        if (current === undefined) return;
        if (current.left > 0) {
          if (!current.map) m._lua_pushinteger(L, BigInt(current.index++));
          break;
        }
        open.pop();
        const parent = open[open.length - 1];
        if (parent === undefined) return;
        if (parent.map && !parent.haveKey) {
          parent.haveKey = true;
          break;
        }
        if (parent.map) this.checkKey();
        m._lua_rawset(L, -3);
        parent.haveKey = false;
        parent.left--;
      }
    }
  }

  /** lua_settable's errors for the key below the value on top, in Lua 5.1's words (5.4's differ). */
  private checkKey(): void {
    const lua = this.lua;
    const { m, L } = lua;
    const keyType = m._lua_type(L, -2);
    if (keyType === T_NIL || (keyType === T_NUMBER && Number.isNaN(m._lua_tonumberx(L, -2, 0)))) {
      lua.pushString(keyType === T_NIL ? 'table index is nil' : 'table index is NaN');
      lua.error();
    }
  }

  /** Reads a value's header: pushes a scalar (null), or returns the table it starts. */
  private start(): Open | null {
    if (!this.has(1)) return null;
    const lua = this.lua;
    const { m, L } = lua;
    const s = this.s;
    const p = this.p;
    lua.checkStack51(1, 'too many return values at once; use unpack_one or unpack_limit instead.');
    const c = s[p] as number;
    const fixed = (size: number, read: () => number): null => {
      if (!this.has(1 + size)) return null;
      lua.pushNumber51(read());
      this.p += 1 + size;
      return null;
    };
    const table = (map: boolean, header: number, len: number): Open | null => {
      if (!this.has(header)) return null;
      this.p += header;
      return { map, left: len, index: 1, haveKey: false };
    };
    switch (c) {
      case 0xcc:
        return fixed(1, () => s.readUInt8(p + 1));
      case 0xd0:
        return fixed(1, () => s.readInt8(p + 1));
      case 0xcd:
        return fixed(2, () => s.readUInt16BE(p + 1));
      case 0xd1:
        return fixed(2, () => s.readInt16BE(p + 1));
      case 0xce:
        return fixed(4, () => s.readUInt32BE(p + 1));
      case 0xd2:
        return fixed(4, () => s.readInt32BE(p + 1));
      // uint 64 goes through lua_Integer (int64_t), and both become doubles.
      case 0xcf:
      case 0xd3:
        return fixed(8, () => Number(s.readBigInt64BE(p + 1)));
      case 0xca:
        return fixed(4, () => s.readFloatBE(p + 1));
      case 0xcb:
        return fixed(8, () => s.readDoubleBE(p + 1));
      case 0xc0:
        m._lua_pushnil(L);
        this.p++;
        return null;
      case 0xc3:
      case 0xc2:
        m._lua_pushboolean(L, c === 0xc3 ? 1 : 0);
        this.p++;
        return null;
      case 0xd9:
        if (this.has(2)) this.string(2, s.readUInt8(p + 1));
        return null;
      case 0xda:
        if (this.has(3)) this.string(3, s.readUInt16BE(p + 1));
        return null;
      case 0xdb:
        if (this.has(5)) this.string(5, s.readUInt32BE(p + 1));
        return null;
      case 0xdc:
        return table(false, 3, this.has(3) ? s.readUInt16BE(p + 1) : 0);
      case 0xdd:
        return table(false, 5, this.has(5) ? s.readUInt32BE(p + 1) : 0);
      case 0xde:
        return table(true, 3, this.has(3) ? s.readUInt16BE(p + 1) : 0);
      case 0xdf:
        return table(true, 5, this.has(5) ? s.readUInt32BE(p + 1) : 0);
    }
    if ((c & 0x80) === 0) {
      lua.pushNumber51(c);
      this.p++;
    } else if ((c & 0xe0) === 0xe0) {
      lua.pushNumber51(c - 256);
      this.p++;
    } else if ((c & 0xe0) === 0xa0) {
      this.string(1, c & 0x1f);
    } else if ((c & 0xf0) === 0x90) {
      return table(false, 1, c & 0xf);
    } else if ((c & 0xf0) === 0x80) {
      return table(true, 1, c & 0xf);
    } else {
      this.err = BADFMT;
    }
    return null;
  }

  /** A string of `len` bytes after a header of `header` bytes. */
  private string(header: number, len: number): void {
    if (!this.has(header + len)) return;
    const start = this.p + header;
    this.lua.pushBytes(this.s.subarray(start, start + len));
    this.p = start + len;
  }
}

/** A C `(int)` of a 64-bit integer, as redis-server's messages print them with %d. */
function int32(n: bigint | number): number {
  return Number(BigInt.asIntN(32, BigInt(n)));
}

/** mp_unpack_full: decodes `limit` values from `offset` (all of them when both are 0). */
function unpackFull(lua: Lua, limit: bigint, offset: bigint): number {
  const { m, L } = lua;
  const s = lua.checkBytes51(1);
  const len = BigInt(s.length);
  const all = limit === 0n && offset === 0n;
  if (offset < 0n || limit < 0n) {
    throw new MsgpackError(
      `Invalid request to unpack with offset of ${int32(offset)} and limit of ${int32(len)}.`,
    );
  }
  if (offset > len) {
    throw new MsgpackError(`Start offset ${int32(offset)} greater than input length ${int32(len)}.`);
  }
  const max = all ? BigInt(INT_MAX) : limit;
  const decoder = new Decoder(lua, s, Number(offset));
  let count = 0;
  for (; decoder.left > 0 && count < max; count++) {
    decoder.value();
    if (decoder.err === EOF) throw new MsgpackError('Missing bytes in input.');
    if (decoder.err === BADFMT) throw new MsgpackError('Bad data format in input.');
  }
  if (all) return count;
  lua.checkStack51(1, 'in function mp_unpack_full');
  m._lua_pushinteger(L, decoder.left === 0 ? -1n : BigInt(decoder.p));
  m._lua_rotate(L, 2, 1); // lua_insert(L, 2): the offset comes first
  return count + 1;
}

/** Installs the `cmsgpack` table as a global (called while the environment is set up). */
export function installCmsgpack(lua: Lua): void {
  const { m, L } = lua;
  m._lua_createtable(L, 0, 8);
  const fn = (name: string, f: (l: Lua) => number) => {
    lua.pushFunction((l) => {
      try {
        return f(l);
      } catch (err) {
        if (!(err instanceof Error)) throw err; // a Lua error on its way
        return l.raiseError(err instanceof MsgpackError ? err.message : `cmsgpack: ${err.message}`);
      }
    });
    m._lua_setfield(L, -2, lua.name(name));
  };
  fn('pack', pack);
  fn('unpack', (l) => unpackFull(l, 0n, 0n));
  fn('unpack_one', (l) => {
    const offset = l.optInteger51(2, 0n);
    l.m._lua_settop(l.L, Math.min(l.m._lua_gettop(l.L), 1));
    return unpackFull(l, 1n, offset);
  });
  fn('unpack_limit', (l) => {
    const limit = l.checkInteger51(2);
    const offset = l.optInteger51(3, 0n);
    l.m._lua_settop(l.L, Math.min(l.m._lua_gettop(l.L), 1));
    return unpackFull(l, limit, offset);
  });
  for (const [field, value] of [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ] as const) {
    lua.pushString(value);
    m._lua_setfield(L, -2, lua.name(field));
  }
  m._lua_setglobal(L, lua.name('cmsgpack'));
}
