/**
 * The `cjson` library Redis scripts use (lua-cjson 2.1's behaviour): `cjson.encode(value)` and
 * `cjson.decode(text)`, with `cjson.null`. Encoding follows lua-cjson: numbers with 14 significant digits,
 * `/` escaped, an empty table as `{}`, a table of positive integer keys as an array (unless excessively
 * sparse), other tables as objects. Decoding reports errors in lua-cjson's words ("Expected value but
 * found invalid token at character 1"). Decoded integers are Lua integers, so that they print as Lua
 * 5.1 prints them.
 */
import { type Lua, T_BOOLEAN, T_NIL, T_NUMBER, T_STRING, T_TABLE } from './lua.js';

const T_LIGHTUSERDATA = 2;
const MAX_DEPTH = 1000;
/** lua-cjson's encode_sparse_array defaults: ratio 2, safe 10. */
const SPARSE_RATIO = 2;
const SPARSE_SAFE = 10;

/** Raised as a Lua error with the script's position, as luaL_error does. */
class CjsonError extends Error {}

const TYPE_NAMES: Record<number, string> = {
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

/** `%.14g`, as lua-cjson formats numbers. */
export function formatG14(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 14) {
    const [mant, e] = x.toExponential(13).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const sign = e.startsWith('-') ? '-' : '+';
    return `${m}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  let s = x.toPrecision(14);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

const ESCAPES: string[] = Array.from({ length: 128 }, (_, c) => {
  if (c < 0x20 || c === 0x7f) return `\\u${c.toString(16).padStart(4, '0')}`;
  return String.fromCharCode(c);
});
ESCAPES[0x22] = '\\"';
ESCAPES[0x5c] = '\\\\';
ESCAPES[0x2f] = '\\/';
ESCAPES[0x08] = '\\b';
ESCAPES[0x0c] = '\\f';
ESCAPES[0x0a] = '\\n';
ESCAPES[0x0d] = '\\r';
ESCAPES[0x09] = '\\t';

function escapeString(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) out += b < 128 ? (ESCAPES[b] as string) : String.fromCharCode(b);
  return `${out}"`;
}

function encodeValue(lua: Lua, idx: number, depth: number): string {
  const { m, L } = lua;
  const t = m._lua_absindex(L, idx);
  switch (m._lua_type(L, t)) {
    case T_STRING:
      return escapeString(lua.toBytes(t));
    case T_NUMBER: {
      if (m._lua_isinteger(L, t)) return m._lua_tointegerx(L, t, 0).toString();
      const x = m._lua_tonumberx(L, t, 0);
      if (!Number.isFinite(x)) throw new CjsonError('Cannot serialise number: must not be NaN or Infinity');
      return formatG14(x);
    }
    case T_BOOLEAN:
      return m._lua_toboolean(L, t) ? 'true' : 'false';
    case T_NIL:
    case T_LIGHTUSERDATA:
      return 'null';
    case T_TABLE:
      return encodeTable(lua, t, depth + 1);
    default:
      throw new CjsonError(
        `Cannot serialise ${TYPE_NAMES[m._lua_type(L, t)] ?? 'value'}: type not supported`,
      );
  }
}

function encodeTable(lua: Lua, t: number, depth: number): string {
  const { m, L } = lua;
  if (depth > MAX_DEPTH) throw new CjsonError(`Cannot serialise, excessive nesting (${depth})`);
  // An array when every key is a positive integer (lua-cjson's lua_array_length).
  let max = 0;
  let items = 0;
  let array = true;
  m._lua_pushnil(L);
  while (m._lua_next(L, t) !== 0) {
    m._lua_settop(L, -2);
    if (array) {
      const k = m._lua_type(L, -1) === T_NUMBER ? m._lua_tonumberx(L, -1, 0) : Number.NaN;
      if (Number.isInteger(k) && k >= 1) {
        max = Math.max(max, k);
        items++;
      } else {
        array = false;
      }
    }
  }
  if (array && max > SPARSE_SAFE && max > items * SPARSE_RATIO) {
    throw new CjsonError('Cannot serialise table: excessively sparse array');
  }
  if (array && max > 0) {
    const parts: string[] = [];
    for (let i = 1; i <= max; i++) {
      m._lua_rawgeti(L, t, BigInt(i));
      parts.push(encodeValue(lua, -1, depth));
      m._lua_settop(L, -2);
    }
    return `[${parts.join(',')}]`;
  }
  const parts: string[] = [];
  m._lua_pushnil(L);
  while (m._lua_next(L, t) !== 0) {
    const keyType = m._lua_type(L, -2);
    let key: string;
    if (keyType === T_STRING) key = escapeString(lua.toBytes(-2));
    else if (keyType === T_NUMBER) {
      key = `"${m._lua_isinteger(L, -2) ? m._lua_tointegerx(L, -2, 0).toString() : formatG14(m._lua_tonumberx(L, -2, 0))}"`;
    } else {
      m._lua_settop(L, -3);
      throw new CjsonError(
        `Cannot serialise ${TYPE_NAMES[keyType] ?? 'value'}: table key must be a number or string`,
      );
    }
    parts.push(`${key}:${encodeValue(lua, -1, depth)}`);
    m._lua_settop(L, -2);
  }
  return `{${parts.join(',')}}`;
}

// Decoding: lua-cjson's tokens and error messages.
type Token =
  | {
      type: 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_COLON' | 'T_COMMA' | 'T_END';
      at: number;
    }
  | { type: 'T_STRING'; at: number; value: Buffer }
  | { type: 'T_NUMBER'; at: number; value: number }
  | { type: 'T_BOOLEAN'; at: number; value: boolean }
  | { type: 'T_NULL'; at: number }
  | { type: 'T_ERROR'; at: number };

/** The one-character tokens, by byte. */
const SINGLE: Record<number, Token['type']> = {
  123: 'T_OBJ_BEGIN',
  125: 'T_OBJ_END',
  91: 'T_ARR_BEGIN',
  93: 'T_ARR_END',
  58: 'T_COLON',
  44: 'T_COMMA',
};

/** A string's one-character escapes (the byte after a backslash), and the byte each stands for. */
const ESCAPED: Record<number, number> = {
  34: 0x22,
  92: 0x5c,
  47: 0x2f,
  98: 8,
  102: 12,
  110: 10,
  114: 13,
  116: 9,
};

class Decoder {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly lua: Lua,
    private readonly text: Buffer,
  ) {}

  decode(): void {
    const token = this.next();
    this.value(token);
    const end = this.next();
    if (end.type !== 'T_END') this.fail('the end', end);
  }

  private fail(expected: string, token: Token): never {
    const found = token.type === 'T_ERROR' ? 'invalid token' : token.type;
    throw new CjsonError(`Expected ${expected} but found ${found} at character ${token.at + 1}`);
  }

  private next(): Token {
    const s = this.text;
    while (
      this.pos < s.length &&
      (s[this.pos] === 0x20 || s[this.pos] === 0x09 || s[this.pos] === 0x0a || s[this.pos] === 0x0d)
    ) {
      this.pos++;
    }
    const at = this.pos;
    if (at >= s.length) return { type: 'T_END', at };
    const c = s[at] as number;
    const type = SINGLE[c];
    if (type !== undefined) {
      this.pos++;
      return { type, at } as Token;
    }
    if (c === 0x22) return this.string(at);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(at);
    for (const [word, token] of [
      ['true', { type: 'T_BOOLEAN', at, value: true }],
      ['false', { type: 'T_BOOLEAN', at, value: false }],
      ['null', { type: 'T_NULL', at }],
    ] as const) {
      if (s.toString('latin1', at, at + word.length) === word) {
        this.pos += word.length;
        return token as Token;
      }
    }
    return { type: 'T_ERROR', at };
  }

  private string(at: number): Token {
    const s = this.text;
    const out: number[] = [];
    let i = at + 1;
    while (i < s.length && s[i] !== 0x22) {
      const c = s[i] as number;
      if (c !== 0x5c) {
        out.push(c);
        i++;
        continue;
      }
      const e = s[i + 1];
      if (e !== undefined && ESCAPED[e] !== undefined) {
        out.push(ESCAPED[e] as number);
        i += 2;
      } else if (e === 0x75) {
        let code = Number.parseInt(s.toString('latin1', i + 2, i + 6), 16);
        if (!/^[0-9a-fA-F]{4}$/.test(s.toString('latin1', i + 2, i + 6))) return { type: 'T_ERROR', at };
        i += 6;
        if (code >= 0xd800 && code <= 0xdbff && s[i] === 0x5c && s[i + 1] === 0x75) {
          const low = Number.parseInt(s.toString('latin1', i + 2, i + 6), 16);
          if (low >= 0xdc00 && low <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            i += 6;
          }
        }
        out.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
      } else {
        return { type: 'T_ERROR', at };
      }
    }
    if (i >= s.length) return { type: 'T_ERROR', at };
    this.pos = i + 1;
    return { type: 'T_STRING', at, value: Buffer.from(out) };
  }

  private number(at: number): Token {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(
      this.text.toString('latin1', at, at + 400),
    );
    if (match === null) return { type: 'T_ERROR', at };
    this.pos = at + match[0].length;
    return { type: 'T_NUMBER', at, value: Number(match[0]) };
  }

  private value(token: Token): void {
    const { m, L } = this.lua;
    switch (token.type) {
      case 'T_OBJ_BEGIN':
        this.nest(token);
        this.object();
        this.depth--;
        return;
      case 'T_ARR_BEGIN':
        this.nest(token);
        this.array();
        this.depth--;
        return;
      case 'T_STRING':
        this.lua.pushBytes(token.value);
        return;
      case 'T_NUMBER':
        if (Number.isSafeInteger(token.value)) m._lua_pushinteger(L, BigInt(token.value));
        else m._lua_pushnumber(L, token.value);
        return;
      case 'T_BOOLEAN':
        m._lua_pushboolean(L, token.value ? 1 : 0);
        return;
      case 'T_NULL':
        pushNull(this.lua);
        return;
      default:
        this.fail('value', token);
    }
  }

  private nest(token: Token): void {
    if (++this.depth > MAX_DEPTH) {
      throw new CjsonError(
        `Found too many nested data structures (${this.depth}) at character ${token.at + 1}`,
      );
    }
  }

  private object(): void {
    const { m, L } = this.lua;
    m._lua_createtable(L, 0, 0);
    let token = this.next();
    if (token.type === 'T_OBJ_END') return;
    for (;;) {
      if (token.type !== 'T_STRING') this.fail('object key string', token);
      this.lua.pushBytes(token.value);
      const colon = this.next();
      if (colon.type !== 'T_COLON') this.fail('colon', colon);
      this.value(this.next());
      m._lua_rawset(L, -3);
      token = this.next();
      if (token.type === 'T_OBJ_END') return;
      if (token.type !== 'T_COMMA') this.fail('comma or object end', token);
      token = this.next();
    }
  }

  private array(): void {
    const { m, L } = this.lua;
    m._lua_createtable(L, 0, 0);
    let token = this.next();
    if (token.type === 'T_ARR_END') return;
    for (let i = 1; ; i++) {
      this.value(token);
      m._lua_rawseti(L, -2, BigInt(i));
      token = this.next();
      if (token.type === 'T_ARR_END') return;
      if (token.type !== 'T_COMMA') this.fail('comma or array end', token);
      token = this.next();
    }
  }
}

