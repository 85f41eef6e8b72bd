/**
 * EVAL's engine: one Lua state for the server (as redis-server has), the scripts it has compiled by SHA1,
 * and the `redis` library scripts call. Conversions between Lua values and RESP replies follow
 * redis-server 7's rules, both ways (convert.ts).
 *
 * The environment mirrors Redis 7.0's: base, table, string and math libraries; no os, io, debug, package
 * or require; reading a global that does not exist and writing any global are errors. The interpreter
 * is Lua 5.4, where Redis embeds 5.1: `unpack`, `loadstring`, `math.pow` and `table.getn` are provided,
 * and one difference remains visible to scripts: Lua 5.4 prints a float with an integral value as
 * `5.0` where 5.1 prints `5` (`tostring(10/2)`). Numbers passed to `redis.call` are formatted as 5.1
 * does (`5`, `2.5`), so commands see what redis-server would give them.
 */

import { createHash } from 'node:crypto';
import { ReplyWriter, type RespVersion } from '@sluice/protocol';
import { formatG17 } from '../commands/_double.js';
import { errorReply } from '../errors.js';
import { CommitList } from '../keyspace/batch.js';
import type { LogLevel } from '../log.js';
import {
  encodeString,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_FUNCTION2,
  RdbReader,
  verifiedBody,
  withFooter,
} from '../rdb.js';
import { installCjson } from './cjson.js';
import { installCmsgpack } from './cmsgpack.js';
import { luaToReply, pushReply } from './convert.js';
import {
  LUA_OK,
  LUA_REGISTRYINDEX,
  LUA_YIELD,
  Lua,
  T_FUNCTION,
  T_NIL,
  T_NUMBER,
  T_STRING,
  T_TABLE,
} from './lua.js';
import {
  parseLibraryMetadata,
  parseScriptShebang,
  SCRIPT_FLAGS,
  type ScriptFlag,
  type ScriptFlags,
  validName,
} from './shebang.js';
import { installStruct } from './struct.js';

/** Bytes that one Lua state may allocate (scripts, their data, the compiled scripts). */
export const LUA_MEMORY_MAX = 256 * 1024 * 1024;
/** Where the count hook looks at the clock. */
const HOOK_INSTRUCTIONS = 10_000;
/** Past busy-reply-threshold, a script yields to the event loop after running this long. */
const SLICE_MS = 20;
/** How long running a library's code at FUNCTION LOAD may take (redis-server's LOAD_TIMEOUT_MS). */
export const LIBRARY_LOAD_TIMEOUT_MS = 500;

/** What a running script asks of the server. */
export interface ScriptHost {
  /**
   * Runs a command for the script, with the script's checks (unknown command, arity, not allowed from
   * scripts, writes from a read-only script): the reply's bytes in `resp`, or the error (without its
   * leading '-') when it was refused before running.
   */
  call(argv: Buffer[], resp: RespVersion): { reply: Buffer } | { refused: string };
  /** Whether the script has run a write command: then it is never stopped midway (atomicity). */
  readonly wrote: boolean;
  log(level: LogLevel, message: string): void;
  /** Whether the command (and subcommand) of `argv` exists (redis.acl_check_cmd). */
  exists(argv: Buffer[]): boolean;
}

/**
 * One run of a script, in a Lua coroutine of its own, driven by `ScriptEngine.step`. A script that runs
 * past busy-reply-threshold becomes `busy`: it yields to the event loop every `SLICE_MS`, and meanwhile
 * the server answers other clients `-BUSY`, as redis-server does, until it ends or SCRIPT KILL stops it.
 */
export class ScriptRun {
  /** Set once the script has ended: its reply, in the caller's protocol. */
  reply: Buffer | null = null;
  /** The protocol of the script's redis.call replies (redis.setresp). */
  resp: RespVersion = 2;
  busy = false;
  killRequested = false;
  /** SHUTDOWN NOSAVE: it never runs again. */
  abandoned = false;
  /**
   * The error table a stop raises (a registry reference, 0 until then): raised again at every
   * instruction, the message handler marks in it where the script was.
   */
  killRef = 0;
  /** The batches the script's writes joined: its reply waits for them. */
  readonly commits = new CommitList();
  started = false;
  /** Values the first resume passes: the runner's function, and a function's keys and arguments. */
  nargs = 1;
  sliceStartedAt = 0;

  /** When it started (FUNCTION STATS' duration). */
  readonly startedAt = Date.now();

  constructor(
    readonly host: ScriptHost,
    /** EVAL's scripts or FCALL's functions: each has its own KILL command and BUSY message. */
    readonly kind: 'eval' | 'function',
    /** The script's SHA1 or the function's name, as errors name it. */
    readonly name: string,
    /** The command that runs it (FUNCTION STATS). */
    readonly command: readonly Buffer[],
    /** The coroutine it runs in (the engine's, which keeps a registry reference to it). */
    readonly thread: number,
    /** Whether it may yield (not inside MULTI/EXEC, where nothing may wait). */
    readonly yieldable: boolean,
    readonly deadline: number,
    /** The caller's protocol, for the reply. */
    readonly protocol: RespVersion,
  ) {}

  get done(): boolean {
    return this.reply !== null;
  }
}

/** A function a library registered (redis.register_function). */
export interface LuaFunction {
  readonly name: string;
  readonly library: Library;
  /** Registry reference of its callback. */
  readonly ref: number;
  readonly description: Buffer | null;
  readonly flags: ReadonlySet<ScriptFlag>;
}

/** A library loaded by FUNCTION LOAD or RESTORE. */
export interface Library {
  readonly name: string;
  /** Its code as given, `#!` line included (FUNCTION LIST WITHCODE, DUMP). */
  readonly code: Buffer;
  readonly functions: Map<string, LuaFunction>;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'verbose', 'notice', 'warning'];

