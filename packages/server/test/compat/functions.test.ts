/**
 * FUNCTION, FCALL, FCALL_RO and the `#!lua` line of EVAL scripts, differentially: each case runs on
 * redis-server 7 and on sluice-server, in RESP2 and RESP3, and the raw reply bytes must be equal. The
 * cases cover library loading and its errors, the load-time and run-time environments, flags, the
 * listing commands, and FUNCTION DUMP/RESTORE between the two servers in both directions.
 *
 * FUNCTION LIST orders libraries and functions by redis-server's hash tables (randomly seeded), so a
 * listing compared here holds one library of one function, or is narrowed with LIBRARYNAME.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Step = readonly (string | Buffer)[];

/** A library of the given Lua code (after its `#!lua name=` line). */
const lib = (name: string, code: string): string => `#!lua name=${name}\n${code}`;
const load = (name: string, code: string): Step => ['FUNCTION', 'LOAD', lib(name, code)];
const fn = (name: string, body: string, extra = ''): string =>
  `redis.register_function{function_name='${name}', callback=function(keys, args) ${body} end${extra}}`;

const CASES: Record<string, readonly Step[]> = {
  'FUNCTION LOAD: library metadata': [
    ['FUNCTION', 'LOAD', 'return 1'],
    ['FUNCTION', 'LOAD', '#!lua name=x'],
    ['FUNCTION', 'LOAD', '#!lua\nredis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!lua name=a name=b\nredis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!lua name=a foo=bar\nredis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!lua name=a-b\nredis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!lua name=\nredis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!js name=a\nredis.register_function("a", function() end)'],
    ['FUNCTION', 'LOAD', '#!LUA NAME=up\nredis.register_function("up", function() return 1 end)'],
    ['FUNCTION', 'LOAD', '#!lua "name=quoted"\nredis.register_function("q", function() return 1 end)'],
    ['FUNCTION', 'LOAD', '#!lua name="open\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!\nreturn 1'],
    ['FUNCTION', 'LOAD', 'REPLACE'],
    ['FUNCTION', 'LOAD', 'NOPE', lib('a', 'return 1')],
    ['FUNCTION', 'LOAD'],
    ['FCALL', 'up', '0'],
    ['FCALL', 'q', '0'],
  ],
  'FUNCTION LOAD: what the library code may do while it loads': [
    load('l1', 'local s = string.format("%d", 5)'),
    load('l2', 'redis.call("PING")'),
    load('l3', 'redis.setresp(3)'),
    load('l4', 'x = 1'),
    load('l5', 'error("boom")'),
    load('l6', 'local t = KEYS'),
    load(
      'l7',
      'local n = redis.REDIS_VERSION_NUM\nredis.log(redis.LOG_WARNING, "loading")\nredis.register_function("ok7", function() return redis.REDIS_VERSION end)',
    ),
    load('l8', 'return 1'),
    load('l9', 'local x = ('),
    load('l10', 'redis.nosuch()'),
    ['FCALL', 'ok7', '0'],
  ],
  'FUNCTION LOAD: redis.register_function arguments': [
    load('r1', 'redis.register_function()'),
    load('r2', "redis.register_function('a')"),
    load('r3', 'redis.register_function(1, 2)'),
    load('r4', 'redis.register_function({}, function() end)'),
    load('r5', "redis.register_function('a-b', function() end)"),
    load('r6', "redis.register_function('a', function() end) redis.register_function('a', function() end)"),
    load('r7', "redis.register_function{function_name='a'}"),
    load('r8', 'redis.register_function{callback=function() end}'),
    load('r9', "redis.register_function{function_name='a', callback=function() end, flags={'bad'}}"),
    load('r10', "redis.register_function{function_name='a', callback=function() end, foo=1}"),
    load('r11', "redis.register_function{function_name='a', callback=function() end, flags='x'}"),
    load('r12', "redis.register_function{function_name='a', callback=1}"),
    load('r13', "redis.register_function{[1]='a'}"),
    load('r14', "redis.register_function('a', function() end, 3)"),
    load('r15', "redis.register_function{function_name='a', callback=function() end, description={}}"),
    load('r16', "redis.register_function{function_name='a', callback=function() end, flags={1}}"),
    load('r17', 'redis.register_function{function_name={}, callback=function() end}'),
    load(
      'r18',
      "redis.register_function{function_name='n18', callback=function() return 18 end, description=5}",
    ),
    load(
      'r19',
      "redis.register_function{function_name='n19', callback=function() return 19 end, flags={'NO-WRITES', 'allow-oom'}}",
    ),
    ['FCALL', 'n18', '0'],
    ['FCALL_RO', 'n19', '0'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'r18'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'r19'],
  ],
  'FCALL: keys and arguments as parameters, replies, errors with the function name': [
    load('calls', fn('echo', 'return {keys[1], args[1], #keys, #args}')),
    load('writes', fn('put', "return redis.call('SET', keys[1], args[1])")),
    load('reads', fn('peek', "return redis.call('GET', keys[1])", ", flags={'no-writes'}")),
    load('fails', fn('boom', "error('boom')")),
    load('globals', fn('glob', 'return KEYS')),
    load('assigns', fn('assign', 'y = 1')),
    load('callerr', fn('callerr', "return redis.call('INCR', keys[1])")),
    load('pcalls', fn('pcalled', "return redis.pcall('INCR', keys[1])")),
    load(
      'resp3',
      fn('typed', "redis.setresp(3) return {redis.call('HELLO')[1] ~= nil, {double=1.5}, {map={a=1}}}"),
    ),
    load('runtime', fn('reg', 'return type(redis.register_function)')),
    load('cjsonlib', fn('json', 'return cjson.encode({a=args[1]})')),
    ['FCALL', 'echo', '2', 'k1', 'k2', 'a1'],
    ['FCALL', 'ECHO', '0'],
    ['FCALL', 'put', '1', 'k', 'v'],
    ['FCALL', 'peek', '1', 'k'],
    ['FCALL_RO', 'peek', '1', 'k'],
    ['FCALL_RO', 'put', '1', 'k', 'v'],
    ['FCALL', 'boom', '0'],
    ['FCALL', 'glob', '0'],
    ['FCALL', 'assign', '0'],
    ['FCALL', 'callerr', '1', 'k'],
    ['FCALL', 'pcalled', '1', 'k'],
    ['FCALL', 'typed', '0'],
    ['FCALL', 'reg', '0'],
    ['FCALL', 'json', '0', 'x'],
    ['FCALL', 'nosuch', '0'],
    ['FCALL', 'echo', 'x'],
    ['FCALL', 'echo', '-1'],
    ['FCALL', 'echo', '5', 'k'],
    ['FCALL', 'echo', '1.5', 'k'],
    ['FCALL', 'echo', '01', 'k'],
    ['FCALL', 'echo', '+1', 'k'],
    ['FCALL', 'nosuch', 'x'],
    ['FCALL'],
    ['FCALL_RO', 'echo', '0'],
    ['EVAL', "return redis.call('FCALL', 'echo', '0')", '0'],
    ['MULTI'],
    ['FCALL', 'put', '1', 'm', 'in-multi'],
    ['FCALL', 'peek', '1', 'm'],
    ['EXEC'],
  ],
  'FUNCTION LIST, STATS, DELETE, FLUSH': [
    ['FUNCTION', 'LIST'],
    load('one', fn('only', 'return 1', ", description='the only one'")),
    ['FUNCTION', 'LIST'],
    ['FUNCTION', 'LIST', 'WITHCODE'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME', 'O*', 'WITHCODE'],
    ['FUNCTION', 'LIST', 'libraryname', 'x*'],
    ['FUNCTION', 'LIST', 'LIBRARYNAME'],
    ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'],
    ['FUNCTION', 'LIST', 'BAD'],
    ['FUNCTION', 'STATS'],
    ['FUNCTION', 'STATS', 'x'],
    ['FUNCTION', 'KILL'],
    ['SCRIPT', 'KILL'],
    ['FUNCTION', 'DELETE', 'ONE'],
    ['FUNCTION', 'DELETE', 'one'],
    ['FUNCTION', 'DELETE', 'one'],
    ['FCALL', 'only', '0'],
    load('two', fn('second', 'return 2')),
    ['FUNCTION', 'FLUSH', 'LAZY'],
    ['FUNCTION', 'FLUSH', 'SYNC', 'x'],
    ['FUNCTION', 'FLUSH', 'ASYNC'],
    ['FUNCTION', 'STATS'],
    ['FUNCTION', 'NOSUCH'],
    ['FUNCTION'],
    ['FUNCTION', 'HELP'],
  ],
  'FUNCTION LOAD REPLACE and function names across libraries': [
    load('base', fn('shared', 'return 1')),
    load('base', fn('shared', 'return 2')),
    ['FUNCTION', 'LOAD', 'REPLACE', lib('base', fn('shared', 'return 3'))],
    ['FCALL', 'shared', '0'],
    load('other', fn('shared', 'return 4')),
    load('other', fn('SHARED', 'return 5')),
    ['FUNCTION', 'LOAD', 'replace', lib('base', fn('renamed', 'return 6'))],
    ['FCALL', 'shared', '0'],
    ['FCALL', 'renamed', '0'],
    ['FUNCTION', 'LOAD', 'REPLACE', lib('base', 'return 1')],
    ['FCALL', 'renamed', '0'],
    ['FUNCTION', 'RESTORE', 'not a payload'],
    ['FUNCTION', 'RESTORE', 'x', 'BAD'],
    ['FUNCTION', 'RESTORE', 'x', 'FLUSH', 'extra'],
    ['FUNCTION', 'RESTORE', '0123456789'],
  ],
  'EVAL with a #!lua line: flags and errors': [
    ['EVAL', "#!lua\nreturn redis.call('SET', KEYS[1], 'v')", '1', 'k'],
    ['EVAL', "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 'v')", '1', 'k'],
    ['EVAL', "#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", '1', 'k'],
    ['EVAL_RO', "#!lua\nreturn redis.call('GET', KEYS[1])", '1', 'k'],
    ['EVAL_RO', "#!lua flags=no-writes,allow-stale\nreturn redis.call('GET', KEYS[1])", '1', 'k'],
    ['EVAL', '#!lua flags=\nreturn 1', '0'],
    ['EVAL', '#!lua flags=bogus\nreturn 1', '0'],
    ['EVAL', '#!lua flags=no-writes,bogus\nreturn 1', '0'],
    ['EVAL', '#!lua flags=NO-WRITES\nreturn 1', '0'],
    ['EVAL', '#!lua mode=x\nreturn 1', '0'],
    ['EVAL', '#!js\nreturn 1', '0'],
    ['EVAL', '#!LUA\nreturn 1', '0'],
    ['EVAL', '#!lua', '0'],
    ['EVAL', '#!\nreturn 1', '0'],
    ['EVAL', '#!lua "flags=no-writes"\nreturn 1', '0'],
    ['EVAL', "#!lua flags='no-writes\nreturn 1", '0'],
    ['EVAL', "#!lua\nerror('where')", '0'],
    ['EVAL', '#!lua\nreturn (', '0'],
    ['SCRIPT', 'LOAD', '#!lua flags=bogus\nreturn 1'],
    ['SCRIPT', 'LOAD', "#!lua flags=no-writes\nreturn redis.call('SET', 'x', 'y')"],
    ['EVALSHA', 'bde91b29ab5bf2b8b8f36a99b2d2e0a1d44d1c43', '0'],
    ['EVALSHA_RO', 'bde91b29ab5bf2b8b8f36a99b2d2e0a1d44d1c43', '0'],
  ],
};

describe('functions against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
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
        await c.call('FUNCTION', 'FLUSH');
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

    it('FUNCTION DUMP of one server restores on the other, with each policy and the same errors', async () => {
      const code = (name: string, fns: string[]) =>
        lib(name, fns.map((f) => fn(f, `return '${name}.${f}'`)).join('\n'));
      // A library long enough that redis-server compresses it (LZF) in its payload.
      const long = lib(
        'long',
        Array.from({ length: 40 }, (_, i) => fn(`long${i}`, `return ${i}`)).join('\n'),
      );
      for (const [from, to] of [
        [r, s],
        [s, r],
      ] as const) {
        for (const c of [r, s]) await c.call('FUNCTION', 'FLUSH');
        await from.call('FUNCTION', 'LOAD', code('alpha', ['a1', 'a2']));
        await from.call('FUNCTION', 'LOAD', long);
        const payload = Buffer.from(bulkText(await from.call('FUNCTION', 'DUMP')), 'latin1');
        // Replies compared step by step: the other server first, then the same on redis-server's side.
        const steps: Step[] = [
          ['FUNCTION', 'RESTORE', payload],
          ['FCALL', 'a2', '0'],
          ['FCALL', 'long39', '0'],
          // One library of the payload clashes (redis-server reports the first clash in hash order).
          ['FUNCTION', 'DELETE', 'long'],
          ['FUNCTION', 'RESTORE', payload],
          ['FUNCTION', 'RESTORE', payload, 'APPEND'],
          ['FUNCTION', 'LOAD', 'REPLACE', code('alpha', ['a3'])],
          ['FUNCTION', 'RESTORE', payload, 'REPLACE'],
          ['FCALL', 'a1', '0'],
          ['FCALL', 'a3', '0'],
          ['FUNCTION', 'LOAD', code('beta', ['b1'])],
          ['FUNCTION', 'RESTORE', payload, 'FLUSH'],
          ['FCALL', 'b1', '0'],
          ['FUNCTION', 'DELETE', 'alpha'],
          ['FUNCTION', 'LOAD', code('clash', ['a1'])],
          ['FUNCTION', 'RESTORE', payload],
          [
            'FUNCTION',
            'RESTORE',
            Buffer.concat([
              payload.subarray(0, payload.length - 1),
              Buffer.from([(payload[payload.length - 1] as number) ^ 1]),
            ]),
          ],
        ];
        const reference = to === s ? r : s;
        await reference.call('FUNCTION', 'FLUSH');
        for (const step of steps) {
          const [expected, actual] = [await reference.call(...step), await to.call(...step)];
          expect({ step: step.map((x) => String(x).slice(0, 40)), reply: actual }).toEqual({
            step: step.map((x) => String(x).slice(0, 40)),
            reply: expected,
          });
        }
      }
    });
  });
});

/** The text of a bulk-string reply. */
function bulkText(raw: string): string {
  const m = raw.match(/^\$(\d+)\r\n/);
  if (!m) throw new Error(`not a bulk string: ${JSON.stringify(raw.slice(0, 80))}`);
  return raw.slice(m[0].length, m[0].length + Number(m[1]));
}
