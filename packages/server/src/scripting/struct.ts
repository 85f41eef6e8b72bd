/**
 * The `struct` library Redis scripts use: Roberto Ierusalimschy's struct.c 1.7 as redis-server 7 builds
 * it (x86-64, Lua 5.1). `struct.pack(fmt, ...)` makes a binary string, `struct.unpack(fmt, s[, pos])`
 * reads one (its values, then the position after them), `struct.size(fmt)` is the size `pack` makes.
 *
 * Formats: `>` big and `<` little endian (little by default), `![n]` maximum alignment (default 8; 1 until
 * set), `x` a zero byte, `b`/`B` char, `h`/`H` short, `l`/`L` long and `T` size_t (8 bytes), `i`/`I[n]`
 * an integer of n bytes (default 4, at most 32), `f` float, `d` double, `c[n]` n bytes (whole string when
 * packing with n 0; when unpacking, the previous value read is the length), `s` a zero-terminated string,
 * and spaces. Integers go through Lua 5.1's doubles and C's conversions to `long` as x86-64 makes them;
 * unpacked numbers are pushed as Lua 5.1 would show them (`Lua.pushNumber51`).
 */
import { type Lua, toInt64, toUint64 } from './lua.js';

const BIG = 0;
const LITTLE = 1;
/** The x86-64 alignment of a double: `!`'s default. */
const MAXALIGN = 8;
/** Largest size of `i`/`I`. */
const MAXINTSIZE = 32;
const INT_MAX = 2 ** 31 - 1;
const MASK64 = (1n << 64n) - 1n;

/** Raised as luaL_error (the script's position first) by `installStruct`'s wrapper. */
class StructError extends Error {}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** A format being read (up to its first zero byte, as C reads it), with the endianness and alignment. */
class Format {
  private at = 0;
  endian = LITTLE;
  align = 1;
  private readonly fmt: Buffer;

  constructor(
    private readonly lua: Lua,
    fmt: Buffer,
  ) {
    const zero = fmt.indexOf(0);
    this.fmt = zero < 0 ? fmt : fmt.subarray(0, zero);
  }

  /** The next option's byte, or -1 at the end. */
  next(): number {
    return this.at < this.fmt.length ? (this.fmt[this.at++] as number) : -1;
  }

  /** getnum: the number after an option, or `otherwise`. */
  private number(otherwise: number): number {
    if (!isDigit(this.fmt[this.at])) return otherwise;
    let a = 0;
    do {
      const digit = (this.fmt[this.at] as number) - 0x30;
      if (a > Math.trunc(INT_MAX / 10) || a * 10 > INT_MAX - digit) {
        throw new StructError('integral size overflow');
      }
      a = a * 10 + digit;
      this.at++;
    } while (isDigit(this.fmt[this.at]));
    return a;
  }

  /** optsize: the bytes an option takes (0 for those that are no value). */
  size(opt: number): number {
    switch (String.fromCharCode(opt)) {
      case 'B':
      case 'b':
      case 'x':
        return 1;
      case 'H':
      case 'h':
        return 2;
      case 'f':
        return 4;
      case 'L':
      case 'l':
      case 'T':
      case 'd':
        return 8;
      case 'c':
        return this.number(1);
      case 'i':
      case 'I': {
        const size = this.number(4);
        if (size > MAXINTSIZE) {
          throw new StructError(`integral size ${size} is larger than limit of ${MAXINTSIZE}`);
        }
        return size;
      }
      default:
        return 0;
    }
  }

  /** gettoalign: the padding before an option of `size` bytes at `len`. */
  padding(len: bigint, opt: number, size: number): number {
    if (size === 0 || opt === 0x63) return 0;
    const s = Math.min(size, this.align);
    const mask = s - 1; // below 32: the low bits of len are enough
    return (s - (Number(len & 31n) & mask)) & mask;
  }

  /** controloptions: endianness, alignment, spaces; anything else is an invalid option. */
  control(opt: number): void {
    switch (String.fromCharCode(opt)) {
      case ' ':
        return;
      case '>':
        this.endian = BIG;
        return;
      case '<':
        this.endian = LITTLE;
        return;
      case '!': {
        const a = this.number(MAXALIGN);
        if (a <= 0 || (a & (a - 1)) !== 0) throw new StructError(`alignment ${a} is not a power of 2`);
        this.align = a;
        return;
      }
      default:
        this.lua.argError(1, `invalid format option '${String.fromCharCode(opt)}'`);
    }
  }
}

const isInteger = (opt: number): boolean => 'bBhHlLTiI'.includes(String.fromCharCode(opt));