/** cjson.null: lua-cjson's NULL light userdata. */
function pushNull(lua: Lua): void {
  (lua.m as unknown as { _lua_pushlightuserdata(L: number, p: number): void })._lua_pushlightuserdata(
    lua.L,
    0,
  );
}

/** Raises `message` as luaL_error does: prefixed with the calling script's position. */
function raise(lua: Lua, message: string): number {
  const m = lua.m as unknown as {
    _luaL_where(L: number, level: number): void;
    _lua_concat(L: number, n: number): void;
  };
  m._luaL_where(lua.L, 1);
  lua.pushString(message);
  m._lua_concat(lua.L, 2);
  return lua.error();
}

/** Installs the `cjson` table as a global (called while the environment is set up). */
export function installCjson(lua: Lua): void {
  const { m, L } = lua;
  m._lua_createtable(L, 0, 4);
  const fn = (name: string, f: (l: Lua) => number) => {
    lua.pushFunction((l) => {
      try {
        return f(l);
      } catch (err) {
        if (!(err instanceof Error)) throw err; // a Lua error on its way
        return raise(l, err instanceof CjsonError ? err.message : `cjson: ${err.message}`);
      }
    });
    m._lua_setfield(L, -2, lua.name(name));
  };
  fn('encode', (l) => {
    if (l.m._lua_gettop(l.L) !== 1) throw new CjsonError("bad argument #1 to 'encode' (expected 1 argument)");
    l.pushString(encodeValue(l, 1, 0));
    return 1;
  });
  fn('decode', (l) => {
    if (l.m._lua_gettop(l.L) !== 1 || l.type(1) !== T_STRING) {
      throw new CjsonError("bad argument #1 to 'decode' (expected 1 argument)");
    }
    new Decoder(l, l.toBytes(1)).decode();
    return 1;
  });
  // The configuration functions exist (scripts call them); Sluice keeps lua-cjson's defaults.
  for (const name of [
    'encode_sparse_array',
    'encode_max_depth',
    'decode_max_depth',
    'encode_number_precision',
    'encode_keep_buffer',
    'encode_invalid_numbers',
    'decode_invalid_numbers',
  ]) {
    fn(name, () => 0);
  }
  pushNull(lua);
  m._lua_setfield(L, -2, lua.name('null'));
  m._lua_setglobal(L, lua.name('cjson'));
}
