/**
 * EVAL, EVALSHA, their _RO forms and SCRIPT, differentially: each case runs on redis-server 7 and on
 * sluice-server, in RESP2 and RESP3, and the raw reply bytes must be equal. The cases cover the
 * conversions both ways, the errors (of the script, of redis.call, of the arguments), the redis library,
 * the sandbox, and the script cache.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

/** One step: a command; its reply is compared between the servers. */
type Step = readonly (string | Buffer)[];

const CASES: Record<string, readonly Step[]> = {
  'globals and the libraries are read-only; redis.acl_check_cmd': [
    ['EVAL', 'redis = nil', '0'],
    ['EVAL', 'cjson = nil', '0'],
    ['EVAL', 'cmsgpack = nil', '0'],
    ['EVAL', 'redis.call = nil', '0'],
    ['EVAL', 'redis.x = 1', '0'],
    ['EVAL', 'string.upper = nil', '0'],
    ['EVAL', 'table.insert = nil', '0'],
    ['EVAL', 'bit.band = nil', '0'],
    ['EVAL', 'math.x = 1', '0'],
    ['EVAL', '_G.x = 1', '0'],
    ['EVAL', 'KEYS = 1', '0'],
    ['EVAL', "KEYS[1] = 'a' return KEYS[1]", '0'],
    ['EVAL', "return {redis.call('PING'), cjson.encode({1}), string.upper('a'), type(table.insert)}", '0'],
    ['EVAL', 'return redis.foo', '0'],
    ['EVAL', "return getmetatable('').__index == string", '0'],
    ['EVAL', 'return type(getmetatable(_G))', '0'],
    ['EVAL', 'local n = 0 for k in pairs(redis) do n = n + 1 end return n', '0'],
    [
      'EVAL',
      'local t = {} for k in pairs(_G) do if k ~= "__redis__err__handler" then t[#t+1] = k end end table.sort(t) return t',
      '0',
    ],
    ['EVAL', 'return type(gcinfo())', '0'],
    ['EVAL', "return redis.acl_check_cmd('get', 'x')", '0'],
    ['EVAL', "return redis.acl_check_cmd('client')", '0'],
    ['EVAL', "return redis.acl_check_cmd('client', 'nosuch')", '0'],
    ['EVAL', "return redis.acl_check_cmd('nosuch')", '0'],
    ['EVAL', 'return redis.acl_check_cmd()', '0'],
  ],
  'Lua to RESP: strings, numbers (truncated), booleans, nil, nested tables up to the first nil': [
    ['EVAL', "return 'hello'", '0'],
    ['EVAL', 'return 3.7', '0'],
    ['EVAL', 'return -3.9', '0'],
    ['EVAL', 'return 1e20', '0'],
    ['EVAL', 'return 2^53', '0'],
    ['EVAL', 'return true', '0'],
    ['EVAL', 'return false', '0'],
    ['EVAL', 'return nil', '0'],
    ['EVAL', "return {1, 2, 3.9, 'a', nil, 4}", '0'],
    ['EVAL', 'return {1, {2, {3, {}}}}', '0'],
    ['EVAL', 'return {}', '0'],
  ],
  'status, error, double, map and set tables': [
    ['EVAL', "return {ok='fine'}", '0'],
    ['EVAL', "return {err='X y'}", '0'],
    ['EVAL', "return {err='nocode'}", '0'],
    ['EVAL', "return redis.error_reply('MY err')", '0'],
    ['EVAL', "return redis.error_reply('nocode2')", '0'],
    ['EVAL', "return redis.error_reply('-WRONGTYPE bad')", '0'],
    ['EVAL', "return redis.status_reply('fine')", '0'],
    ['EVAL', 'return {double=3.5}', '0'],
    ['EVAL', 'return {map={a=1}}', '0'],
    ['EVAL', 'return {set={x=true}}', '0'],
    ['EVAL', 'redis.setresp(3); return true', '0'],
    ['EVAL', 'redis.setresp(3); return false', '0'],
    ['EVAL', 'redis.setresp(3); return {double=0.25}', '0'],
  ],
  'RESP to Lua: what redis.call hands the script': [
    ['SET', 's', 'str'],
    ['EVAL', "return redis.call('GET', KEYS[1])", '1', 's'],
    ['EVAL', "return redis.call('GET', 'missing') == false", '0'],
    ['EVAL', "return type(redis.call('GET', 'missing'))", '0'],
    ['EVAL', "return redis.call('SET', 'k', 'v')", '0'],
    ['EVAL', "local r = redis.call('SET', 'k', 'v') return r.ok", '0'],
    ['EVAL', "return redis.call('MGET', 's', 'missing', 'k')", '0'],
    ['EVAL', "return redis.call('INCR', 'n')", '0'],
    ['EVAL', "return type(redis.call('INCR', 'n'))", '0'],
    ['EVAL', "redis.setresp(3); return type(redis.call('GET', 'missing'))", '0'],
    ['EVAL', "redis.setresp(3); local r = redis.call('CONFIG', 'GET', 'maxclients') return type(r.map)", '0'],
    ['EVAL', "return redis.call('EXISTS', 's', 'k', 'missing')", '0'],
  ],
  'numbers passed to redis.call are formatted as Lua 5.1 does': [
    ['EVAL', "redis.call('SET', KEYS[1], 10/4) return redis.call('GET', KEYS[1])", '1', 'f'],
    ['EVAL', "redis.call('SET', KEYS[1], 10/2) return redis.call('GET', KEYS[1])", '1', 'f'],
    ['EVAL', "redis.call('SET', KEYS[1], 1/3) return redis.call('GET', KEYS[1])", '1', 'f'],
    ['EVAL', "redis.call('SET', KEYS[1], 7) return redis.call('GET', KEYS[1])", '1', 'f'],
    ['EVAL', "return redis.call('EXPIRE', KEYS[1], 100/2)", '1', 'f'],
  ],
  'errors: raised by redis.call, returned by redis.pcall, raised by the script': [
    ['SET', 's', 'str'],
    ['EVAL', "return redis.call('INCR', 's')", '0'],
    ['EVAL', "return redis.pcall('INCR', 's')", '0'],
    ['EVAL', "local r = redis.pcall('INCR', 's') return r.err", '0'],
    ['EVAL', "return redis.call('INCR', 'a', 'b')", '0'],
    ['EVAL', "return redis.pcall('INCR', 'a', 'b')", '0'],
    ['EVAL', "return redis.call('NOSUCH')", '0'],
    ['EVAL', "return redis.pcall('NOSUCH')", '0'],
    ['EVAL', "return redis.call('MULTI')", '0'],
    ['EVAL', "return redis.call('EVAL', 'return 1', '0')", '0'],
    ['EVAL', 'return redis.call()', '0'],
    ['EVAL', 'return redis.call({})', '0'],
    ['EVAL', "return redis.call('GET', {})", '0'],
    ['EVAL', "error('boom')", '0'],
    ['EVAL', "error({err='MYCODE x'})", '0'],
    ['EVAL', "error({err='nocode'})", '0'],
    ['EVAL', "local ok, e = pcall(redis.call, 'INCR', 's') return {tostring(ok), type(e), e}", '0'],
    ['EVAL', "local ok, e = pcall(error, {err='x'}) return {tostring(ok), type(e), e}", '0'],
    ['EVAL', "local ok, e = pcall(error, 'plain') return {tostring(ok), type(e), e}", '0'],
    ['EVAL', 'local ok, a, b = pcall(function() return 1, 2 end) return {tostring(ok), a, b}', '0'],
    ['EVAL', 'return redis.setresp(4)', '0'],
    ['EVAL', 'return (', '0'],
    ['EVAL', 'return 1 +', '0'],
  ],
  'the sandbox: globals, missing libraries, 5.1 functions': [
    ['EVAL', 'return x', '0'],
    ['EVAL', 'a = 5', '0'],
    ['EVAL', 'function f() end', '0'],
    ['EVAL', 'return os', '0'],
    ['EVAL', 'return io', '0'],
    ['EVAL', 'return require', '0'],
    ['EVAL', 'return debug', '0'],
    ['EVAL', 'return dofile', '0'],
    ['EVAL', 'return loadfile', '0'],
    ['EVAL', 'return type(unpack)', '0'],
    ['EVAL', 'return unpack({1, 2, 3})', '0'],
    ['EVAL', 'return {unpack({1, 2, 3})}', '0'],
    ['EVAL', 'return type(loadstring)', '0'],
    ['EVAL', 'return math.pow(2, 10)', '0'],
    ['EVAL', 'return table.getn({1, 2, 3})', '0'],
    ['EVAL', "return select('#', 1, 2, 3)", '0'],
    ['EVAL', "return string.format('%d-%s', 3, 'x')", '0'],
    ['EVAL', 'return tostring(0.1)', '0'],
    ['EVAL', 'local t = {} for i = 1, 100 do t[i] = i * i end return #t', '0'],
  ],
  'the redis library': [
    ['EVAL', "return redis.sha1hex('')", '0'],
    ['EVAL', "return redis.sha1hex('hello world')", '0'],
    ['EVAL', 'return redis.REDIS_VERSION', '0'],
    ['EVAL', 'return redis.REDIS_VERSION_NUM', '0'],
    ['EVAL', "redis.log(redis.LOG_WARNING, 'from a script') return 1", '0'],
    ['EVAL', 'return redis.log(redis.LOG_WARNING)', '0'],
    ['EVAL', "return redis.log('x', 'y')", '0'],
    ['EVAL', "return redis.log(17, 'y')", '0'],
    ['EVAL', 'return redis.replicate_commands()', '0'],
    ['EVAL', 'redis.set_repl(redis.REPL_ALL) return 1', '0'],
    ['EVAL', 'return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}', '0'],
  ],
  'the bit and cjson libraries': [
    [
      'EVAL',
      'return {bit.tobit(2^32+5), bit.tohex(255), bit.tohex(-1, -4), bit.band(0xff, 0x0f), bit.bor(1,2,4), bit.bxor(5,3), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.bnot(0), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5)}',
      '0',
    ],
    ['EVAL', "return cjson.encode({1, 2, 'a/b', {x = 1}})", '0'],
    ['EVAL', 'return cjson.encode({a = 1.5})', '0'],
    ['EVAL', 'return cjson.encode({c = cjson.null})', '0'],
    ['EVAL', 'return cjson.encode({})', '0'],
    ['EVAL', "return cjson.encode('\\1\\n\"\\\\')", '0'],
    ['EVAL', 'return cjson.encode(0.1)', '0'],
    ['EVAL', 'return cjson.encode(1e20)', '0'],
    ['EVAL', 'return cjson.encode(3)', '0'],
    ['EVAL', 'return cjson.encode(true)', '0'],
    ['EVAL', 'return cjson.encode({[1] = 1, [10] = 2})', '0'],
    ['EVAL', 'return cjson.encode({[1] = 1, [20] = 2})', '0'],
    ['EVAL', 'return cjson.encode(function() end)', '0'],
    ['EVAL', 'return cjson.encode({[true] = 1})', '0'],
    [
      'EVAL',
      'local t = cjson.decode(ARGV[1]) return {t.a[1], t.a[2], tostring(t.a[3].b == cjson.null), t.c, type(t.a[1]), tostring(t.d)}',
      '0',
      '{"a":[1,2,{"b":null}],"c":"x\\u00e9\\n","d":2.5}',
    ],
    ['EVAL', 'return cjson.decode(ARGV[1])', '0', '{'],
    ['EVAL', 'return cjson.decode(ARGV[1])', '0', '[1,2'],
    ['EVAL', 'return cjson.decode(ARGV[1])', '0', 'nul'],
    ['EVAL', 'return cjson.decode(ARGV[1])', '0', '{"a" 1}'],
    ['EVAL', 'return cjson.decode(ARGV[1])', '0', '[1] 2'],
    ['EVAL', 'return tostring(cjson.decode(ARGV[1]))', '0', '100'],
    ['EVAL', 'return cjson.decode(ARGV[1])', '0', '[1,"two",[3]]'],
    ['EVAL', 'return cjson.encode(cjson.decode(ARGV[1]))', '0', '[1,"\\u00e9",{"k":[true,false]}]'],
  ],
  'KEYS and ARGV, numkeys, binary-safe values': [
    ['EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}', '2', 'k1', 'k2', 'a1', 'a2'],
    ['EVAL', 'return #KEYS', '0'],
    ['EVAL', 'return 1', '-1'],
    ['EVAL', 'return 1', '2', 'a'],
    ['EVAL', 'return 1', 'x'],
    ['EVAL', 'return 1', '1.5'],
    [
      'EVAL',
      "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
      '1',
      Buffer.from([0, 0xff, 0x0d, 0x0a]),
      Buffer.from([0xfe, 0, 1, 0x80]),
    ],
    ['EVAL', 'return {string.byte(ARGV[1], 1, -1)}', '0', Buffer.from([0, 0x61, 0xff])],
  ],
  'EVALSHA, SCRIPT LOAD, EXISTS and FLUSH, the _RO forms': [
    ['SCRIPT', 'LOAD', 'return ARGV[1]'],
    ['EVALSHA', '4a2267357833227dd98abdedb8cf24b15a986445', '0', 'hi'],
    ['EVALSHA', '4A2267357833227DD98ABDEDB8CF24B15A986445', '0', 'hi'],
    [
      'SCRIPT',
      'EXISTS',
      '4a2267357833227dd98abdedb8cf24b15a986445',
      'ffffffffffffffffffffffffffffffffffffffff',
    ],
    ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
    ['EVALSHA', 'short', '0'],
    ['EVAL', 'return 42', '0'],
    ['EVALSHA', '1a5f2bba4a42ed0c26c6d8daf8fa5d1c3f20a4d5', '0'],
    ['SCRIPT', 'FLUSH'],
    ['SCRIPT', 'EXISTS', '4a2267357833227dd98abdedb8cf24b15a986445'],
    ['SCRIPT', 'FLUSH', 'ASYNC'],
    ['SCRIPT', 'FLUSH', 'SYNC'],
    ['SCRIPT', 'FLUSH', 'bogus'],
    ['SCRIPT', 'KILL'],
    ['SCRIPT', 'LOAD', 'return ('],
    ['EVAL_RO', "return redis.call('GET', 'x')", '0'],
    ['EVAL_RO', "return redis.call('SET', 'x', '1')", '0'],
    ['EVAL_RO', "return redis.pcall('SET', 'x', '1')", '0'],
    ['SCRIPT', 'LOAD', "return redis.call('SET', KEYS[1], ARGV[1])"],
    ['EVALSHA_RO', '1b936e3fe509bcbc9cd0664897bbe8fd0cac101b', '1', 'x', '1'],
    ['EVALSHA', '1b936e3fe509bcbc9cd0664897bbe8fd0cac101b', '1', 'x', '1'],
    ['GET', 'x'],
  ],
  'busy-reply-threshold, also called lua-time-limit': [
    ['CONFIG', 'GET', 'busy-reply-threshold'],
    ['CONFIG', 'GET', 'lua-time-limit'],
    ['CONFIG', 'GET', 'lua*'],
    ['CONFIG', 'GET', 'busy-reply*'],
    ['CONFIG', 'SET', 'lua-time-limit', '1234'],
    ['CONFIG', 'GET', 'busy-reply-threshold'],
    ['CONFIG', 'GET', 'LUA-TIME-LIMIT'],
    ['CONFIG', 'SET', 'busy-reply-threshold', '5000'],
    ['CONFIG', 'GET', 'lua-time-limit'],
  ],
  'a script is atomic and sees its own writes': [
    ['EVAL', "redis.call('SET', 'a', '1') redis.call('INCR', 'a') return redis.call('GET', 'a')", '0'],
    ['EVAL', "redis.call('SET', 'b', '1') return redis.call('DBSIZE')", '0'],
    ['EVAL', "redis.call('SELECT', '3') redis.call('SET', 'in3', 'x') return redis.call('DBSIZE')", '0'],
    ['EXISTS', 'in3'],
    ['SELECT', '3'],
    ['GET', 'in3'],
    ['SELECT', '0'],
    ['EVAL', "redis.call('SET', 'c', 'x') return redis.call('INCR', 'c')", '0'],
    ['GET', 'c'],
  ],
};

describe('scripting against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
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
        await c.call('FLUSHALL');
        await c.call('SCRIPT', 'FLUSH');
        if (proto === 3) await c.call('HELLO', '3');
      }
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of steps) {
        const [expected, actual] = [await r.call(...step), await s.call(...step)];
        expect({ step: step.map(String), reply: actual }).toEqual({
          step: step.map(String),
          reply: expected,
        });
      }
    });
  });
});
