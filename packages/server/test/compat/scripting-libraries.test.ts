/**
 * The cmsgpack and struct libraries of EVAL, differentially: each case runs on redis-server 7 and on
 * sluice-server, in RESP2 and RESP3, and the raw reply bytes must be equal. Packed output is returned as
 * bytes; hand-made input is passed as ARGV; what unpacking gives is written out with `dump`, which shows
 * each value's type and how Lua prints it (so `5` and `5.0` differ). Errors are compared whole, with the
 * script and line redis-server names.
 *
 * Two differences are Lua 5.4's and stay, checked on sluice-server alone at the end: a table packed as a
 * map with several keys lists them in Lua 5.4's `next` order, not 5.1's; a negative zero unpacked prints
 * as `-0.0` (5.1: `-0`).
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

/** One step: a command; its reply is compared between the servers. */
type Step = readonly (string | Buffer)[];

/**
 * Lua helpers put before a case's script, on one line so that errors stay on line 1: `dump(v)` writes a
 * value (tables with their keys sorted), `all(...)` every value of a call, nils included.
 */
const HELPERS =
  'local dump; dump = function(v) if type(v) ~= "table" then return type(v) .. ":" .. tostring(v) end ' +
  'local keys = {} for k in pairs(v) do keys[#keys + 1] = k end ' +
  'table.sort(keys, function(a, b) return dump(a) < dump(b) end) ' +
  'local parts = {} for _, k in ipairs(keys) do parts[#parts + 1] = dump(k) .. "=" .. dump(v[k]) end ' +
  'return "{" .. table.concat(parts, ",") .. "}" end ' +
  'local function all(...) local out = {} for i = 1, select("#", ...) do out[i] = dump((select(i, ...))) end ' +
  'return select("#", ...) .. ": " .. table.concat(out, " ") end ';

/** EVAL of `script` after the helpers, with ARGV. */
const lua = (script: string, ...argv: (string | Buffer)[]): Step => ['EVAL', HELPERS + script, '0', ...argv];
/** EVAL returning `expr`. */
const ret = (expr: string, ...argv: (string | Buffer)[]): Step => lua(`return ${expr}`, ...argv);
const bytes = (...b: number[]): Buffer => Buffer.from(b);

/** Values that cover every encoding of a number. */
const NUMBERS = [
  '0',
  '1',
  '127',
  '128',
  '255',
  '256',
  '65535',
  '65536',
  '2^32 - 1',
  '2^32',
  '2^53',
  '2^53 + 1',
  '2^63',
  '2^64',
  '-1',
  '-32',
  '-33',
  '-128',
  '-129',
  '-32768',
  '-32769',
  '-2^31',
  '-2^31 - 1',
  '-2^53',
  '-2^63',
  '-2^64',
  '10/2',
  '7.0',
  '0.5',
  '1.5',
  '-0.25',
  '0.1',
  '1/3',
  '1e300',
  '-1e-300',
  '3.4028234663852886e38',
  '1/0',
  '-1/0',
  '0/0',
  '1e14',
  '123456789012345',
] as const;