/** The Lua side of the environment, run once when the state is made. */
const SETUP = `
unpack = table.unpack
math.pow = function(x, y) return x ^ y end
table.getn = function(t) return #t end
local rawload = load
load = function(chunk, name, mode, env) return rawload(chunk, name, 't', env) end
loadstring = function(chunk, name) return rawload(chunk, name, 't') end
string.dump = nil
-- As Redis 7's pcall: an error table (redis.call's) reaches the script as its message.
local rawpcall, pack, unpack_, type_ = pcall, table.pack, table.unpack, type
pcall = function(...)
  local r = pack(rawpcall(...))
  if not r[1] and type_(r[2]) == 'table' and type_(r[2].err) == 'string' then return false, r[2].err end
  return unpack_(r, 1, r.n)
end
local getinfo, tostring, type = debug.getinfo, tostring, type
-- Redis 7's error handler: every error becomes a table with the code, and where it happened.
__sluice_err_handler = function(err)
  -- Where the script was: past the C function that raised (redis.call) and this environment's own code.
  local level = 2
  local i = getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.source == '=setup') do
    level = level + 1
    i = getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end
-- The bit library (LuaBitOp's semantics: 32-bit signed results), on Lua 5.4's integer operators.
do
  local tointeger, floor, fmod, select, format = math.tointeger, math.floor, math.fmod, select, string.format
  local function tobit(x)
    local n = tointeger(x)
    if n == nil then
      x = fmod(x, 4294967296.0)
      local f = floor(x)
      local d = x - f
      if d > 0.5 or (d == 0.5 and f % 2 == 1) then f = f + 1 end
      n = tointeger(f) or 0
    end
    n = n & 0xffffffff
    if n >= 0x80000000 then n = n - 0x100000000 end
    return n
  end
  local function fold(op)
    return function(x, ...)
      local r = tobit(x)
      for i = 1, select('#', ...) do r = op(r, tobit((select(i, ...)))) end
      return tobit(r)
    end
  end
  local function u32(x) return tobit(x) & 0xffffffff end
  bit = {
    tobit = tobit,
    bnot = function(x) return tobit(~tobit(x)) end,
    band = fold(function(a, b) return a & b end),
    bor = fold(function(a, b) return a | b end),
    bxor = fold(function(a, b) return a ~ b end),
    lshift = function(x, n) return tobit(u32(x) << (tobit(n) & 31)) end,
    rshift = function(x, n) return tobit(u32(x) >> (tobit(n) & 31)) end,
    arshift = function(x, n) return tobit(tobit(x) // (1 << (tobit(n) & 31))) end,
    rol = function(x, n)
      local b, k = u32(x), tobit(n) & 31
      return tobit((b << k) | (b >> (32 - k)))
    end,
    ror = function(x, n)
      local b, k = u32(x), tobit(n) & 31
      return tobit((b >> k) | (b << (32 - k)))
    end,
    bswap = function(x)
      local b = u32(x)
      return tobit(((b >> 24) & 0xff) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | ((b & 0xff) << 24))
    end,
    tohex = function(x, n)
      n = n == nil and 8 or tobit(n)
      local hex = '%0' .. (n < 0 and -n or n) .. (n < 0 and 'X' or 'x')
      if n < 0 then n = -n end
      if n > 8 then n = 8 end
      local b = u32(x)
      if n < 8 then b = b & ((1 << (4 * n)) - 1) end
      return format('%0' .. n .. (hex:sub(-1)), b)
    end,
  }
end
-- A script runs as __sluice_run(script): inside xpcall, so that its errors get Redis 7's shape, and in
-- a coroutine, so that a long one can yield.
local xpcall, handler = xpcall, __sluice_err_handler
__sluice_run = function(f, ...)
  local ok, result = xpcall(f, handler, ...) -- a script's reply is its first value, as in Redis
  return ok, result
end
-- A function library's code (FUNCTION LOAD) runs in an environment of its own: while it loads, reads
-- go to the load-time API (redis.register_function, redis.log, …) only; once loaded, to the globals
-- but KEYS and ARGV (a function gets its keys and arguments as parameters). Writes are errors.
local rawget_, setmetatable_, real_globals = rawget, setmetatable, nil
-- PROTECT hands over the table the globals live in once they are read-only.
__sluice_set_globals = function(t) real_globals = t end
__sluice_library = function(code, api)
  local source = api
  local env = setmetatable_({}, {
    __index = function(_, k)
      local v
      if source then v = rawget_(source, k) elseif k ~= 'KEYS' and k ~= 'ARGV' then v = rawget_(real_globals, k) end
      if v == nil then error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
      return v
    end,
    __newindex = function() error('Attempt to modify a readonly table', 2) end,
  })
  local f, err = rawload(code, '@user_function', 't', env)
  if not f then return false, err end
  return f, function() source = nil end
end
-- Lua 5.1's gcinfo (kilobytes in use); 5.4's additions that Redis's 5.1 lacks are removed.
local collect = collectgarbage
gcinfo = function() return collect('count') // 1 end
os, io, debug, package, require, dofile, loadfile, utf8 = nil, nil, nil, nil, nil, nil, nil, nil
print, rawlen, warn = nil, nil, nil
`;

/** The load-time API of function libraries: the part of `redis` that redis-server 7 gives them. */
const LOAD_API = `
local r, error, tostring = redis, error, tostring
local api = {
  register_function = __sluice_register, log = r.log, REDIS_VERSION = r.REDIS_VERSION,
  REDIS_VERSION_NUM = r.REDIS_VERSION_NUM, LOG_DEBUG = r.LOG_DEBUG, LOG_VERBOSE = r.LOG_VERBOSE,
  LOG_NOTICE = r.LOG_NOTICE, LOG_WARNING = r.LOG_WARNING,
}
setmetatable(api, {
  __index = function(_, k) error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end,
  __newindex = function() error('Attempt to modify a readonly table', 2) end,
})
__sluice_load_api = { redis = api }
`;

