/**
 * Hashes, differentially: each case runs on redis-server 7 and on sluice-server, in RESP2 and RESP3, and
 * the raw reply bytes must be equal; replies whose order Redis leaves to its hash table (a hash past its
 * listpack encoding) are compared as sorted pairs. Covers every hash command with its errors, WRONGTYPE
 * both ways with strings, OBJECT ENCODING's listpack → hashtable conversion by size and length, the
 * generic commands on hashes, MULTI/EXEC, and a seeded random sequence on both servers.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPair } from './differential.js';
import { entries, parse } from './resp.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Step = readonly (string | Buffer)[];
/** A step whose reply is compared unordered (a hashtable's fields): pairs sorted, or items sorted. */
const unordered = (kind: 'pairs' | 'items', ...step: string[]): { kind: 'pairs' | 'items'; step: Step } => ({
  kind,
  step,
});
type Case = Step | ReturnType<typeof unordered>;

const long = 'x'.repeat(65);

const CASES: Record<string, readonly Case[]> = {
  'HSET, HGET, HMGET, HSETNX, HMSET, HLEN, HSTRLEN, HEXISTS': [
    ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
    ['HSET', 'h', 'f1', 'new', 'f3', ''],
    ['HSET', 'h', 'f1'],
    ['HSET', 'h', 'f1', 'v', 'f2'],
    ['HMSET', 'h', 'f4', 'v4'],
    ['HMSET', 'h', 'f4'],
    ['HGET', 'h', 'f1'],
    ['HGET', 'h', 'nope'],
    ['HGET', 'missing', 'f1'],
    ['HMGET', 'h', 'f1', 'nope', 'f3'],
    ['HMGET', 'missing', 'a', 'b'],
    ['HSETNX', 'h', 'f1', 'x'],
    ['HSETNX', 'h', 'f5', 'x'],
    ['HSETNX', 'new', 'f', 'v'],
    ['HLEN', 'h'],
    ['HLEN', 'missing'],
    ['HSTRLEN', 'h', 'f1'],
    ['HSTRLEN', 'h', 'f3'],
    ['HSTRLEN', 'h', 'nope'],
    ['HEXISTS', 'h', 'f1'],
    ['HEXISTS', 'h', 'nope'],
    ['HEXISTS', 'missing', 'f'],
    ['HGETALL', 'h'],
    ['HKEYS', 'h'],
    ['HVALS', 'h'],
    ['HGETALL', 'missing'],
    ['HKEYS', 'missing'],
    ['HSET', 'bin', Buffer.from([0, 255, 13, 10]), Buffer.from([1, 2, 0])],
    ['HGETALL', 'bin'],
  ],
  'HDEL deletes fields, and the key with its last field': [
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
    ['HDEL', 'h', 'a', 'nope', 'a'],
    ['HGETALL', 'h'],
    ['HDEL', 'h', 'b', 'c'],
    ['EXISTS', 'h'],
    ['HDEL', 'h', 'x'],
    ['HSET', 'h', 'b', 'again'],
    ['HGETALL', 'h'],
  ],
  'insertion order of a listpack hash, after deletes and updates': [
    ['HSET', 'o', 'z', '1', 'a', '2', 'm', '3'],
    ['HSET', 'o', 'a', 'updated'],
    ['HDEL', 'o', 'z'],
    ['HSET', 'o', 'z', 'back'],
    ['HGETALL', 'o'],
    ['HSCAN', 'o', '0'],
    ['HSCAN', 'o', '0', 'MATCH', '[az]'],
    ['HSCAN', 'o', '0', 'COUNT', '1'],
  ],
  'HINCRBY and HINCRBYFLOAT': [
    ['HINCRBY', 'n', 'i', '5'],
    ['HINCRBY', 'n', 'i', '-7'],
    ['HINCRBY', 'n', 'i', 'x'],
    ['HINCRBY', 'n', 'i', '1.5'],
    ['HSET', 'n', 's', 'abc', 'big', '9223372036854775807', 'sp', ' 1'],
    ['HINCRBY', 'n', 's', '1'],
    ['HINCRBY', 'n', 'sp', '1'],
    ['HINCRBY', 'n', 'big', '1'],
    ['HINCRBY', 'n', 'big', '-1'],
    ['HINCRBY', 'n', 'i', '-9223372036854775808'],
    ['HINCRBYFLOAT', 'n', 'f', '1.5'],
    ['HINCRBYFLOAT', 'n', 'f', '0.1'],
    ['HINCRBYFLOAT', 'n', 'f', '-1e3'],
    ['HINCRBYFLOAT', 'n', 'f', 'x'],
    ['HINCRBYFLOAT', 'n', 's', '1'],
    ['HINCRBYFLOAT', 'n', 'i', '2.5'],
    ['HINCRBYFLOAT', 'n', 'f', '1e400'],
    ['HINCRBYFLOAT', 'n', 'f', 'inf'],
    ['HINCRBYFLOAT', 'n', 'g', '3.0e2'],
    // 1e400 made a value past 64 bytes: the hash is a hashtable now, in Redis's own order.
    ['OBJECT', 'ENCODING', 'n'],
    unordered('pairs', 'HGETALL', 'n'),
    ['HINCRBY', 'n2', 'x', 'bad'],
    ['EXISTS', 'n2'],
  ],
  'HRANDFIELD: its deterministic replies and its errors': [
    ['HSET', 'r', 'a', '1', 'b', '2', 'c', '3'],
    ['HRANDFIELD', 'r', '3'],
    ['HRANDFIELD', 'r', '10'],
    ['HRANDFIELD', 'r', '10', 'WITHVALUES'],
    ['HRANDFIELD', 'r', '0'],
    ['HRANDFIELD', 'r', '0', 'WITHVALUES'],
    ['HRANDFIELD', 'missing'],
    ['HRANDFIELD', 'missing', '5'],
    ['HRANDFIELD', 'missing', '-5', 'WITHVALUES'],
    ['HRANDFIELD', 'r', 'x'],
    ['HRANDFIELD', 'r', '1', 'BAD'],
    ['HRANDFIELD', 'r', '1', 'WITHVALUES', 'x'],
    ['HRANDFIELD', 'r', '-9223372036854775808'],
    ['HRANDFIELD', 'r', '-4611686018427387904', 'WITHVALUES'],
    ['HRANDFIELD', 'r', '4611686018427387904', 'WITHVALUES'],
    ['HSET', 'one', 'only', 'v'],
    ['HRANDFIELD', 'one'],
    ['HRANDFIELD', 'one', '-3'],
    ['HRANDFIELD', 'one', '-2', 'WITHVALUES'],
    ['HRANDFIELD', 'one', '1', 'WITHVALUES'],
  ],
  'HSCAN: errors and options': [
    ['HSET', 's', 'a', '1'],
    ['HSCAN', 's', 'x'],
    ['HSCAN', 's', '0', 'COUNT', '0'],
    ['HSCAN', 's', '0', 'COUNT', 'x'],
    ['HSCAN', 's', '0', 'MATCH'],
    ['HSCAN', 's', '0', 'TYPE', 'string'],
    ['HSCAN', 'missing', '0', 'BAD', 'x'],
    ['HSCAN', 'missing', '0'],
    ['SET', 'str', 'v'],
    ['HSCAN', 'str', '0'],
  ],
  'OBJECT ENCODING: listpack, then hashtable for good (by length and by entries)': [
    ['HSET', 'e', 'f', 'v'],
    ['OBJECT', 'ENCODING', 'e'],
    ['HSET', 'e', 'f2', long],
    ['OBJECT', 'ENCODING', 'e'],
    ['HDEL', 'e', 'f2'],
    ['OBJECT', 'ENCODING', 'e'],
    ['HSET', 'e2', long, 'v'],
    ['OBJECT', 'ENCODING', 'e2'],
    ['HINCRBYFLOAT', 'e3', 'f', '1.1234567890123456789'],
    ['OBJECT', 'ENCODING', 'e3'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '3'],
    ['HSET', 'e4', 'a', '1', 'b', '2', 'c', '3'],
    ['OBJECT', 'ENCODING', 'e4'],
    ['HSET', 'e4', 'd', '4'],
    ['OBJECT', 'ENCODING', 'e4'],
    ['CONFIG', 'SET', 'hash-max-ziplist-value', '2'],
    ['HSET', 'e5', 'ab', 'cde'],
    ['OBJECT', 'ENCODING', 'e5'],
    unordered('pairs', 'CONFIG', 'GET', 'hash-max-*'),
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
    unordered('pairs', 'HGETALL', 'e4'),
  ],
  'WRONGTYPE both ways, and the generic commands on hashes': [
    ['SET', 'str', 'v'],
    ['HSET', 'str', 'f', 'v'],
    ['HGET', 'str', 'f'],
    ['HGETALL', 'str'],
    ['HLEN', 'str'],
    ['HDEL', 'str', 'f'],
    ['HINCRBY', 'str', 'f', '1'],
    ['HSET', 'h', 'f', 'v'],
    ['GET', 'h'],
    ['APPEND', 'h', 'x'],
    ['INCR', 'h'],
    ['STRLEN', 'h'],
    ['GETRANGE', 'h', '0', '1'],
    ['SETRANGE', 'h', '0', 'x'],
    ['GETSET', 'h', 'x'],
    ['GETDEL', 'h'],
    ['GETEX', 'h'],
    ['INCRBYFLOAT', 'h', '1'],
    ['LCS', 'h', 'str'],
    ['MGET', 'h', 'str'],
    ['SET', 'h', 'x', 'GET'],
    ['TYPE', 'h'],
    ['TYPE', 'str'],
    ['EXISTS', 'h', 'str'],
    ['EXPIRE', 'h', '100'],
    ['TTL', 'h'],
    ['PERSIST', 'h'],
    ['TTL', 'h'],
    ['RENAME', 'h', 'h2'],
    ['HGET', 'h2', 'f'],
    ['COPY', 'h2', 'h3'],
    ['HSET', 'h3', 'g', 'w'],
    ['HGETALL', 'h2'],
    ['HGETALL', 'h3'],
    ['RENAME', 'h3', 'str'],
    ['TYPE', 'str'],
    ['HGETALL', 'str'],
    ['MOVE', 'str', '1'],
    ['SELECT', '1'],
    ['HGETALL', 'str'],
    ['SELECT', '0'],
    ['SCAN', '0', 'TYPE', 'hash'],
    ['SCAN', '0', 'TYPE', 'string'],
    ['SET', 'h2', 'overwritten'],
    ['GET', 'h2'],
    ['HSET', 'h2', 'f', 'v'],
    ['DEL', 'h2'],
    ['HGET', 'h2', 'f'],
    ['DBSIZE'],
  ],
  'MULTI/EXEC mixing hashes and strings': [
    ['MULTI'],
    ['HSET', 'm', 'a', '1'],
    ['SET', 's', 'x'],
    ['HINCRBY', 'm', 'a', '5'],
    ['HGET', 's', 'f'],
    ['HGETALL', 'm'],
    ['EXEC'],
  ],
};

