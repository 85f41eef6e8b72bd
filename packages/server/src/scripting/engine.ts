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
import { CommitList } from '../keyspace/batch.js';
import type { LogLevel } from '../log.js';
import { installCjson } from './cjson.js';
import { luaToReply, pushReply } from './convert.js';
import { LUA_OK, LUA_REGISTRYINDEX, LUA_YIELD, Lua, T_NUMBER, T_STRING, T_TABLE } from './lua.js';

/** Bytes that one Lua state may allocate (scripts, their data, the compiled scripts). */
export const LUA_MEMORY_MAX = 256 * 1024 * 1024;
/** Where the count hook looks at the clock. */
const HOOK_INSTRUCTIONS = 10_000;
/** Past busy-reply-threshold, a script yields to the event loop after running this long. */
const SLICE_MS = 20;
const LUA_RIDX_GLOBALS = 2n;

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
  sliceStartedAt = 0;

  constructor(
    readonly host: ScriptHost,
    readonly sha: string,
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
__sluice_run = function(f)
  local ok, result = xpcall(f, handler) -- a script's reply is its first value, as in Redis
  return ok, result
end
os, io, debug, package, require, dofile, loadfile, utf8 = nil, nil, nil, nil, nil, nil, nil, nil
`;

/** Reads a global that does not exist, or writes any: errors, as in Redis 7. */
const PROTECT = `
local error, tostring = error, tostring
setmetatable(_G, {
  __index = function(_, k) error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end,
  __newindex = function() error('Attempt to modify a readonly table', 2) end,
})
`;

export class ScriptEngine {
  /** Compiled scripts: SHA1 (lowercase hex) → registry reference of the function. */
  private readonly scripts = new Map<string, number>();
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
    for (const name of ['__sluice_run', '__sluice_err_handler']) {
      m._lua_pushnil(L);
      m._lua_setglobal(L, lua.name(name));
    }
    // The redis library.
    m._lua_createtable(L, 0, 24);
    const fn = (name: string, f: (lua: Lua) => number) => {
      lua.pushFunction((l) => {
        try {
          return f(l);
        } catch (err) {
          // A Lua error raised by the callback (lua_error unwinds as a non-Error throw) goes on.
          if (!(err instanceof Error)) throw err;
          // Never let a JS exception unwind through Lua: raise it as a script error.
          l.pushFieldTable('err', `ERR ${err.message}`);
          return l.error();
        }
      });
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
    lua.run(PROTECT);
  }

  /** Whether a script with this SHA1 (any case) is cached. */
  has(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** Compiles and caches a script; returns its SHA1, or the compile error reply (without '-'). */
  load(body: Buffer): { sha: string } | { error: string } {
    const sha = sha1(body);
    if (this.scripts.has(sha)) return { sha };
    const error = this.lua.load(body, '@user_script');
    if (error !== null) {
      // Lua 5.4 writes `near <eof>` where 5.1 (Redis) writes `near '<eof>'`.
      const message = error.replace(/near <eof>$/, "near '<eof>'");
      return { error: `ERR Error compiling script (new function): ${message}` };
    }
    this.scripts.set(sha, this.lua.m._luaL_ref(this.lua.L, LUA_REGISTRYINDEX));
    return { sha };
  }

  /** SCRIPT FLUSH: forgets every cached script. */
  flush(): void {
    const { m, L } = this.lua;
    for (const ref of this.scripts.values()) m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
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
  ): ScriptRun | undefined {
    const lowered = sha.toLowerCase();
    const ref = this.scripts.get(lowered);
    if (ref === undefined) return undefined;
    const lua = this.lua;
    const { m } = lua;
    const L = lua.main;
    this.setArray('KEYS', keys);
    this.setArray('ARGV', argv);
    if (this.thread === 0) {
      this.thread = m._lua_newthread(L);
      this.threadRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    }
    const thread = this.thread;
    m._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(this.runnerRef));
    m._lua_rawgeti(thread, LUA_REGISTRYINDEX, BigInt(ref));
    lua.setHook(this.hook, HOOK_INSTRUCTIONS, thread);
    const limit = this.timeLimitMs();
    const deadline = limit > 0 ? Date.now() + limit : Number.POSITIVE_INFINITY;
    return new ScriptRun(host, lowered, thread, yieldable, deadline, protocol);
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
    const nargs = run.started ? 0 : 1;
    run.started = true;
    const status = lua.on(run.thread, () => m._lua_resume(run.thread, lua.main, nargs, this.nresults));
    if (status === LUA_YIELD) return false;
    const out = this.replies[run.protocol];
    lua.on(run.thread, () => {
      if (run.killRef !== 0) {
        // Stopped: its error, wherever the last raise of it ended (the handler noted the place).
        m._lua_rawgeti(run.thread, LUA_REGISTRYINDEX, BigInt(run.killRef));
        this.writeError(-1, run.sha, out);
        m._luaL_unref(run.thread, LUA_REGISTRYINDEX, run.killRef);
      } else if (status !== LUA_OK) {
        // An error outside the script's xpcall (out of memory while starting it): a message.
        out.error(
          `ERR Error running script: ${lua.type(-1) === T_STRING ? lua.toLatin1(-1) : 'unknown error'}`,
        );
      } else if (m._lua_toboolean(run.thread, -2) !== 0) {
        luaToReply(lua, -1, out, run.resp);
      } else {
        this.writeError(-1, run.sha, out);
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

  /** SCRIPT KILL: stops the busy script if it has not written. */
  kill(): 'notBusy' | 'unkillable' | 'killed' {
    const run = this.busyRun;
    if (run === null) return 'notBusy';
    if (run.host.wrote) return 'unkillable';
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
        `Slow script detected: still in execution after ${now - run.deadline + this.timeLimitMs()} milliseconds. You can try killing the script using the SCRIPT KILL command. Script SHA1 is: ${run.sha}`,
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

  private setArray(name: string, values: readonly Buffer[]): void {
    const lua = this.lua;
    const { m, L } = lua;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
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

/** C's `%.17g`. */
export function formatG17(x: number): string {
  if (Number.isNaN(x)) return x > 0 ? 'nan' : '-nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let s: string;
  if (exp < -4 || exp >= 17) {
    s = x.toExponential(16);
    let [mant, e] = s.split('e') as [string, string];
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  s = x.toPrecision(17);
  if (s.includes('e')) s = Number(s).toFixed(Math.max(0, 16 - exp));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}
