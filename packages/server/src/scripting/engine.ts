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
import type { ReplyWriter, RespVersion } from '@sluice/protocol';
import type { LogLevel } from '../log.js';
import { luaToReply, pushReply } from './convert.js';
import { LUA_OK, LUA_REGISTRYINDEX, Lua, T_NUMBER, T_STRING, T_TABLE } from './lua.js';

/** Bytes that one Lua state may allocate (scripts, their data, the compiled scripts). */
export const LUA_MEMORY_MAX = 256 * 1024 * 1024;
/** Where the count hook looks at the clock. */
const HOOK_INSTRUCTIONS = 10_000;
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

/** One run of a script: what its callbacks need while it runs. */
interface Run {
  readonly host: ScriptHost;
  resp: RespVersion;
  readonly deadline: number;
  timedOut: boolean;
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
  private run: Run | null = null;
  private errHandlerRef = 0;
  /** Set while a script is running: the count hook compares the clock with it. */
  private readonly hook: number;

  private constructor(
    private readonly lua: Lua,
    /** busy-reply-threshold, read live. */
    private readonly timeLimitMs: () => number,
  ) {
    this.hook = lua.m.addFunction(() => {
      const run = this.run;
      if (run === null || run.host.wrote) return undefined;
      if (!run.timedOut) {
        if (Date.now() < run.deadline) return undefined;
        run.timedOut = true;
        // From now on every instruction raises it again: a pcall in the script cannot hold it back.
        lua.setHook(this.hook, 1);
      }
      lua.pushFieldTable('err', 'ERR Script killed by user with SCRIPT KILL...');
      lua.error();
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
    m._lua_getglobal(L, lua.name('__sluice_err_handler'));
    this.errHandlerRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    m._lua_pushnil(L);
    m._lua_setglobal(L, lua.name('__sluice_err_handler'));
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
      if (m._lua_gettop(L) !== 1) return this.raise(l, 'wrong number of arguments');
      l.pushString(sha1(l.toBytes(1)));
      return 1;
    });
    fn('log', (l) => this.log(l));
    fn('setresp', (l) => {
      const n = m._lua_gettop(L);
      const v = n === 1 && m._lua_type(L, 1) === T_NUMBER ? Number(m._lua_tonumberx(L, 1, 0)) : 0;
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

  /**
   * Runs a cached script with its KEYS and ARGV and writes its reply (or error) into `out`, in the
   * client's protocol. Returns false when no script has this SHA1.
   */
  eval(
    sha: string,
    keys: readonly Buffer[],
    argv: readonly Buffer[],
    host: ScriptHost,
    out: ReplyWriter,
  ): boolean {
    const ref = this.scripts.get(sha.toLowerCase());
    if (ref === undefined) return false;
    const lua = this.lua;
    const { m, L } = lua;
    this.setArray('KEYS', keys);
    this.setArray('ARGV', argv);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.errHandlerRef));
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(ref));
    const limit = this.timeLimitMs();
    const deadline = limit > 0 ? Date.now() + limit : Number.POSITIVE_INFINITY;
    const run: Run = { host, resp: 2, deadline, timedOut: false };
    this.run = run;
    lua.setHook(this.hook, HOOK_INSTRUCTIONS);
    let status: number;
    try {
      status = m._lua_pcallk(L, 0, 1, -2, 0, 0);
    } finally {
      this.run = null;
      lua.setHook(0, 0);
    }
    if (status === LUA_OK) luaToReply(lua, -1, out, run.resp);
    else this.writeError(-1, sha.toLowerCase(), out);
    m._lua_settop(L, 0);
    return true;
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