/** `size` bytes of `value` (its low 64 bits; zeros past them) in the given order. */
function integerBytes(value: bigint, size: number, endian: number): Buffer {
  const out = Buffer.alloc(size);
  let v = value;
  for (let i = 0; i < size && v !== 0n; i++) {
    out[endian === LITTLE ? i : size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function pack(lua: Lua): number {
  const format = new Format(lua, lua.checkBytes51(1));
  // struct.c's mark between the arguments and its buffer: a missing argument is this nil.
  lua.m._lua_pushnil(lua.L);
  const parts: Buffer[] = [];
  let total = 0n;
  let arg = 2;
  for (let opt = format.next(); opt !== -1; opt = format.next()) {
    let size = format.size(opt);
    const padding = format.padding(total, opt, size);
    total += BigInt(padding);
    if (padding > 0) parts.push(Buffer.alloc(padding));
    if (isInteger(opt)) {
      const n = lua.checkNumber51(arg++);
      parts.push(integerBytes(n < 0 ? BigInt.asUintN(64, toInt64(n)) : toUint64(n), size, format.endian));
    } else if (opt === 0x78) {
      parts.push(Buffer.alloc(1));
    } else if (opt === 0x66 || opt === 0x64) {
      const n = lua.checkNumber51(arg++);
      const bytes = Buffer.alloc(size);
      if (opt === 0x66) {
        if (format.endian === LITTLE) bytes.writeFloatLE(n);
        else bytes.writeFloatBE(n);
      } else if (format.endian === LITTLE) bytes.writeDoubleLE(n);
      else bytes.writeDoubleBE(n);
      parts.push(bytes);
    } else if (opt === 0x63 || opt === 0x73) {
      const s = lua.checkBytes51(arg++);
      if (size === 0) size = s.length;
      // The argument number is the next one's: struct.c checks after counting this one.
      if (s.length < size) lua.argError(arg, 'string too short');
      parts.push(s.subarray(0, size));
      if (opt === 0x73) {
        parts.push(Buffer.alloc(1));
        size++;
      }
    } else {
      format.control(opt);
    }
    total += BigInt(size);
  }
  lua.pushBytes(Buffer.concat(parts));
  return 1;
}

/** getinteger: `size` bytes as an integer (the last 8 read count), sign-extended as x86-64 does it. */
function readInteger(data: Buffer, at: number, size: number, endian: number, signed: boolean): number {
  let l = 0n;
  for (let i = 0; i < size; i++) {
    const b = data[endian === BIG ? at + i : at + size - 1 - i] as number;
    l = ((l << 8n) | BigInt(b)) & MASK64;
  }
  if (!signed) return Number(l);
  // The shift count is taken modulo 64, as the x86-64 shift instruction does.
  const mask = (MASK64 << BigInt((size * 8 - 1) & 63)) & MASK64;
  if ((l & mask) !== 0n) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function unpack(lua: Lua): number {
  const { m, L } = lua;
  const format = new Format(lua, lua.checkBytes51(1));
  const data = lua.checkBytes51(2);
  const ld = BigInt(data.length);
  let pos = BigInt.asUintN(64, lua.optInteger51(3, 1n));
  if (pos === 0n) lua.argError(3, 'offset must be 1 or greater');
  pos--;
  let n = 0;
  const fits = (size: bigint) => size <= ld && pos <= ld - size;
  for (let opt = format.next(); opt !== -1; opt = format.next()) {
    let size = BigInt(format.size(opt));
    pos = (pos + BigInt(format.padding(pos, opt, Number(size)))) & MASK64;
    if (!fits(size)) lua.argError(2, 'data string too short');
    lua.checkStack51(2, 'too many results');
    const at = Number(pos);
    if (isInteger(opt)) {
      const signed = opt >= 0x61; // lower case
      lua.pushNumber51(readInteger(data, at, Number(size), format.endian, signed));
      n++;
    } else if (opt === 0x78) {
      // padding
    } else if (opt === 0x66) {
      lua.pushNumber51(format.endian === LITTLE ? data.readFloatLE(at) : data.readFloatBE(at));
      n++;
    } else if (opt === 0x64) {
      lua.pushNumber51(format.endian === LITTLE ? data.readDoubleLE(at) : data.readDoubleBE(at));
      n++;
    } else if (opt === 0x63) {
      if (size === 0n) {
        const previous = n === 0 ? null : lua.toNumber51(-1);
        if (previous === null) throw new StructError("format 'c0' needs a previous size");
        size = toUint64(previous);
        m._lua_settop(L, -2);
        n--;
        if (!fits(size)) lua.argError(2, 'data string too short');
      }
      lua.pushBytes(data.subarray(at, at + Number(size)));
      n++;
    } else if (opt === 0x73) {
      const end = data.indexOf(0, at);
      if (end < 0) throw new StructError('unfinished string in data');
      size = BigInt(end - at + 1);
      lua.pushBytes(data.subarray(at, end));
      n++;
    } else {
      format.control(opt);
    }
    pos = (pos + size) & MASK64;
  }
  lua.pushNumber51(Number(BigInt.asIntN(64, pos + 1n)));
  return n + 1;
}

function size(lua: Lua): number {
  const format = new Format(lua, lua.checkBytes51(1));
  let pos = 0n;
  for (let opt = format.next(); opt !== -1; opt = format.next()) {
    const size = format.size(opt);
    pos += BigInt(format.padding(pos, opt, size));
    if (opt === 0x73) lua.argError(1, "option 's' has no fixed size");
    else if (opt === 0x63 && size === 0) lua.argError(1, "option 'c0' has no fixed size");
    if (!isAlnum(opt)) format.control(opt);
    pos += BigInt(size);
  }
  lua.pushNumber51(Number(pos));
  return 1;
}

/** Installs the `struct` table as a global (called while the environment is set up). */
export function installStruct(lua: Lua): void {
  const { m, L } = lua;
  m._lua_createtable(L, 0, 3);
  for (const [name, f] of [
    ['pack', pack],
    ['unpack', unpack],
    ['size', size],
  ] as const) {
    lua.pushFunction((l) => {
      try {
        return f(l);
      } catch (err) {
        if (!(err instanceof Error)) throw err; // a Lua error on its way
        return l.raiseError(err instanceof StructError ? err.message : `struct: ${err.message}`);
      }
    });
    m._lua_setfield(L, -2, lua.name(name));
  }
  m._lua_setglobal(L, lua.name('struct'));
}