describe('hashes against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
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
      [r, s] = await openPair(redis, sluice, proto, [
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
      ]);
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const item of steps) {
        const step = 'kind' in item ? item.step : item;
        const [expected, actual] = [await r.call(...step), await s.call(...step)];
        const label = step.map(String);
        if ('kind' in item) {
          expect({ step: label, reply: normalize(item.kind, actual) }).toEqual({
            step: label,
            reply: normalize(item.kind, expected),
          });
        } else {
          expect({ step: label, reply: actual }).toEqual({ step: label, reply: expected });
        }
      }
    });

    it('WATCH sees a change of a field, even one that leaves the field count as it was', async () => {
      for (const server of [redis, sluice]) {
        const watcher = await connectRaw(server.port);
        const other = await connectRaw(server.port);
        await other.call('HSET', 'w', 'f', 'v1');
        await watcher.call('WATCH', 'w');
        await other.call('HSET', 'w', 'f', 'v2');
        await watcher.call('MULTI');
        await watcher.call('HGET', 'w', 'f');
        const reply = await watcher.call('EXEC');
        expect({ port: server.port === redis.port ? 'redis' : 'sluice', reply }).toEqual({
          port: server.port === redis.port ? 'redis' : 'sluice',
          reply: '*-1\r\n',
        });
        await Promise.all([watcher.close(), other.close()]);
      }
    });

    it('a seeded random sequence leaves both servers with the same hashes', async () => {
      let seed = 42;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const keys = ['a', 'b', 'c'];
      const fields = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'long'.repeat(20)];
      for (let i = 0; i < 400; i++) {
        const key = keys[random(keys.length)] as string;
        const field = fields[random(fields.length)] as string;
        const op = random(6);
        const step: string[] =
          op === 0
            ? ['HSET', key, field, String(random(100))]
            : op === 1
              ? ['HDEL', key, field, fields[random(fields.length)] as string]
              : op === 2
                ? ['HINCRBY', key, field, String(random(10) - 5)]
                : op === 3
                  ? ['HSETNX', key, field, 'nx']
                  : op === 4
                    ? ['HINCRBYFLOAT', key, field, '0.5']
                    : ['HMSET', key, field, 'm', fields[random(fields.length)] as string, 'n'];
        const [expected, actual] = [await r.call(...step), await s.call(...step)];
        expect({ i, step, reply: actual }).toEqual({ i, step, reply: expected });
        for (const k of keys) {
          const check = ['HGETALL', k];
          const [e, a] = [await r.call(...check), await s.call(...check)];
          expect({ i, k, hash: normalize('pairs', a), len: await s.call('HLEN', k) }).toEqual({
            i,
            k,
            hash: normalize('pairs', e),
            len: await r.call('HLEN', k),
          });
        }
      }
    });
  });
});

function normalize(kind: 'pairs' | 'items', raw: string): unknown {
  const value = parse(raw);
  if (kind === 'pairs')
    return entries(value)
      .map(([k, v]) => `${String(k)}=${String(v)}`)
      .sort();
  return (value as unknown[]).map(String).sort();
}
