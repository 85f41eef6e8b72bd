/**
 * Conversions between RESP replies and Lua values, by redis-server 7's rules.
 *
 * A command's reply to `redis.call` (RESP2 unless the script called `redis.setresp(3)`) becomes:
 * integer → number; bulk string → string; null bulk or null array → false (RESP3 null → nil); array →
 * table; simple string → `{ok=…}`; error → `{err=…}`; and under RESP3: map → `{map={…}}`, set →
 * `{set={member=true}}`, double → `{double=…}`, boolean → boolean, big number → `{big_number='…'}`,
 * verbatim string → `{verbatim_string={format=…, string=…}}`.
 *
 * A script's return value becomes the reply: string → bulk string; number → integer (truncated toward
 * zero); true → 1, false → null (RESP3 booleans once the script chose RESP3); nil → null; a table with
 * `err`, `ok`, `double`, `big_number`, `map`, `set` or `verbatim_string` → that type; any other table →
 * an array of its elements from 1 up to the first nil.
 */
import type { ReplyWriter, RespVersion } from '@sluice/protocol';
import { type Lua, T_BOOLEAN, T_NIL, T_NUMBER, T_STRING, T_TABLE } from './lua.js';

const CR = 13;

/** Where the line starting at `pos` ends (its CR). */
function lineEnd(buf: Buffer, pos: number): number {
  const cr = buf.indexOf(CR, pos);
  if (cr < 0) throw new Error('truncated reply');
  return cr;
}

/**
 * Pushes the reply encoded in `buf` at `pos` as a Lua value; returns where it ends. A top-level error
 * is not pushed: `{ error }` says so (redis.call raises it, redis.pcall returns it as `{err=…}`).
 */
export function pushResp(lua: Lua, buf: Buffer, pos: number): number {
  const { m, L } = lua;
  const type = buf[pos] as number;
  const cr = lineEnd(buf, pos);
  const line = () => buf.toString('latin1', pos + 1, cr);
  const next = cr + 2;
  switch (type) {
    case 0x2b: // + simple string
      lua.pushFieldTable('ok', buf.subarray(pos + 1, cr));
      return next;
    case 0x2d: // - error
      lua.pushFieldTable('err', buf.subarray(pos + 1, cr));
      return next;
    case 0x3a: // : integer
      m._lua_pushinteger(L, BigInt(line()));
      return next;
    case 0x24: {
      // $ bulk string
      const len = Number(line());
      if (len < 0) {
        m._lua_pushboolean(L, 0);
        return next;
      }
      lua.pushBytes(buf.subarray(next, next + len));
      return next + len + 2;
    }
    case 0x2a: // * array
    case 0x3e: {
      // > push
      const n = Number(line());
      if (n < 0) {
        m._lua_pushboolean(L, 0);
        return next;
      }
      m._lua_createtable(L, n, 0);
      let p = next;
      for (let i = 1; i <= n; i++) {
        p = pushResp(lua, buf, p);
        m._lua_rawseti(L, -2, BigInt(i));
      }
      return p;
    }
    case 0x25: // % map → {map={k=v}}
    case 0x7e: {
      // ~ set → {set={member=true}}
      const isMap = type === 0x25;
      const n = Number(line());
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, n);
      let p = next;
      for (let i = 0; i < n; i++) {
        p = pushResp(lua, buf, p);
        if (isMap) p = pushResp(lua, buf, p);
        else m._lua_pushboolean(L, 1);
        m._lua_rawset(L, -3);
      }
      m._lua_setfield(L, -2, lua.name(isMap ? 'map' : 'set'));
      return p;
    }
    case 0x2c: {
      // , double → {double=n}
      m._lua_createtable(L, 0, 1);
      m._lua_pushnumber(L, parseDouble(line()));
      m._lua_setfield(L, -2, lua.name('double'));
      return next;
    }
    case 0x5f: // _ null
      m._lua_pushnil(L);
      return next;
    case 0x23: // # boolean
      m._lua_pushboolean(L, buf[pos + 1] === 0x74 ? 1 : 0);
      return next;
    case 0x28: // ( big number
      lua.pushFieldTable('big_number', buf.subarray(pos + 1, cr));
      return next;
    case 0x3d: {
      // = verbatim string → {verbatim_string={format=…, string=…}}
      const len = Number(line());
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, 2);
      lua.pushBytes(buf.subarray(next, next + 3));
      m._lua_setfield(L, -2, lua.name('format'));
      lua.pushBytes(buf.subarray(next + 4, next + len));
      m._lua_setfield(L, -2, lua.name('string'));
      m._lua_setfield(L, -2, lua.name('verbatim_string'));
      return next + len + 2;
    }
    default:
      throw new Error(`unexpected reply type ${String.fromCharCode(type)}`);
  }
}