/**
 * Makes the globals read-only, as Redis 7 does (its Lua has read-only tables; Lua 5.4 has not): they move
 * to a table behind an empty `_G`, whose reads fall through to it and whose writes are errors, and the
 * libraries (`redis`, `string`, `cjson`, …) are replaced by read-only views of themselves. Reading a
 * global that does not exist is an error. Lookups stay in the VM's fast path (tables as `__index`).
 * KEYS and ARGV are replaced in the hidden table before each run.
 */
const PROTECT = `
local error, tostring, next, setmetatable, rawset, type, G = error, tostring, next, setmetatable, rawset, type, _G
local function readonly() error('Attempt to modify a readonly table', 2) end
local function view(t)
  return setmetatable({}, {
    __index = t, __newindex = readonly, __pairs = function() return next, t, nil end,
    __len = function() return #t end, __metatable = {},
  })
end
local real = {}
for k, v in next, G do real[k] = v end
for _, name in next, { 'string', 'table', 'math', 'redis', 'cjson', 'cmsgpack', 'struct', 'bit' } do
  if type(real[name]) == 'table' then real[name] = view(real[name]) end
end
getmetatable('').__index = real.string
real.__sluice_set_globals(real)
real.__sluice_set_globals = nil
local names = {}
for k in next, G do names[#names + 1] = k end
for i = 1, #names do rawset(G, names[i], nil) end
setmetatable(real, {
  __index = function(_, k) error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end,
})
setmetatable(G, {
  __index = real, __newindex = readonly, __pairs = function() return next, real, nil end, __metatable = {},
})
rawset(G, '__sluice_globals', real)
`;

export class ScriptEngine {
  /** Compiled scripts: SHA1 (lowercase hex) → registry reference of the function. */
  private readonly scripts = new Map<string, { readonly ref: number; readonly flags: ScriptFlags }>();
  /** Loaded function libraries by name (case matters), and their functions by lowercase name. */
  readonly libraries = new Map<string, Library>();
  private readonly functions = new Map<string, LuaFunction>();
  /** The library whose code runs now (FUNCTION LOAD, RESTORE): redis.register_function adds to it. */
  private loading: Library | null = null;
  private loadDeadline = 0;
  private readonly loadHook: number;
  private libraryRef = 0;
  /** The table the globals live in, behind the read-only `_G` (see PROTECT). */
  private globalsRef = 0;
  private loadApiRef = 0;
  /** The run in progress (started, not ended): at most one. */
  private run: ScriptRun | null = null;
  private runnerRef = 0;
  private readonly nresults: number;
  /** The coroutine scripts run in, reset after each (one script runs at a time), and its reference. */
  private thread = 0;
  private threadRef = 0;
  /** Where a script's reply is encoded, per protocol (reused: a reply taken stays valid). */
  private readonly replies = { 2: new ReplyWriter(2), 3: new ReplyWriter(3) } as const;
  /** Set while a script is running: the count hook compares the clock with it. */
  private readonly hook: number;

  private constructor(
    private readonly lua: Lua,
    /** busy-reply-threshold, read live. */
    private readonly timeLimitMs: () => number,
  ) {
    this.nresults = lua.m._malloc(4);
    this.hook = lua.m.addFunction((L: number) => {
      const run = this.run;
      if (run === null) return undefined;
      lua.on(L, () => this.onHook(run, L));
      return undefined;
    }, 'vii');
    this.loadHook = lua.m.addFunction((L: number) => {
      if (this.loadDeadline === 0 || Date.now() <= this.loadDeadline) return undefined;
      lua.on(L, () => {
        lua.pushFieldTable('err', 'ERR FUNCTION LOAD timeout');
        lua.error();
      });
      return undefined;
    }, 'vii');
  }

  static async create(timeLimitMs: () => number): Promise<ScriptEngine> {
    const lua = await Lua.create(LUA_MEMORY_MAX);
    const engine = new ScriptEngine(lua, timeLimitMs);
    engine.setup();
    return engine;
  }

