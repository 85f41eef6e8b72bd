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
}

export type LuaCallback = (lua: Lua) => number;

/** One Lua state and the helpers to move values in and out of it. */
export class Lua {
  private readonly names = new Map<string, number>();
  private scratch: number;
  private scratchSize = 4096;
  private readonly lenPtr: number;

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
}