function parseDouble(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

const LLONG_MIN = -(2n ** 63n);

/** A Lua number as redis-server casts it to `long long`: toward zero, out of range → LLONG_MIN. */
function toInteger(lua: Lua, idx: number): bigint {
  const { m, L } = lua;
  if (m._lua_isinteger(L, idx)) return m._lua_tointegerx(L, idx, 0);
  const x = Math.trunc(m._lua_tonumberx(L, idx, 0));
  if (Number.isNaN(x) || x >= 2 ** 63 || x < -(2 ** 63)) return LLONG_MIN;
  return BigInt(x);
}

/** Writes the Lua value at `idx` as the script's reply. `scriptResp` is what redis.setresp chose. */
export function luaToReply(lua: Lua, idx: number, out: ReplyWriter, scriptResp: RespVersion): void {
  const { m, L } = lua;
  const t = m._lua_absindex(L, idx);
  switch (m._lua_type(L, t)) {
    case T_STRING:
      out.bulk(lua.toBytes(t));
      return;
    case T_NUMBER:
      out.integer(toInteger(lua, t));
      return;
    case T_BOOLEAN: {
      const b = m._lua_toboolean(L, t) !== 0;
      if (scriptResp === 3) out.boolean(b);
      else if (b) out.integer(1);
      else out.nullBulk();
      return;
    }
    case T_TABLE:
      tableToReply(lua, t, out, scriptResp);
      return;
    default:
      out.nullBulk();
  }
}

function tableToReply(lua: Lua, t: number, out: ReplyWriter, scriptResp: RespVersion): void {
  const { m, L } = lua;
  const field = (name: string): number => m._lua_getfield(L, t, lua.name(name));
  const pop = () => m._lua_settop(L, -2);
  if (field('err') === T_STRING) {
    const message = lua.toLatin1(-1).replace(/[\r\n]+/g, ' ');
    pop();
    out.error(message);
    return;
  }
  pop();
  if (field('ok') === T_STRING) {
    const status = lua.toLatin1(-1).replace(/[\r\n]+/g, ' ');
    pop();
    out.simple(status);
    return;
  }
  pop();
  if (field('double') === T_NUMBER) {
    const d = m._lua_tonumberx(L, -1, 0);
    pop();
    out.double(d);
    return;
  }
  pop();
  if (field('big_number') === T_STRING) {
    const text = lua.toLatin1(-1);
    pop();
    if (out.protocol === 3) out.raw(Buffer.from(`(${text.replace(/[\r\n]+/g, ' ')}\r\n`, 'latin1'));
    else out.bulkString(text);
    return;
  }
  pop();
  for (const kind of ['map', 'set'] as const) {
    if (field(kind) === T_TABLE) {
      // {map={k=v}}: a map of its pairs; {set={member=true}}: a set of its keys.
      const table = m._lua_absindex(L, -1);
      const n = countPairs(lua, table);
      if (kind === 'map') out.mapHeader(n);
      else out.setHeader(n);
      m._lua_pushnil(L);
      while (m._lua_next(L, table) !== 0) {
        luaToReply(lua, -2, out, scriptResp);
        if (kind === 'map') luaToReply(lua, -1, out, scriptResp);
        pop();
      }
      pop();
      return;
    }
    pop();
  }
  if (field('verbatim_string') === T_TABLE) {
    const v = m._lua_absindex(L, -1);
    const hasFormat = m._lua_getfield(L, v, lua.name('format')) === T_STRING;
    const format = hasFormat ? lua.toLatin1(-1) : '';
    pop();
    const hasString = m._lua_getfield(L, v, lua.name('string')) === T_STRING;
    const text = hasString ? lua.toBytes(-1) : Buffer.alloc(0);
    pop();
    pop();
    if (hasFormat && hasString && format.length === 3) out.verbatim(text.toString('utf8'), format);
    else out.nullBulk();
    return;
  }
  pop();
  // An array: elements 1, 2, … up to the first nil.
  let n = 0;
  for (;;) {
    const type = m._lua_rawgeti(L, t, BigInt(n + 1));
    pop();
    if (type === T_NIL) break;
    n++;
  }
  out.arrayHeader(n);
  for (let i = 1; i <= n; i++) {
    m._lua_rawgeti(L, t, BigInt(i));
    luaToReply(lua, -1, out, scriptResp);
    pop();
  }
}

function countPairs(lua: Lua, t: number): number {
  const { m, L } = lua;
  let n = 0;
  m._lua_pushnil(L);
  while (m._lua_next(L, t) !== 0) {
    n++;
    m._lua_settop(L, -2);
  }
  return n;
}

/** Pushes a reply given as RESP bytes (a whole reply) as a Lua value. */
export function pushReply(lua: Lua, reply: Buffer): void {
  pushResp(lua, reply, 0);
}