  private setup(): void {
    const lua = this.lua;
    const { m, L } = lua;
    lua.run(SETUP);
    m._lua_getglobal(L, lua.name('__sluice_run'));
    this.runnerRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    m._lua_getglobal(L, lua.name('__sluice_library'));
    this.libraryRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    for (const name of ['__sluice_run', '__sluice_err_handler', '__sluice_library']) {
      m._lua_pushnil(L);
      m._lua_setglobal(L, lua.name(name));
    }
    // The redis library.
    m._lua_createtable(L, 0, 24);
    /** A JS callback as a Lua function that never lets a JS exception unwind through Lua. */
    const pushGuarded = (f: (lua: Lua) => number) => {
      lua.pushFunction((l) => {
        try {
          return f(l);
        } catch (err) {
          // A Lua error raised by the callback (lua_error unwinds as a non-Error throw) goes on.
          if (!(err instanceof Error)) throw err;
          // Raise a JS exception as a script error.
          l.pushFieldTable('err', `ERR ${err.message}`);
          return l.error();
        }
      });
    };
    const fn = (name: string, f: (lua: Lua) => number) => {
      pushGuarded(f);
      m._lua_setfield(L, -2, lua.name(name));
    };
    fn('call', (l) => this.call(l, true));
    fn('pcall', (l) => this.call(l, false));
    fn('error_reply', (l) => this.errorReply(l));
    fn('status_reply', (l) => this.statusReply(l));
    fn('sha1hex', (l) => {
      if (m._lua_gettop(l.L) !== 1) return this.raise(l, 'wrong number of arguments');
      l.pushString(sha1(l.toBytes(1)));
      return 1;
    });
    fn('log', (l) => this.log(l));
    fn('setresp', (l) => {
      const n = m._lua_gettop(l.L);
      const v = n === 1 && m._lua_type(l.L, 1) === T_NUMBER ? Number(m._lua_tonumberx(l.L, 1, 0)) : 0;
      if (n !== 1) return this.raise(l, 'redis.setresp() requires one argument.');
      if (v !== 2 && v !== 3) return this.raise(l, 'RESP version must be 2 or 3.');
      if (this.run !== null) this.run.resp = v;
      return 0;
    });
    fn('set_repl', () => 0);
    fn('replicate_commands', (l) => {
      m._lua_pushboolean(l.L, 1);
      return 1;
    });
    fn('breakpoint', (l) => {
      m._lua_pushboolean(l.L, 0);
      return 1;
    });
    fn('debug', () => 0);
    fn('acl_check_cmd', (l) => {
      const n = m._lua_gettop(l.L);
      if (n === 0) return this.raise(l, 'Please specify at least one argument for this redis lib call');
      const argv: Buffer[] = [];
      for (let i = 1; i <= n; i++) {
        const type = m._lua_type(l.L, i);
        if (type !== T_STRING && type !== T_NUMBER) {
          return this.raise(l, 'Lua redis lib command arguments must be strings or integers');
        }
        argv.push(type === T_NUMBER ? Buffer.from(formatNumber(l, i), 'latin1') : l.toBytes(i));
      }
      // Sluice has one user, allowed every command: a command that exists is allowed.
      if (this.run === null || !this.run.host.exists(argv)) {
        return this.raise(l, 'Invalid command passed to redis.acl_check_cmd()');
      }
      m._lua_pushboolean(l.L, 1);
      return 1;
    });
    const setInt = (name: string, v: number) => {
      m._lua_pushinteger(L, BigInt(v));
      m._lua_setfield(L, -2, lua.name(name));
    };
    for (const [i, level] of LOG_LEVELS.entries()) setInt(`LOG_${level.toUpperCase()}`, i);
    setInt('REPL_NONE', 0);
    setInt('REPL_AOF', 1);
    setInt('REPL_SLAVE', 2);
    setInt('REPL_REPLICA', 2);
    setInt('REPL_ALL', 3);
    lua.pushString(REDIS_VERSION);
    m._lua_setfield(L, -2, lua.name('REDIS_VERSION'));
    setInt('REDIS_VERSION_NUM', REDIS_VERSION_NUM);
    m._lua_setglobal(L, lua.name('redis'));
    // KEYS and ARGV exist from the start, so that setting them per run never meets the protection.
    for (const name of ['KEYS', 'ARGV']) {
      m._lua_createtable(L, 0, 0);
      m._lua_setglobal(L, lua.name(name));
    }
    installCjson(lua);
    installCmsgpack(lua);
    installStruct(lua);
    // The load-time API of function libraries.
    m._lua_settop(L, 0);
    pushGuarded((l) => this.registerFunction(l));
    m._lua_setglobal(L, lua.name('__sluice_register'));
    lua.run(LOAD_API);
    m._lua_getglobal(L, lua.name('__sluice_load_api'));
    this.loadApiRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    for (const name of ['__sluice_register', '__sluice_load_api']) {
      m._lua_pushnil(L);
      m._lua_setglobal(L, lua.name(name));
    }
    lua.run(PROTECT);
    m._lua_getglobal(L, lua.name('__sluice_globals'));
    this.globalsRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    m._lua_pushnil(L);
    m._lua_setglobal(L, lua.name('__sluice_globals'));
  }