const CMSGPACK: Record<string, readonly Step[]> = {
  'the library table': [
    ret('{cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION}'),
    lua(
      'local t = {} for k, v in pairs(cmsgpack) do t[#t + 1] = k .. "=" .. type(v) end table.sort(t) return t',
    ),
  ],
  'pack: nil, booleans, other types': [
    ret('cmsgpack.pack(nil)'),
    ret('cmsgpack.pack(true)'),
    ret('cmsgpack.pack(false)'),
    ret('cmsgpack.pack(type)'),
    ret('cmsgpack.pack(cjson.null)'),
    ret('cmsgpack.pack(coroutine.create(function() end))'),
    ret("cmsgpack.pack(1, 'a', {}, nil, true)"),
  ],
  'pack: numbers, integers of every width and floats': NUMBERS.map((n) => ret(`cmsgpack.pack(${n})`)),
  'pack: strings of every header': [0, 1, 31, 32, 255, 256, 65535, 65536, 70000].map((n) =>
    ret(`cmsgpack.pack(string.rep('x', ${n}))`),
  ),
  'pack: binary strings': [ret('cmsgpack.pack(ARGV[1])', bytes(0, 0xff, 0x80, 0x0d, 0x0a, 0))],
  'pack: arrays and maps': [
    ret('cmsgpack.pack({})'),
    ret('cmsgpack.pack({1, 2, 3})'),
    ret("cmsgpack.pack({'a', {'b', {'c'}}, true})"),
    ret('cmsgpack.pack({1, nil, 3})'),
    ret('cmsgpack.pack({[1] = 1, [3] = 3})'),
    ret('cmsgpack.pack({[2] = 2})'),
    ret("cmsgpack.pack({[0] = 'z'})"),
    ret("cmsgpack.pack({[-1] = 'm'})"),
    ret('cmsgpack.pack({[1.5] = 1})'),
    ret("cmsgpack.pack({['1'] = 1})"),
    ret('cmsgpack.pack({[2^31] = 1})'),
    ret('cmsgpack.pack({[2^31 - 1] = 1})'),
    ret('cmsgpack.pack({[true] = false})'),
    ret('cmsgpack.pack({a = 1})'),
    ret('cmsgpack.pack({a = {b = {c = 1}}})'),
    ret("cmsgpack.pack({1, 2, x = 'y'})"),
    ret('cmsgpack.pack({[10] = 1, [20] = 2})'),
    ret('cmsgpack.pack({[1] = 1.0, [2] = 10/2})'),
    lua('local t = {} for i = 1, 15 do t[i] = i end return cmsgpack.pack(t)'),
    lua('local t = {} for i = 1, 16 do t[i] = i end return cmsgpack.pack(t)'),
    lua('local t = {} for i = 1, 65535 do t[i] = i % 7 end return cmsgpack.pack(t)'),
    lua('local t = {} for i = 1, 65536 do t[i] = i % 7 end return cmsgpack.pack(t)'),
    lua('local t = {} t[1] = t return cmsgpack.pack(t)'),
  ],
  'pack: tables nested up to 16 deep, nil past that': [15, 16, 17, 20].map((depth) =>
    lua(`local t = {} local c = t for i = 2, ${depth} do c[1] = {} c = c[1] end return cmsgpack.pack(t)`),
  ),
  'pack: errors and the stack bound': [
    ret('cmsgpack.pack()'),
    lua('return cmsgpack.pack()'),
    lua('local p = cmsgpack.pack p()'),
    lua('local ok, e = pcall(cmsgpack.pack) return e'),
    lua('local t = {} for i = 1, 4000 do t[i] = i end return #cmsgpack.pack(unpack(t))'),
    lua('local t = {} for i = 1, 4001 do t[i] = i end return #cmsgpack.pack(unpack(t))'),
    lua('local t = {} for i = 1, 3999 do t[i] = {} end return #cmsgpack.pack(unpack(t))'),
    lua('local t = {} for i = 1, 4000 do t[i] = {} end return #cmsgpack.pack(unpack(t))'),
  ],
  'round trips: what unpack gives for each packed value': [
    ...NUMBERS.map((n) => ret(`all(cmsgpack.unpack(cmsgpack.pack(${n})))`)),
    ret('all(cmsgpack.unpack(cmsgpack.pack(nil, true, false, "", "abc")))'),
    ret("all(cmsgpack.unpack(cmsgpack.pack({1, 2.5, 'x', {true}, {a = {b = 'c'}}})))"),
    ret("all(cmsgpack.unpack(cmsgpack.pack({a = 1, b = 2, c = 3, d = {e = 'f', [7] = 8}})))"),
    ret('all(cmsgpack.unpack(cmsgpack.pack({1, nil, 3}, {[1.5] = 2, [-1] = 3})))'),
    ret('all(cmsgpack.unpack(cmsgpack.pack(1, 2, 3, 4, 5)))'),
    ret('cmsgpack.unpack(cmsgpack.pack(ARGV[1]))', bytes(0, 0xff, 0x80, 0x0d, 0x0a, 0)),
    ...[31, 32, 255, 256, 65535, 65536].map((n) =>
      lua(`local s = string.rep('ab', ${n}) local u = cmsgpack.unpack(cmsgpack.pack(s)) return {#u, u == s}`),
    ),
    lua(
      'local t = {} for i = 1, 70000 do t[i] = i end local u = cmsgpack.unpack(cmsgpack.pack(t)) return {#u, u[1], u[70000]}',
    ),
    lua(
      'local t = {} for i = 1, 20 do t["k" .. i] = i end local u = cmsgpack.unpack(cmsgpack.pack(t)) return dump(u)',
    ),
    lua(
      'local t = {} local c = t for i = 2, 20 do c[1] = {} c = c[1] end return dump(cmsgpack.unpack(cmsgpack.pack(t)))',
    ),
  ],
  'unpack: hand-made input of every type': [
    ...[
      [0x00],
      [0x7f],
      [0xe0],
      [0xff],
      [0xcc, 0xff],
      [0xd0, 0x80],
      [0xcd, 0xff, 0xfe],
      [0xd1, 0x80, 0x01],
      [0xce, 0xff, 0xff, 0xff, 0xff],
      [0xd2, 0x80, 0, 0, 1],
      [0xcf, 0, 0, 0, 1, 0, 0, 0, 0],
      [0xcf, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xcf, 0, 0x20, 0, 0, 0, 0, 0, 1],
      [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0],
      [0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
      [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0],
      [0xd3, 0, 0, 0x5a, 0xf3, 0x10, 0x7a, 0x40, 0],
      [0xca, 0x40, 0xa0, 0, 0],
      [0xca, 0x3f, 0xc0, 0, 0],
      [0xca, 0x7f, 0x80, 0, 0],
      [0xcb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a],
      [0xcb, 0x40, 0x14, 0, 0, 0, 0, 0, 0],
      [0xcb, 0x42, 0xd6, 0xbc, 0xc4, 0x1e, 0x90, 0, 0],
      [0xc0],
      [0xc2],
      [0xc3],
      [0xa0],
      [0xa3, 0x61, 0x00, 0x62],
      [0xd9, 2, 0x61, 0x62],
      [0xda, 0, 2, 0x61, 0x62],
      [0xdb, 0, 0, 0, 2, 0x61, 0x62],
      [0x90],
      [0x92, 0x01, 0xc0],
      [0x93, 0xc0, 0xc0, 0x05],
      [0xdc, 0, 2, 0x01, 0x02],
      [0xdd, 0, 0, 0, 1, 0xa1, 0x7a],
      [0x80],
      [0x82, 0xa1, 0x61, 0x01, 0x02, 0xc3],
      [0x81, 0x01, 0xc0],
      [0x81, 0xc3, 0xc2],
      [0x81, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x01],
      [0xde, 0, 1, 0x91, 0x01, 0x02],
      [0xdf, 0, 0, 0, 1, 0xa0, 0xa0],
      [0x01, 0x02, 0xa1, 0x33, 0xc0],
    ].map((b) => ret('all(cmsgpack.unpack(ARGV[1]))', Buffer.from(b))),
    ret('all(cmsgpack.unpack(ARGV[1]))', ''),
    ret('all(cmsgpack.unpack(5))'),
    ret('all(cmsgpack.unpack(10/2))'),
    ret('all(cmsgpack.unpack(ARGV[1], "ignored"))', bytes(0x01)),
  ],
  'unpack: errors': [
    ...[
      [0xcc],
      [0xcd, 0x01],
      [0xd3, 0, 0, 0, 0],
      [0xca, 0],
      [0xa3, 0x61],
      [0xd9],
      [0xd9, 3, 0x61],
      [0xdb, 0, 0, 0, 5, 0x61],
      [0x92, 0x01],
      [0xdc, 0],
      [0x82, 0x01, 0x02, 0x03],
      [0x01, 0xcd],
      [0xc1],
      [0xc4, 0x01, 0x00],
      [0xc7, 0x01, 0x01, 0x00],
      [0xd4, 0x01, 0x00],
      [0xd8],
      [0x92, 0x01, 0xc1],
      [0x81, 0xc0, 0x01],
      [0x81, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0, 0x01],
    ].map((b) => ret('cmsgpack.unpack(ARGV[1])', Buffer.from(b))),
    ret('cmsgpack.unpack()'),
    ret('cmsgpack.unpack({})'),
    ret('cmsgpack.unpack(nil)'),
    lua('local u = cmsgpack.unpack return u(true)'),
  ],
  'unpack: the stack bound': [
    ret("select('#', cmsgpack.unpack(string.rep('\\1', 7998)))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\1', 7999)))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\1', 8000)))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\145\\1', 7996)))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\145\\1', 7997)))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\145', 3998) .. '\\1'))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1'))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\129\\1', 3998) .. '\\1'))"),
    ret("select('#', cmsgpack.unpack(string.rep('\\129\\1', 4000) .. '\\1'))"),
    ret("select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 7998))"),
    ret("select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 7999))"),
  ],
  'unpack_one and unpack_limit, with offsets': [
    ...[
      'cmsgpack.unpack_one(S)',
      'cmsgpack.unpack_one(S, 0)',
      'cmsgpack.unpack_one(S, 1)',
      'cmsgpack.unpack_one(S, 2)',
      'cmsgpack.unpack_one(S, 5)',
      'cmsgpack.unpack_one(S, 6)',
      'cmsgpack.unpack_one(S, 7)',
      'cmsgpack.unpack_one(S, -1)',
      'cmsgpack.unpack_one(S, 1.9)',
      "cmsgpack.unpack_one(S, '2')",
      "cmsgpack.unpack_one(S, 'x')",
      'cmsgpack.unpack_one(S, nil)',
      'cmsgpack.unpack_one(S, {})',
      'cmsgpack.unpack_one(S, 2^32 + 1)',
      'cmsgpack.unpack_one(S, 2^40)',
      'cmsgpack.unpack_one(S, 0/0)',
      'cmsgpack.unpack_one(S, 1, "extra")',
      'cmsgpack.unpack_one()',
      'cmsgpack.unpack_one(nil, "x")',
      "cmsgpack.unpack_one('')",
      "cmsgpack.unpack_one('', 1)",
      'cmsgpack.unpack_limit(S, 2)',
      'cmsgpack.unpack_limit(S, 2, 1)',
      'cmsgpack.unpack_limit(S, 10)',
      'cmsgpack.unpack_limit(S, 0)',
      'cmsgpack.unpack_limit(S, 0, 1)',
      'cmsgpack.unpack_limit(S, 1, 6)',
      'cmsgpack.unpack_limit(S, -1)',
      'cmsgpack.unpack_limit(S, -2, -3)',
      'cmsgpack.unpack_limit(S, 1, 8)',
      'cmsgpack.unpack_limit(S)',
      "cmsgpack.unpack_limit(S, 'a')",
      'cmsgpack.unpack_limit(S, 2.5)',
      "cmsgpack.unpack_limit('\\205\\1', 1)",
    ].map((call) => lua(`local S = cmsgpack.pack(1, 'ab', {3}, nil) return all(${call})`)),
    lua(
      'local s = cmsgpack.pack(1, {2}, "three", 4.5) local off, v = 0 local out = {} repeat off, v = cmsgpack.unpack_one(s, off) out[#out + 1] = dump(v) .. "@" .. off until off == -1 return out',
    ),
  ],
};

const STRUCT: Record<string, readonly Step[]> = {
  'the library table': [
    lua(
      'local t = {} for k, v in pairs(struct) do t[#t + 1] = k .. "=" .. type(v) end table.sort(t) return t',
    ),
  ],
  'pack: every integer format, both byte orders': [
    ...['<', '>'].flatMap((e) =>
      [
        "'b', -1",
        "'b', 127",
        "'b', 300",
        "'B', 255",
        "'B', -1",
        "'h', -2",
        "'H', 65535",
        "'h', 70000",
        "'l', -3",
        "'L', 2^40 + 5",
        "'l', 2^53",
        "'T', 7",
        "'i', -5",
        "'I', 6",
        "'i1', -1",
        "'I2', 513",
        "'i3', -2",
        "'I3', 2^24 - 1",
        "'i8', -2^62",
        "'I5', 2^40 + 1",
        "'i16', -1",
        "'I32', 2^60",
        "'i0', 5",
        "'I', 1.9",
        "'i', -1.9",
        "'i', '123'",
        "'i', ' 0x10 '",
        "'i', '1e3'",
      ].map((args) => {
        const [fmt, rest] = args.split(/, (.*)/) as [string, string];
        return ret(`struct.pack('${e}' .. ${fmt}, ${rest})`);
      }),
    ),
    ...['2^63', '2^63 + 2^62', '2^64', '1/0', '-1/0', '0/0', '-2^63', '-2^64', '-0.5'].flatMap((n) => [
      ret(`struct.pack('>L', ${n})`),
      ret(`struct.pack('>l', ${n})`),
    ]),
  ],
  'pack: floats, padding, strings': [
    ...['<', '>'].flatMap((e) =>
      [
        "'f', 1.5",
        "'f', 0.1",
        "'f', 1e40",
        "'f', -1/0",
        "'f', 0/0",
        "'d', 0.1",
        "'d', -2.5",
        "'d', 1/0",
        "'d', 0/0",
        "'d', '2.5'",
        "'x'",
        "'xxb', 1",
        "'c3', 'abcdef'",
        "'c0', 'hello'",
        "'c', 'zz'",
        "'s', 'hi'",
        "'s', ''",
        "'c0s', 'a\\0b', 'c'",
        "'c2', 12",
        "'c0', 10/2",
        "'c0', 1/3",
        "'s', 2^53",
        "'c0', 1e100",
        "'c0', -1/0",
      ].map((args) => {
        const [fmt, rest] = args.split(/, (.*)/) as [string, string];
        return ret(`struct.pack('${e}' .. ${fmt}${rest === undefined ? '' : `, ${rest}`})`);
      }),
    ),
    ret("struct.pack('s c0', ARGV[1], ARGV[1])", bytes(0xff, 0, 0x80)),
    ret("struct.pack('b\\0b', 1, 2)"),
    ret("struct.pack('')"),
    ret("struct.pack(' < > ')"),
    ret("struct.pack('>b h b i b d', 1, 2, 3, 4, 5, 6)"),
  ],
  'numbers given as strings, read as Lua 5.1 reads them (strtod)': [
    ...[
      '12',
      ' 0x10 ',
      '-0x10',
      '1e3',
      '.5',
      '5.',
      '+5',
      '\\t5\\n',
      '\\v5',
      '5\\0x',
      '0x1p4',
      '0x1.8',
      '0xffffffffffffffffff',
      '1e400',
      'inf',
      ' -INFINITY ',
      'nan',
      '-nan',
      'nan(123)',
      '-nan(0x7b)',
      'nan(017)',
      'nan(99999999999999999999999)',
      'nan(abc)',
      '1e',
      '0x',
      '.',
      '- 5',
      '',
    ].flatMap((n) => [ret(`struct.pack('>d', '${n}')`), ret(`struct.pack('<i', '${n}')`)]),
    ret("struct.pack('<f', 'nan(123)')"),
    ret("all(cmsgpack.unpack_one(cmsgpack.pack(1, 2), ' 1 '))"),
  ],
  'pack and size: alignment': [
    ...[
      ['!4 b i', '1, 2'],
      ['!b d', '1, 2'],
      ['!2 b i', '1, 2'],
      ['! b h', '1, 2'],
      ['!8 b d', '1, 2'],
      ['!1 b d', '1, 2'],
      ['<!4 b h b i', '1, 2, 3, 4'],
      ['>!8 b l b T b f b d', '1, 2, 3, 4, 5, 6, 7, 8'],
      ['!16 b i16', '1, 2'],
      ['!4 b i3', '1, 2'],
      ['!4 b i3 b i5', '1, 2, 3, 4'],
      ['!8 b c3 i', "1, 'abc', 2"],
      ['!4 x i', '1'],
      ['!4 b ! b i', '1, 2, 3'],
      ['!2 !4 b i', '1, 2'],
      ['!4 b i !1 b i', '1, 2, 3, 4'],
      ['!1024 b d', '1, 2'],
    ].flatMap(([fmt, args]) => [ret(`struct.pack('${fmt}', ${args})`), ret(`struct.size('${fmt}')`)]),
    ret("struct.pack('!8 b s i', 1, 'ab', 2)"),
  ],
  size: [
    ...[
      '',
      'b',
      'B h H',
      'l L T',
      'i I i1 I2 i3 i8 I16 i32',
      'f d',
      'x',
      'c',
      'c5',
      '<>',
      'z',
      'Q 7',
      'b5',
      '!4 b i',
    ].map((fmt) => ret(`struct.size('${fmt}')`)),
    ret("struct.size('s')"),
    ret("struct.size('c0')"),
    ret("struct.size('b c0')"),
    ret("struct.size('!3')"),
    ret("struct.size('!0')"),
    ret("struct.size('?')"),
    ret("struct.size('i33')"),
    ret("struct.size('i99999999999')"),
    ret("struct.size('c2147483647')"),
    ret("struct.size('c2147483648')"),
    ret('struct.size()'),
    ret('struct.size(12)'),
    ret("struct.size('b\\0s')"),
  ],
  'unpack: every format, both byte orders, round trips': [
    ...['<', '>'].flatMap((e) =>
      [
        ['b', '-1'],
        ['B', '255'],
        ['h', '-2'],
        ['H', '65535'],
        ['l', '-3'],
        ['L', '2^40 + 5'],
        ['L', '2^53 + 2'],
        ['l', '-2^60'],
        ['L', '2^63'],
        ['L', '-1'],
        ['T', '7'],
        ['i', '-5'],
        ['I', '4294967295'],
        ['i3', '-2'],
        ['I3', '2^24 - 1'],
        ['i12', '-1'],
        ['I16', '2^62'],
        ['i0', '0'],
        ['f', '1.5'],
        ['f', '0.1'],
        ['f', '10/2'],
        ['d', '0.1'],
        ['d', '-2.5'],
        ['d', '2^53'],
        ['d', '1e15'],
        ['d', '1/0'],
        ['c3', "'abc'"],
        ['s', "'zz'"],
        ['b x b', '1, 2'],
        ['!4 b i', '1, 2'],
        ['!8 b d', '1, 0.5'],
      ].map(([fmt, args]) => ret(`all(struct.unpack('${e}${fmt}', struct.pack('${e}${fmt}', ${args})))`)),
    ),
    ret("all(struct.unpack('<i12', ARGV[1]))", Buffer.from([255, 255, 255, 255, 127, 0, 0, 0, 0, 0, 0, 0])),
    ret("all(struct.unpack('>i12', ARGV[1]))", Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0])),
    ret("all(struct.unpack('<I9', ARGV[1]))", Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    ret("all(struct.unpack('i3', ARGV[1]))", bytes(0xff, 0xff, 0xff)),
    ret("all(struct.unpack('b c0', ARGV[1]))", Buffer.from('\x03abcdef', 'latin1')),
    ret("all(struct.unpack('c1 c0', ARGV[1]))", Buffer.from('3abcdef', 'latin1')),
    ret("all(struct.unpack('c1 c0', ARGV[1]))", Buffer.from(' 0x2 abcdef', 'latin1')),
    ret("all(struct.unpack('f c0', ARGV[1]))", bytes(0, 0, 0, 0xbf, 0x61)),
    ret("all(struct.unpack('s s', ARGV[1]))", Buffer.from('ab\0\0cd', 'latin1')),
    ret("all(struct.unpack('s', ARGV[1]))", bytes(0xff, 0x80, 0)),
    ret("all(struct.unpack('b', ARGV[1], 2))", bytes(1, 2, 3)),
    ret("all(struct.unpack('b', ARGV[1], 1.9))", bytes(1, 2, 3)),
    ret("all(struct.unpack('b', ARGV[1], '3'))", bytes(1, 2, 3)),
    ret("all(struct.unpack('', ARGV[1], 100))", bytes(1, 2, 3)),
    ret("all(struct.unpack('!4 b i', ARGV[1], 2))", bytes(0, 7, 0, 0, 1, 0, 0, 0)),
    ret("all(struct.unpack('x x b', ARGV[1]))", bytes(1, 2, 3)),
    ret("all(struct.unpack('b', 7))"),
    ret("all(struct.unpack('b', ARGV[1], 1, 'extra'))", bytes(9)),
    ret("all(struct.unpack('b\\0b', ARGV[1]))", bytes(1, 2)),
  ],
  errors: [
    ret("struct.pack('z', 1)"),
    ret("struct.pack('b?', 1)"),
    ret("struct.pack('5', 1)"),
    ret("struct.pack('b', 1, 2, 3)"),
    ret("struct.pack('i33', 1)"),
    ret("struct.pack('i99999999999', 1)"),
    ret("struct.pack('!3 b', 1)"),
    ret("struct.pack('!0 b', 1)"),
    ret("struct.pack('c5', 'ab')"),
    ret("struct.pack('b c5', 1, 'ab')"),
    ret("struct.pack('b')"),
    ret("struct.pack('b', 'x')"),
    ret("struct.pack('d', {})"),
    ret("struct.pack('s', {})"),
    ret("struct.pack('c0')"),
    ret("struct.pack('f', nil)"),
    ret('struct.pack()'),
    ret('struct.pack({})'),
    ret("struct.unpack('b', '')"),
    ret("struct.unpack('i', 'abc')"),
    ret("struct.unpack('b', 'abc', 4)"),
    ret("struct.unpack('', 'abc', 5)"),
    ret("struct.unpack('b', 'abc', 0)"),
    ret("struct.unpack('b', 'abc', 0.5)"),
    ret("struct.unpack('b', 'abc', -1)"),
    ret("struct.unpack('b', 'abc', 'x')"),
    ret("struct.unpack('s', 'abc')"),
    ret("struct.unpack('c0', 'abc')"),
    ret("struct.unpack('c2 c0', 'abc')"),
    ret("struct.unpack('b c0', ARGV[1])", bytes(5, 0x61)),
    ret("struct.unpack('b c0', ARGV[1])", bytes(0xff, 0x61)),
    ret("struct.unpack('>d c0', ARGV[1])", bytes(0xff, 0xf8, 0, 0, 0, 0, 0, 0, 0x61)),
    ret("struct.unpack('z', 'abc')"),
    ret("struct.unpack('i40', 'abc')"),
    ret("struct.unpack('!5', 'abc')"),
    ret("struct.unpack('b')"),
    ret("struct.unpack('b', {})"),
    ret('struct.unpack()'),
    ret("struct.unpack(string.rep('b', 7997), string.rep('\\0', 8000))"),
    ret("select('#', struct.unpack(string.rep('b', 7996), string.rep('\\0', 8000)))"),
    lua("local p = struct.pack p('z')"),
    lua("local ok, e = pcall(struct.pack, 'z') return e"),
    ret("struct:pack('b')"),
  ],
};

