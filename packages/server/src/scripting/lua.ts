/**
 * A Lua 5.4 state (wasmoon: the C Lua interpreter compiled to WebAssembly), driven through Lua's C API.
 * wasmoon's own object layer is used only to create the state: it converts strings as UTF-8, and Redis
 * scripts need byte strings. Strings cross as bytes copied through the WebAssembly heap; integers are
 * 64-bit and cross as BigInt.
 *
 * A JS function called from Lua must never throw: a JS exception would unwind through Lua's frames and
 * leave the state broken. Callbacks catch everything and raise Lua errors instead (`error`).
 */
import { LuaFactory } from 'wasmoon';

export const T_NIL = 0;
export const T_BOOLEAN = 1;
export const T_NUMBER = 3;
export const T_STRING = 4;
export const T_TABLE = 5;
export const T_FUNCTION = 6;
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_REGISTRYINDEX = -1001000;
const LUA_MASKCOUNT = 8;

/** The C API functions this module uses, as wasmoon's module exports them. */
interface LuaModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  addFunction(fn: (...args: number[]) => number | undefined, signature: string): number;
  stringToNewUTF8(s: string): number;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, idx: number): void;
  _lua_absindex(L: number, idx: number): number;
  _lua_pushvalue(L: number, idx: number): void;
  _lua_type(L: number, idx: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushlstring(L: number, ptr: number, len: number): number;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_tolstring(L: number, idx: number, lenPtr: number): number;
  _lua_toboolean(L: number, idx: number): number;
  _lua_isinteger(L: number, idx: number): number;
  _lua_tointegerx(L: number, idx: number, isnum: number): bigint;
  _lua_tonumberx(L: number, idx: number, isnum: number): number;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_getfield(L: number, idx: number, k: number): number;
  _lua_setfield(L: number, idx: number, k: number): void;
  _lua_getglobal(L: number, name: number): number;
  _lua_setglobal(L: number, name: number): void;
  _lua_rawgeti(L: number, idx: number, n: bigint): number;
  _lua_rawseti(L: number, idx: number, n: bigint): void;
  _lua_rawset(L: number, idx: number): void;
  _lua_rawlen(L: number, idx: number): bigint;
  _lua_next(L: number, idx: number): number;
  _lua_setmetatable(L: number, idx: number): number;
  _lua_error(L: number): number;
  _lua_pcallk(L: number, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _lua_sethook(L: number, fn: number, mask: number, count: number): void;
  _luaL_loadbufferx(L: number, buf: number, len: number, name: number, mode: number): number;
  _luaL_ref(L: number, t: number): number;
  _luaL_unref(L: number, t: number, ref: number): void;
  _lua_newthread(L: number): number;
  _lua_resetthread(L: number): number;
  _lua_resume(L: number, from: number, nargs: number, nresults: number): number;
  _lua_yieldk(L: number, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: number): number;
  _lua_checkstack(L: number, n: number): number;
  _lua_rotate(L: number, idx: number, n: number): void;
  _lua_concat(L: number, n: number): void;
  _luaL_where(L: number, level: number): void;
  _lua_getstack(L: number, level: number, ar: number): number;
  _lua_getinfo(L: number, what: number, ar: number): number;
}

export type LuaCallback = (lua: Lua) => number;

/** LUAI_MAXCSTACK: the most values a C function may hold on its stack in Redis's Lua 5.1. */
const MAXCSTACK_51 = 8000;
/** lua_typename for lua_type's results (and -1, no value), as luaL_typename names them in errors. */
const TYPE_NAMES_51: Record<number, string> = {
  [-1]: 'no value',
  0: 'nil',
  1: 'boolean',
  2: 'userdata',
  3: 'number',
  4: 'string',
  5: 'table',
  6: 'function',
  7: 'userdata',
  8: 'thread',
};

/** One Lua state and the helpers to move values in and out of it. */
export class Lua {
  private readonly names = new Map<string, number>();
  private scratch: number;
  private scratchSize = 4096;
  private readonly lenPtr: number;
  /** A lua_Debug (about 110 bytes in wasm32), for the name a C function was called by. */
  private debugInfo = 0;

  /**
   * The thread being driven: the main state, or while a script runs, its coroutine (a callback from Lua
   * works on the thread that called it).
   */
  L: number;

  private constructor(
    readonly m: LuaModule,
    /** The main state. */
    readonly main: number,
    private readonly global: { getMemoryUsed(): number; setMemoryMax(max: number | undefined): void },
  ) {
    this.L = main;
    this.scratch = m._malloc(this.scratchSize);
    this.lenPtr = m._malloc(4);
  }

  /** A new state with Lua's standard libraries; `memoryMax` bounds what Lua may allocate. */
  static async create(memoryMax: number): Promise<Lua> {
    const engine = await new LuaFactory().createEngine({
      traceAllocations: true,
      injectObjects: false,
      enableProxy: false,
    });
    engine.global.setMemoryMax(memoryMax);
    const internals = engine.global as unknown as { lua: { module: LuaModule }; address: number };
    return new Lua(internals.lua.module, internals.address, engine.global);
  }

  get memoryUsed(): number {
    return this.global.getMemoryUsed();
  }

  /** A C string for a field or global name, made once. */
  name(s: string): number {
    let p = this.names.get(s);
    if (p === undefined) {
      p = this.m.stringToNewUTF8(s);
      this.names.set(s, p);
    }
    return p;
  }

  pushBytes(bytes: Uint8Array): void {
    const m = this.m;
    if (bytes.length > this.scratchSize) {
      m._free(this.scratch);
      this.scratchSize = bytes.length * 2;
      this.scratch = m._malloc(this.scratchSize);
    }
    // HEAPU8 is replaced when the WebAssembly memory grows: read it afresh every time.
    m.HEAPU8.set(bytes, this.scratch);
    m._lua_pushlstring(this.L, this.scratch, bytes.length);
  }

  pushString(s: string): void {
    this.pushBytes(Buffer.from(s, 'latin1'));
  }

  /** The string (or number, converted by Lua) at `idx` as a fresh Buffer. */
  toBytes(idx: number): Buffer {
    const m = this.m;
    const p = m._lua_tolstring(this.L, idx, this.lenPtr);
    const len = m.HEAPU32[this.lenPtr >> 2] as number;
    return Buffer.from(m.HEAPU8.subarray(p, p + len));
  }

  toLatin1(idx: number): string {
    return this.toBytes(idx).toString('latin1');
  }

  type(idx: number): number {
    return this.m._lua_type(this.L, idx);
  }

  /** Registers `fn` as a C function value on the stack. */
  pushFunction(fn: LuaCallback): void {
    const ptr = this.m.addFunction((L: number) => this.on(L, () => fn(this)), 'ii');
    this.m._lua_pushcclosure(this.L, ptr, 0);
  }

  /** Runs `fn` with `L` as the thread being driven (a callback from Lua, a hook). */
  on<T>(L: number, fn: () => T): T {
    const previous = this.L;
    this.L = L;
    try {
      return fn();
    } finally {
      this.L = previous;
    }
  }

  /** Raises the value on top of the stack as a Lua error (returns to the caller through Lua). */
  error(): number {
    return this.m._lua_error(this.L);
  }

  /** Pushes a table `{ [field] = message }` (`err` or `ok`). */
  pushFieldTable(field: string, message: Uint8Array | string): void {
    this.m._lua_createtable(this.L, 0, 1);
    if (typeof message === 'string') this.pushString(message);
    else this.pushBytes(message);
    this.m._lua_setfield(this.L, -2, this.name(field));
  }

  /** Compiles `source` as a text chunk named `chunkName`; pushes the function, or returns the error. */
  load(source: Uint8Array, chunkName: string): string | null {
    const m = this.m;
    const p = m._malloc(Math.max(1, source.length));
    m.HEAPU8.set(source, p);
    const status = m._luaL_loadbufferx(this.L, p, source.length, this.name(chunkName), this.name('t'));
    m._free(p);
    if (status === LUA_OK) return null;
    const message = this.toLatin1(-1);
    m._lua_settop(this.L, -2);
    return message;
  }

  /** Runs Lua source text at load time (the environment's own setup); throws on error. */
  run(source: string): void {
    const error = this.load(Buffer.from(source, 'latin1'), '=setup');
    if (error !== null) throw new Error(error);
    const status = this.m._lua_pcallk(this.L, 0, 0, 0, 0, 0);
    if (status !== LUA_OK) {
      const message = this.toLatin1(-1);
      this.m._lua_settop(this.L, 0);
      throw new Error(message);
    }
  }

  /** A count hook: `fn` runs every `count` instructions (0 removes it). */
  setHook(fn: number, count: number, L = this.L): void {
    this.m._lua_sethook(L, fn, count === 0 ? 0 : LUA_MASKCOUNT, count);
  }

  // Lua 5.1's auxiliary library (luaL_error, luaL_argerror, luaL_check*) as the C libraries Redis links
  // in see it, for the libraries written here in their place: the same conversions, limits and messages.

  /** luaL_error: raises `message` (latin1 bytes) prefixed with where the calling script is. */
  raiseError(message: string): number {
    this.m._luaL_where(this.L, 1);
    this.pushString(message);
    this.m._lua_concat(this.L, 2);
    return this.error();
  }

  /** luaL_argerror: "bad argument #n to 'name' (message)", the name being what the caller called. */
  argError(narg: number, message: string): number {
    const { name, namewhat } = this.calledAs();
    if (namewhat === 'method') {
      narg--;
      if (narg === 0) return this.raiseError(`calling '${name}' on bad self (${message})`);
    }
    return this.raiseError(`bad argument #${narg} to '${name ?? '?'}' (${message})`);
  }

  /**
   * luaL_checkstack with 5.1's bound: `n` more values fit below LUAI_MAXCSTACK, or an error. `extra`:
   * values redis-server's C code would be holding on the stack that this code keeps elsewhere.
   */
  checkStack51(n: number, message: string, extra = 0): void {
    const { m, L } = this;
    if (m._lua_gettop(L) + extra + n > MAXCSTACK_51 || m._lua_checkstack(L, n) === 0) {
      this.raiseError(`stack overflow (${message})`);
    }
  }

  /** The name the running C function was called by, as lua_getinfo(L, "n") reports it. */
  private calledAs(): { name: string | null; namewhat: string } {
    const m = this.m;
    if (this.debugInfo === 0) this.debugInfo = m._malloc(256);
    const ar = this.debugInfo;
    if (m._lua_getstack(this.L, 0, ar) === 0) return { name: null, namewhat: '' };
    m._lua_getinfo(this.L, this.name('n'), ar);
    const cString = (p: number): string | null => {
      if (p === 0) return null;
      const heap = m.HEAPU8;
      const end = heap.indexOf(0, p);
      return Buffer.from(heap.subarray(p, end)).toString('latin1');
    };
    return {
      name: cString(m.HEAPU32[(ar + 4) >> 2] as number),
      namewhat: cString(m.HEAPU32[(ar + 8) >> 2] as number) ?? '',
    };
  }

  /** luaL_typename of the argument at `idx` ("no value" past the last one). */
  typeName51(idx: number): string {
    return TYPE_NAMES_51[idx > this.m._lua_gettop(this.L) ? -1 : this.type(idx)] ?? 'userdata';
  }

  /** lua_tonumber: a number, or a string Lua 5.1 reads as one (strtod's syntax); null otherwise. */
  toNumber51(idx: number): number | null {
    const type = this.type(idx);
    if (type === T_NUMBER) return this.m._lua_tonumberx(this.L, idx, 0);
    if (type === T_STRING) return str2number51(this.toBytes(idx));
    return null;
  }

  /** luaL_checknumber. */
  checkNumber51(idx: number): number {
    const n = this.toNumber51(idx);
    if (n === null) this.argError(idx, `number expected, got ${this.typeName51(idx)}`);
    return n as number;
  }

  /** luaL_checkinteger: the number truncated to a 64-bit integer (as the x86-64 conversion does it). */
  checkInteger51(idx: number): bigint {
    return toInt64(this.checkNumber51(idx));
  }

  /** luaL_optinteger. */
  optInteger51(idx: number, otherwise: bigint): bigint {
    return this.type(idx) <= T_NIL ? otherwise : this.checkInteger51(idx);
  }

  /** luaL_checklstring: a string's bytes, or a number as Lua 5.1 writes it (`%.14g`). */
  checkBytes51(idx: number): Buffer {
    const type = this.type(idx);
    if (type === T_STRING) return this.toBytes(idx);
    if (type === T_NUMBER)
      return Buffer.from(formatNumber51(this.m._lua_tonumberx(this.L, idx, 0)), 'latin1');
    this.argError(idx, `string expected, got ${this.typeName51(idx)}`);
    return Buffer.alloc(0);
  }

  /**
   * lua_pushnumber as Lua 5.1 shows the number: an integral value under 1e14 as an integer (5.1 prints
   * `5`, where 5.4 prints a float as `5.0`), others as floats (both print those with `%.14g`).
   */
  pushNumber51(x: number): void {
    if (Number.isInteger(x) && Math.abs(x) < 1e14 && !Object.is(x, -0)) {
      this.m._lua_pushinteger(this.L, BigInt(x));
    } else {
      this.m._lua_pushnumber(this.L, x);
    }
  }
}

const INT64_MIN = -(2n ** 63n);

/** A C cast of a double to int64_t on x86-64 (cvttsd2si): truncated; NaN and out of range give INT64_MIN. */
export function toInt64(x: number): bigint {
  if (Number.isNaN(x) || x >= 2 ** 63 || x < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

/**
 * A C cast of a double to uint64_t on x86-64 (gcc's sequence: below 2^63 as int64_t, NaN included; from
 * 2^63 on, the difference as int64_t with the top bit flipped).
 */
export function toUint64(x: number): bigint {
  if (!(x >= 2 ** 63)) return BigInt.asUintN(64, toInt64(x));
  return BigInt.asUintN(64, toInt64(x - 2 ** 63) ^ INT64_MIN);
}

/** Whether a NaN has its sign bit set (glibc prints it `-nan`). */
function negativeNaN(x: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return (view.getUint8(0) & 0x80) !== 0;
}

/** A number as Lua 5.1 writes it: C's `%.14g` (glibc's inf and nan spellings). */
export function formatNumber51(x: number): string {
  if (Number.isNaN(x)) return negativeNaN(x) ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, e] = x.toExponential(13).split('e') as [string, string];
  const exp = Number(e);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 14) {
    return `${trim(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return trim(x.toFixed(13 - exp));
}

/** strtod's syntax (C99: decimal, hexadecimal, inf, nan), with the white space around it that Lua 5.1 allows. */
const STRTOD =
  /^[ \t\n\v\f\r]*([+-]?)(?:0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?|([0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?)|(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?))[ \t\n\v\f\r]*$/i;

/** luaO_str2d: the string (up to its first zero byte, as C reads it) as Lua 5.1 converts it to a number. */
export function str2number51(bytes: Buffer): number | null {
  const zero = bytes.indexOf(0);
  const text = bytes.toString('latin1', 0, zero < 0 ? bytes.length : zero);
  const match = STRTOD.exec(text);
  if (match === null) return null;
  const [, sign, hexInt, hexFrac, hexExp, decimal, inf, nan] = match;
  let x: number;
  if (hexInt !== undefined) {
    const digits = hexInt + (hexFrac ?? '');
    if (digits === '') return null;
    x = Number(BigInt(`0x${digits}`)) * 2 ** (Number(hexExp ?? 0) - 4 * (hexFrac ?? '').length);
  } else if (decimal !== undefined) {
    if (!/[0-9]/.test(decimal.split(/[eE]/)[0] as string)) return null;
    x = Number(decimal);
  } else if (inf !== undefined) {
    x = Number.POSITIVE_INFINITY;
  } else if (nan !== undefined) {
    return nan51(sign === '-', nan.slice(4, -1));
  } else {
    return null;
  }
  return sign === '-' ? -x : x;
}

/** glibc's strtod of "nan(payload)": a quiet NaN carrying the payload (read as strtoull does, base 0). */
function nan51(negative: boolean, payload: string): number {
  let v = 0n;
  if (/^0[xX][0-9a-fA-F]+$/.test(payload)) v = BigInt(payload);
  else if (/^0[0-7]*$/.test(payload)) v = BigInt(`0o0${payload}`);
  else if (/^[1-9][0-9]*$/.test(payload)) v = BigInt(payload);
  if (v >= 1n << 64n) v = (1n << 64n) - 1n; // strtoull saturates
  const view = new DataView(new ArrayBuffer(8));
  const bits = (negative ? 1n << 63n : 0n) | 0x7ff8000000000000n | (v & ((1n << 51n) - 1n));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}