  /** Whether a script with this SHA1 (any case) is cached. */
  has(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** The flags a cached script declared on its `#!lua` line (null: none, compatibility mode). */
  scriptFlags(sha: string): ScriptFlags | undefined {
    return this.scripts.get(sha.toLowerCase())?.flags;
  }

  /** Compiles and caches a script; returns its SHA1, or the error reply (without '-'). */
  load(body: Buffer): { sha: string } | { error: string } {
    const sha = sha1(body);
    if (this.scripts.has(sha)) return { sha };
    const shebang = parseScriptShebang(body);
    if ('error' in shebang) return shebang;
    // The `#!` line is left out, its line feed kept, so that line numbers stay the script's.
    const error = this.lua.load(body.subarray(shebang.codeStart), '@user_script');
    if (error !== null) return { error: `ERR Error compiling script (new function): ${luaMessage(error)}` };
    this.scripts.set(sha, { ref: this.lua.m._luaL_ref(this.lua.L, LUA_REGISTRYINDEX), flags: shebang.flags });
    return { sha };
  }

  /** SCRIPT FLUSH: forgets every cached script. */
  flush(): void {
    const { m, L } = this.lua;
    for (const { ref } of this.scripts.values()) m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
    this.scripts.clear();
  }

  get cached(): number {
    return this.scripts.size;
  }

  get memoryUsed(): number {
    return this.lua.memoryUsed;
  }

  /** The run that makes the server answer `-BUSY` (past busy-reply-threshold), or null. */
  get busyRun(): ScriptRun | null {
    return this.run?.busy ? this.run : null;
  }

  /**
   * Starts a cached script with its KEYS and ARGV; `step` runs it. Undefined when no script has this
   * SHA1. `yieldable`: whether it may yield to the event loop (not inside MULTI/EXEC).
   */
  start(
    sha: string,
    keys: readonly Buffer[],
    argv: readonly Buffer[],
    host: ScriptHost,
    protocol: RespVersion,
    yieldable: boolean,
    command: readonly Buffer[] = [],
  ): ScriptRun | undefined {
    const lowered = sha.toLowerCase();
    const script = this.scripts.get(lowered);
    if (script === undefined) return undefined;
    this.setArray('KEYS', keys);
    this.setArray('ARGV', argv);
    return this.begin(
      new ScriptRun(
        host,
        'eval',
        lowered,
        command,
        this.prepareThread(),
        yieldable,
        this.deadline(),
        protocol,
      ),
      script.ref,
      null,
    );
  }

  /** Starts a function (FCALL) with its keys and arguments as its two parameters; `step` runs it. */
  startFunction(
    fn: LuaFunction,
    keys: readonly Buffer[],
    argv: readonly Buffer[],
    host: ScriptHost,
    protocol: RespVersion,
    yieldable: boolean,
    command: readonly Buffer[],
  ): ScriptRun {
    const run = new ScriptRun(
      host,
      'function',
      fn.name,
      command,
      this.prepareThread(),
      yieldable,
      this.deadline(),
      protocol,
    );
    return this.begin(run, fn.ref, [keys, argv]);
  }

  /** The function FCALL names (ignoring case), or undefined. */
  findFunction(name: string): LuaFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  private prepareThread(): number {
    const { m } = this.lua;
    if (this.thread === 0) {
      this.thread = m._lua_newthread(this.lua.main);
      this.threadRef = m._luaL_ref(this.lua.main, LUA_REGISTRYINDEX);
    }
    return this.thread;
  }

  private deadline(): number {
    const limit = this.timeLimitMs();
    return limit > 0 ? Date.now() + limit : Number.POSITIVE_INFINITY;
  }

  /** Puts the runner, the function and its parameters on the run's thread, and sets the count hook. */
  private begin(run: ScriptRun, ref: number, params: readonly (readonly Buffer[])[] | null): ScriptRun {
    const lua = this.lua;
    const { m } = lua;
    const thread = run.thread;
    m._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(this.runnerRef));
    m._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(ref));
    if (params !== null) {
      lua.on(thread, () => {
        for (const values of params) this.pushArray(values);
      });
    }
    run.nargs = 1 + (params?.length ?? 0);
    lua.setHook(this.hook, HOOK_INSTRUCTIONS, thread);
    return run;
  }

  // --- Function libraries (FUNCTION LOAD, FCALL) ---

  /**
   * FUNCTION LOAD: compiles a library and runs its code, which registers its functions, then makes them
   * callable (replacing a library of the same name if `replace`). The library's name, or the error reply.
   */
  loadLibrary(code: Buffer, replace: boolean): { name: string } | { error: string } {
    const meta = libraryMeta(code);
    if ('error' in meta) return meta;
    const old = this.libraries.get(meta.name);
    if (old !== undefined && !replace) return { error: errorReply('libraryExists', meta.name) };
    const library = this.createLibrary(meta.name, code, meta.body, LIBRARY_LOAD_TIMEOUT_MS);
    if ('error' in library) return library;
    const taken = this.takenFunction([library], new Set(old === undefined ? [] : [old]));
    if (taken !== null) {
      this.release(library);
      return { error: errorReply('functionExists', taken) };
    }
    if (old !== undefined) this.drop(old);
    this.link(library);
    return { name: library.name };
  }

  /** FUNCTION DELETE: false when no library has this name. */
  deleteLibrary(name: string): boolean {
    const library = this.libraries.get(name);
    if (library === undefined) return false;
    this.drop(library);
    return true;
  }

  /** FUNCTION FLUSH. */
  flushLibraries(): void {
    for (const library of [...this.libraries.values()]) this.drop(library);
  }

  /** FUNCTION DUMP: every library, as redis-server serializes them (RDB FUNCTION2 records). */
  dumpLibraries(): Buffer {
    const parts: Buffer[] = [];
    for (const library of this.libraries.values()) {
      parts.push(Buffer.from([RDB_OPCODE_FUNCTION2]), encodeString(library.code));
    }
    return withFooter(Buffer.concat(parts));
  }

  /**
   * FUNCTION RESTORE: the libraries of a dump payload, added (`append`: an existing name is an error;
   * `replace`: it is replaced) or instead of every loaded one (`flush`). Null, or the error reply; on
   * an error nothing changes.
   */
  restoreLibraries(payload: Buffer, policy: 'flush' | 'append' | 'replace'): { error: string } | null {
    const body = verifiedBody(payload);
    if (body === null) return { error: errorReply('badDumpPayload') };
    const reader = new RdbReader(body);
    const created: Library[] = [];
    const fail = (error: string) => {
      for (const library of created) this.release(library);
      return { error };
    };
    while (reader.remaining > 0) {
      const type = reader.byte();
      if (type === RDB_OPCODE_FUNCTION_PRE_GA)
        return fail(errorReply('functionPayload', 'Pre-GA function format not supported'));
      if (type !== RDB_OPCODE_FUNCTION2)
        return fail(errorReply('functionPayload', 'given type is not a function'));
      const code = reader.string();
      if (code === null)
        return fail(errorReply('functionPayload', 'failed loading the given functions payload'));
      const meta = libraryMeta(code);
      if ('error' in meta) return fail(meta.error);
      if (created.some((l) => l.name === meta.name)) return fail(errorReply('libraryExists', meta.name));
      const library = this.createLibrary(meta.name, Buffer.from(code), meta.body, 0);
      if ('error' in library) return fail(library.error);
      // Names clash among the payload's libraries first (they load into a set of their own).
      const clash = [...library.functions.keys()].find((name) =>
        created.some((l) => [...l.functions.keys()].some((n) => n.toLowerCase() === name.toLowerCase())),
      );
      created.push(library);
      if (clash !== undefined) return fail(errorReply('functionExists', clash));
    }
    const replaced = new Set<Library>();
    if (policy === 'flush') {
      for (const library of this.libraries.values()) replaced.add(library);
    } else {
      for (const library of created) {
        const old = this.libraries.get(library.name);
        if (old === undefined) continue;
        if (policy === 'append') return fail(errorReply('libraryExistsRestore', library.name));
        replaced.add(old);
      }
      const taken = this.takenFunction(created, replaced);
      if (taken !== null) return fail(errorReply('functionExists', taken));
    }
    for (const library of replaced) this.drop(library);
    for (const library of created) this.link(library);
    return null;
  }

  /** What FUNCTION STATS reports of the engine. */
  get functionCount(): number {
    return this.functions.size;
  }

  /**
   * The first function of `libraries` whose name (ignoring case) a loaded library other than those
   * `leaving` has already; null when none.
   */
  private takenFunction(libraries: readonly Library[], leaving: ReadonlySet<Library>): string | null {
    for (const library of libraries) {
      for (const name of library.functions.keys()) {
        const other = this.functions.get(name.toLowerCase());
        if (other !== undefined && !leaving.has(other.library)) return name;
      }
    }
    return null;
  }

  /**
   * Compiles a library's code (`body`: from the line feed that ends its `#!` line) in an environment of
   * its own and runs it, so that it registers its functions; `timeoutMs` bounds the run (0: no bound).
   */
  private createLibrary(
    name: string,
    code: Buffer,
    body: Buffer,
    timeoutMs: number,
  ): Library | { error: string } {
    const lua = this.lua;
    const { m } = lua;
    const L = lua.main;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.libraryRef));
    lua.pushBytes(body);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.loadApiRef));
    if (m._lua_pcallk(L, 2, 2, 0, 0, 0) !== LUA_OK || m._lua_type(L, -2) !== T_FUNCTION) {
      const message = lua.type(-1) === T_STRING ? luaMessage(lua.toLatin1(-1)) : 'unknown error';
      m._lua_settop(L, 0);
      return { error: errorReply('functionCompile', message) };
    }
    // The stack: the library's chunk, and the function that ends its load-time environment.
    const library: Library = { name, code, functions: new Map() };
    m._lua_pushvalue(L, -2);
    this.loading = library;
    this.loadDeadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    lua.setHook(this.loadHook, HOOK_INSTRUCTIONS, L);
    const status = m._lua_pcallk(L, 0, 0, 0, 0, 0);
    lua.setHook(this.loadHook, 0, L);
    this.loading = null;
    if (status !== LUA_OK) {
      const message = this.errorMessage(-1);
      m._lua_settop(L, 0);
      this.release(library);
      return { error: errorReply('functionRegister', message) };
    }
    m._lua_pcallk(L, 0, 0, 0, 0, 0);
    m._lua_settop(L, 0);
    if (library.functions.size === 0) return { error: errorReply('noFunctionsRegistered') };
    return library;
  }

  /** A raised error's message: an error table's `err`, or `ERR <message>` for a string. */
  private errorMessage(idx: number): string {
    const lua = this.lua;
    const { m, L } = lua;
    const type = lua.type(idx);
    if (type === T_STRING || type === T_NUMBER) return `ERR ${lua.toLatin1(idx)}`;
    if (type !== T_TABLE) return 'ERR unknown error';
    const t = m._lua_absindex(L, idx);
    const field = m._lua_getfield(L, t, lua.name('err'));
    const message = field === T_STRING ? lua.toLatin1(-1) : 'ERR unknown error';
    m._lua_settop(L, -2);
    return message;
  }

  /** redis.register_function(name, callback) or redis.register_function{function_name=…, callback=…, flags=…, description=…}. */
  private registerFunction(lua: Lua): number {
    const { m, L } = lua;
    const library = this.loading;
    if (library === null)
      return this.raise(lua, 'redis.register_function can only be called on FUNCTION LOAD command');
    const n = m._lua_gettop(L);
    if (n < 1 || n > 2) return this.raise(lua, 'wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: Buffer | null = null;
    let ref = 0;
    const flags = new Set<ScriptFlag>();
    const fail = (message: string): number => {
      if (ref !== 0) m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
      return this.raise(lua, message);
    };
    const isString = (idx: number) => {
      const type = m._lua_type(L, idx);
      return type === T_STRING || type === T_NUMBER;
    };
    const takeCallback = (idx: number) => {
      if (ref !== 0) m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
      m._lua_pushvalue(L, idx);
      ref = m._luaL_ref(L, LUA_REGISTRYINDEX);
    };
    if (n === 2) {
      if (!isString(1)) return fail('first argument to redis.register_function must be a string');
      if (m._lua_type(L, 2) !== T_FUNCTION)
        return fail('second argument to redis.register_function must be a function');
      name = lua.toLatin1(1);
      takeCallback(2);
    } else {
      if (m._lua_type(L, 1) !== T_TABLE) {
        return fail(
          'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).',
        );
      }
      m._lua_pushnil(L);
      while (m._lua_next(L, 1) !== 0) {
        if (!isString(-2)) return fail('named argument key given to redis.register_function is not a string');
        // A copy of the key is read: converting the key itself in place would confuse lua_next.
        m._lua_pushvalue(L, -2);
        const key = lua.toLatin1(-1).toLowerCase();
        m._lua_settop(L, -2);
        if (key === 'function_name') {
          if (!isString(-1))
            return fail('function_name argument given to redis.register_function must be a string');
          name = lua.toLatin1(-1);
        } else if (key === 'description') {
          if (!isString(-1))
            return fail('description argument given to redis.register_function must be a string');
          description = lua.toBytes(-1);
        } else if (key === 'callback') {
          if (m._lua_type(L, -1) !== T_FUNCTION)
            return fail('callback argument given to redis.register_function must be a function');
          takeCallback(-1);
        } else if (key === 'flags') {
          if (m._lua_type(L, -1) !== T_TABLE) {
            return fail(
              'flags argument to redis.register_function must be a table representing function flags',
            );
          }
          const t = m._lua_absindex(L, -1);
          for (let j = 1; ; j++) {
            const type = m._lua_rawgeti(L, t, BigInt(j));
            if (type === T_NIL) {
              m._lua_settop(L, -2);
              break;
            }
            const flag = isString(-1) ? lua.toLatin1(-1).toLowerCase() : null;
            m._lua_settop(L, -2);
            if (flag === null || !(SCRIPT_FLAGS as readonly string[]).includes(flag))
              return fail('unknown flag given');
            flags.add(flag as ScriptFlag);
          }
        } else {
          return fail('unknown argument given to redis.register_function');
        }
        m._lua_settop(L, -2);
      }
      if (name === null) return fail('redis.register_function must get a function name argument');
      if (ref === 0) return fail('redis.register_function must get a callback argument');
    }
    if (!validName(name)) return fail(errorReply('libraryNameInvalid').slice(4));
    if (library.functions.has(name)) return fail('Function already exists in the library');
    library.functions.set(name, { name, library, ref, description, flags });
    return 0;
  }

  private link(library: Library): void {
    this.libraries.set(library.name, library);
    for (const fn of library.functions.values()) this.functions.set(fn.name.toLowerCase(), fn);
  }

  /** Unlinks a library and frees its functions. */
  private drop(library: Library): void {
    this.libraries.delete(library.name);
    for (const fn of library.functions.values()) {
      if (this.functions.get(fn.name.toLowerCase()) === fn) this.functions.delete(fn.name.toLowerCase());
    }
    this.release(library);
  }

  private release(library: Library): void {
    const { m } = this.lua;
    for (const fn of library.functions.values()) m._luaL_unref(this.lua.main, LUA_REGISTRYINDEX, fn.ref);
  }

  /**
   * Runs a started script until it ends (true: its reply is set) or yields (false: call again from a
   * later turn of the event loop). Only one script runs at a time.
   */
  step(run: ScriptRun): boolean {
    const lua = this.lua;
    const { m } = lua;
    this.run = run;
    run.sliceStartedAt = Date.now();
    const nargs = run.started ? 0 : run.nargs;
    run.started = true;
    const status = lua.on(run.thread, () => m._lua_resume(run.thread, lua.main, nargs, this.nresults));
    if (status === LUA_YIELD) return false;
    const out = this.replies[run.protocol];
    lua.on(run.thread, () => {
      if (run.killRef !== 0) {
        // Stopped: its error, wherever the last raise of it ended (the handler noted the place).
        m._lua_rawgeti(run.thread, LUA_REGISTRYINDEX, BigInt(run.killRef));
        this.writeError(-1, run.name, out);
        m._luaL_unref(run.thread, LUA_REGISTRYINDEX, run.killRef);
      } else if (status !== LUA_OK) {
        // An error outside the script's xpcall (out of memory while starting it): a message.
        out.error(
          `ERR Error running script: ${lua.type(-1) === T_STRING ? lua.toLatin1(-1) : 'unknown error'}`,
        );
      } else if (m._lua_toboolean(run.thread, -2) !== 0) {
        luaToReply(lua, -1, out, run.resp);
      } else {
        this.writeError(-1, run.name, out);
      }
    });
    run.reply = out.takeBuffer();
    this.run = null;
    // Ready for the next script (a coroutine that ended, even with an error, can be reset and reused).
    if (m._lua_resetthread(run.thread) !== LUA_OK) {
      m._luaL_unref(lua.main, LUA_REGISTRYINDEX, this.threadRef);
      this.thread = 0;
    }
    m._lua_settop(lua.main, 0);
    return true;
  }

  /** SHUTDOWN NOSAVE: the busy script is never resumed (its writes never commit). */
  abandon(): void {
    const run = this.run;
    if (run === null) return;
    run.abandoned = true;
    this.run = null;
  }

  /** SCRIPT KILL (`eval`) or FUNCTION KILL (`function`): stops the busy script if it has not written. */
  kill(kind: 'eval' | 'function'): 'notBusy' | 'unkillable' | 'busyScript' | 'busyFunction' | 'killed' {
    const run = this.busyRun;
    if (run === null) return 'notBusy';
    if (run.host.wrote) return 'unkillable';
    // SCRIPT KILL stops scripts only, FUNCTION KILL functions only (each names the other in its BUSY).
    if (run.kind !== kind) return run.kind === 'eval' ? 'busyScript' : 'busyFunction';
    run.killRequested = true;
    return 'killed';
  }

  /** The count hook, on the script's thread: stops it (SCRIPT KILL), makes it busy, yields. */
  private onHook(run: ScriptRun, L: number): void {
    const lua = this.lua;
    if (run.killRequested && !run.host.wrote) {
      const { m } = lua;
      if (run.killRef === 0) {
        lua.pushFieldTable('err', 'ERR Script killed by user with SCRIPT KILL...');
        run.killRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
        // From now on every instruction raises it again: a pcall in the script cannot hold it back.
        lua.setHook(this.hook, 1, L);
      }
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(run.killRef));
      lua.error();
      return;
    }
    const now = Date.now();
    if (!run.busy && now >= run.deadline) {
      if (!run.yieldable) {
        // Inside MULTI/EXEC nothing may wait for it: a script that has not written is stopped.
        if (!run.host.wrote) run.killRequested = true;
        return;
      }
      run.busy = true;
      run.host.log(
        'warning',
        `Slow script detected: still in execution after ${now - run.deadline + this.timeLimitMs()} milliseconds. You can try killing the script using the ${run.kind === 'eval' ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. ${run.kind === 'eval' ? 'Script SHA1' : 'Function'} is: ${run.name}`,
      );
    }
    if (run.busy && now - run.sliceStartedAt >= SLICE_MS && this.lua.m._lua_isyieldable(L) !== 0) {
      this.lua.m._lua_yieldk(L, 0, 0, 0);
    }
  }

  /** A raised error as redis-server replies it: the message, then where it happened. */
  private writeError(idx: number, sha: string, out: ReplyWriter): void {
    const lua = this.lua;
    const { m, L } = lua;
    if (lua.type(idx) !== T_TABLE) {
      // Memory errors skip the handler: Lua reports them as a string.
      out.error(
        `ERR Error running script: ${lua.type(idx) === T_STRING ? lua.toLatin1(idx) : 'unknown error'}`,
      );
      return;
    }
    const t = m._lua_absindex(L, idx);
    const field = (name: string): string | null => {
      const type = m._lua_getfield(L, t, lua.name(name));
      const v = type === T_STRING || type === T_NUMBER ? lua.toLatin1(-1) : null;
      m._lua_settop(L, -2);
      return v;
    };
    const message = (field('err') ?? 'ERR unknown error').replace(/[\r\n]+/g, ' ');
    const source = field('source');
    const line = field('line');
    out.error(
      source !== null && line !== null ? `${message} script: ${sha}, on ${source}:${line}.` : message,
    );
  }

  /** Pushes a Lua array of strings on the thread being driven. */
  private pushArray(values: readonly Buffer[]): void {
    const lua = this.lua;
    const { m, L } = lua;
    m._lua_createtable(L, values.length, 0);
    for (let i = 0; i < values.length; i++) {
      lua.pushBytes(values[i] as Buffer);
      m._lua_rawseti(L, -2, BigInt(i + 1));
    }
  }

  private setArray(name: string, values: readonly Buffer[]): void {
    const lua = this.lua;
    const { m, L } = lua;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.globalsRef));
    lua.pushString(name);
    m._lua_createtable(L, values.length, 0);
    for (let i = 0; i < values.length; i++) {
      lua.pushBytes(values[i] as Buffer);
      m._lua_rawseti(L, -2, BigInt(i + 1));
    }
    m._lua_rawset(L, -3);
    m._lua_settop(L, -2);
  }

  /** Raises `{ err = 'ERR <message>' }`. */
  private raise(lua: Lua, message: string): number {
    lua.pushFieldTable('err', `ERR ${message}`);
    return lua.error();
  }

  /** redis.call (raise) and redis.pcall: runs a command, converts its reply to a Lua value. */
  private call(lua: Lua, raise: boolean): number {
    const { m, L } = lua;
    const run = this.run;
    const n = m._lua_gettop(L);
    const fail = (message: string): number => {
      lua.pushFieldTable('err', message);
      return raise ? lua.error() : 1;
    };
    if (run === null) return fail('ERR redis.call is only available while a script runs');
    if (n === 0) return this.raise(lua, 'Please specify at least one argument for this redis lib call');
    const argv: Buffer[] = new Array(n);
    for (let i = 1; i <= n; i++) {
      const type = m._lua_type(L, i);
      if (type === T_NUMBER) argv[i - 1] = Buffer.from(formatNumber(lua, i), 'latin1');
      else if (type === T_STRING) argv[i - 1] = lua.toBytes(i);
      else return this.raise(lua, 'Lua redis lib command arguments must be strings or integers');
    }
    const result = run.host.call(argv, run.resp);
    if ('refused' in result) return fail(result.refused);
    const reply = result.reply;
    if (reply[0] === 0x2d) return fail(reply.toString('latin1', 1, reply.indexOf(13)));
    pushReply(lua, reply);
    return 1;
  }

  private errorReply(lua: Lua): number {
    const { m, L } = lua;
    if (m._lua_gettop(L) !== 1 || m._lua_type(L, 1) !== T_STRING) {
      return this.raise(lua, 'wrong number or type of arguments');
    }
    lua.pushFieldTable('err', errorTableMessage(lua.toLatin1(1)));
    return 1;
  }

  private statusReply(lua: Lua): number {
    const { m, L } = lua;
    if (m._lua_gettop(L) !== 1 || m._lua_type(L, 1) !== T_STRING) {
      return this.raise(lua, 'wrong number or type of arguments');
    }
    lua.pushFieldTable('ok', lua.toBytes(1));
    return 1;
  }

  private log(lua: Lua): number {
    const { m, L } = lua;
    const n = m._lua_gettop(L);
    if (n < 2) return this.raise(lua, 'redis.log() requires two arguments or more.');
    if (m._lua_type(L, 1) !== T_NUMBER)
      return this.raise(lua, 'First argument must be a number (log level).');
    const level = LOG_LEVELS[Number(m._lua_tonumberx(L, 1, 0))];
    if (level === undefined) return this.raise(lua, 'Invalid debug level.');
    const parts: string[] = [];
    for (let i = 2; i <= n; i++) {
      const type = m._lua_type(L, i);
      if (type === T_STRING || type === T_NUMBER) parts.push(lua.toLatin1(i));
    }
    this.run?.host.log(level, parts.join(' '));
    return 0;
  }
}