/** A map with several keys: packed in Lua 5.4's `next` order. */
const MAP_ORDER = "cmsgpack.pack({a = 1, b = 2, c = 3, d = 4, [10] = 'x'})";

describe('cmsgpack and struct against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      r = await connectRaw(redis.port);
      s = await connectRaw(sluice.port);
      for (const c of [r, s]) {
        await c.call('SCRIPT', 'FLUSH');
        if (proto === 3) await c.call('HELLO', '3');
      }
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    const cases = [
      ...Object.entries(CMSGPACK).map(([name, steps]) => [`cmsgpack: ${name}`, steps] as const),
      ...Object.entries(STRUCT).map(([name, steps]) => [`struct: ${name}`, steps] as const),
    ];
    it.each(cases)('%s', async (_name, steps) => {
      for (const step of steps) {
        const [expected, actual] = [await r.call(...step), await s.call(...step)];
        const shown = step.map((a) => (Buffer.isBuffer(a) ? a.toString('hex') : a.replace(HELPERS, '')));
        expect({ step: shown, reply: actual }).toEqual({ step: shown, reply: expected });
      }
    });
  });

  // Lua 5.4 prints a float zero with its sign as -0.0, 5.1 as -0; an integer zero has no sign.
  it('cmsgpack: a negative zero unpacks to a float (Lua 5.4 prints it -0.0)', async () => {
    const s = await connectRaw(sluice.port);
    try {
      const step = ret('all(cmsgpack.unpack(ARGV[1]))', bytes(0xca, 0x80, 0, 0, 0));
      expect(await s.call(...step)).toBe('$14\r\n1: number:-0.0\r\n');
      expect(await s.call(...ret('1/cmsgpack.unpack(ARGV[1]) < 0', bytes(0xca, 0x80, 0, 0, 0)))).toBe(
        ':1\r\n',
      );
    } finally {
      await s.close();
    }
  });

  // Lua 5.4 walks a table's hash part in another order than 5.1: a map with several keys is packed with
  // the same entries as redis-server packs, in another order.
  it('cmsgpack: a map with several keys, in Lua 5.4 order', async () => {
    const s = await connectRaw(sluice.port);
    const r = await connectRaw(redis.port);
    try {
      const unpacked = `all(cmsgpack.unpack(${MAP_ORDER}))`;
      expect(await s.call(...ret(unpacked))).toEqual(await r.call(...ret(unpacked)));
      expect(await s.call(...ret(`#${MAP_ORDER}`))).toEqual(await r.call(...ret(`#${MAP_ORDER}`)));
      const packed = await s.call(...ret(MAP_ORDER));
      expect(packed).toMatch(/^\$16\r\n\x85/);
    } finally {
      await Promise.all([s.close(), r.close()]);
    }
  });
});