/** Lua 5.4 writes `near <eof>` where 5.1 (Redis) writes `near '<eof>'`. */
function luaMessage(message: string): string {
  return message.replace(/near <eof>$/, "near '<eof>'");
}

/** A library's metadata, checked as FUNCTION LOAD checks it before running any of its code. */
function libraryMeta(code: Buffer): { name: string; body: Buffer } | { error: string } {
  const meta = parseLibraryMetadata(code);
  if ('error' in meta) return meta;
  if (!validName(meta.name)) return { error: errorReply('libraryNameInvalid') };
  if (meta.engine.toLowerCase() !== 'lua') return { error: errorReply('engineNotFound', meta.engine) };
  return meta;
}

/** The Redis version scripts see (redis.REDIS_VERSION), and as a number (0x00MMmmpp). */
export const REDIS_VERSION = '7.0.15';
export const REDIS_VERSION_NUM = 0x07000f;

export function sha1(body: Uint8Array): string {
  return createHash('sha1').update(body).digest('hex');
}

/**
 * The error table's message for redis.error_reply(s), as redis-server builds it: a message without a
 * code ("oops", "-oops") gets `ERR`; "-CODE text" and "CODE text" keep theirs.
 */
function errorTableMessage(s: string): string {
  const text = s.startsWith('-') ? s.slice(1) : s;
  const space = text.indexOf(' ');
  const trimmed = (x: string) => x.replace(/[\r\n]+$/, '');
  if (space === -1) return `ERR ${trimmed(text)}`;
  return `${text.slice(0, space)} ${trimmed(text.slice(space + 1))}`;
}

/** A number argument as Lua 5.1 (Redis) turns it into a string: integers plainly, others with %.17g. */
function formatNumber(lua: Lua, idx: number): string {
  const { m, L } = lua;
  if (m._lua_isinteger(L, idx)) return m._lua_tointegerx(L, idx, 0).toString();
  return formatG17(m._lua_tonumberx(L, idx, 0));
}
