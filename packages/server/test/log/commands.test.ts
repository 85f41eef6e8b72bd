/**
 * Every write command of the command table in log mode, differentially: the same commands go to
 * redis-server and to a log-mode node, in RESP2 and RESP3, and every reply is compared byte for byte;
 * then both hold the same keys, values and expiries, and a second node, once it has applied the topic,
 * holds exactly what the first does. The commands that cannot be records (another database, SWAPDB)
 * answer log mode's documented errors instead.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/index.js';
import { diff, type KeyState, LogCluster, readState } from './nodes.js';

/** The scenario: `k` is the key prefix of a run, so that the RESP2 and RESP3 runs do not meet. */
function scenario(k: string): string[][] {
  return [
    ['SET', `${k}s`, 'v'],
    ['SET', `${k}s`, 'v2', 'NX'],
    ['SET', `${k}s`, 'v3', 'XX', 'GET'],
    ['SET', `${k}px`, 'v', 'PX', '600000'],
    ['SET', `${k}keep`, 'v', 'EX', '900'],
    ['SET', `${k}keep`, 'w', 'KEEPTTL'],
    ['SET', `${k}exat`, 'v', 'EXAT', '4102444800'],
    ['SETNX', `${k}nx`, '1'],
    ['SETNX', `${k}nx`, '2'],
    ['SETEX', `${k}setex`, '700', 'v'],
    ['PSETEX', `${k}psetex`, '800000', 'v'],
    ['MSET', `${k}m1`, 'a', `${k}m2`, 'b', `${k}m3`, 'c'],
    ['MSETNX', `${k}m1`, 'x', `${k}m4`, 'd'],
    ['MSETNX', `${k}m5`, 'e', `${k}m6`, 'f'],
    ['GETSET', `${k}m1`, 'A'],
    ['GETDEL', `${k}m2`],
    ['GETEX', `${k}m3`, 'PXAT', '4102444800000'],
    ['GETEX', `${k}keep`, 'PERSIST'],
    ['INCR', `${k}n`],
    ['INCRBY', `${k}n`, '41'],
    ['DECR', `${k}n`],
    ['DECRBY', `${k}n`, '-5'],
    ['INCRBYFLOAT', `${k}f`, '1.5'],
    ['INCRBYFLOAT', `${k}f`, '0.25e2'],
    ['INCR', `${k}s`],
    ['APPEND', `${k}s`, '-tail'],
    ['SETRANGE', `${k}s`, '1', 'XY'],
    ['SETRANGE', `${k}pad`, '5', 'x'],
    ['SETBIT', `${k}bits`, '7', '1'],
    ['SETBIT', `${k}bits`, '100', '1'],
    ['BITOP', 'OR', `${k}bitop`, `${k}bits`, `${k}pad`],
    ['BITFIELD', `${k}bits`, 'INCRBY', 'u8', '#2', '300', 'GET', 'i16', '0'],
    ['PFADD', `${k}hll`, 'a', 'b', 'c'],
    ['PFCOUNT', `${k}hll`],
    ['PFMERGE', `${k}hll2`, `${k}hll`, `${k}missing`],
    ['PFDEBUG', 'TODENSE', `${k}hll2`],
    ['PFCOUNT', `${k}hll2`],
    ['STRLEN', `${k}pad`],
    ['EXPIRE', `${k}m4`, '300', 'NX'],
    ['PEXPIRE', `${k}m4`, '400000', 'GT'],
    ['EXPIREAT', `${k}m5`, '4102444800'],
    ['PEXPIREAT', `${k}m6`, '4102444800000', 'XX'],
    ['PERSIST', `${k}m5`],
    ['EXPIRE', `${k}m6`, '0'],
    ['COPY', `${k}m1`, `${k}copy`],
    ['COPY', `${k}m1`, `${k}copy`],
    ['COPY', `${k}m1`, `${k}copy`, 'REPLACE'],
    ['RENAME', `${k}copy`, `${k}renamed`],
    ['RENAMENX', `${k}renamed`, `${k}m1`],
    ['RENAMENX', `${k}renamed`, `${k}fresh`],
    ['RENAME', `${k}missing`, `${k}x`],
    ['DEL', `${k}nx`, `${k}missing`],
    ['UNLINK', `${k}setex`],
    ['EXISTS', `${k}nx`, `${k}s`, `${k}fresh`],
    ['MGET', `${k}s`, `${k}m1`, `${k}n`, `${k}f`, `${k}fresh`],
    ['TYPE', `${k}s`],
    // SORT without STORE reads: it runs in log mode (here on a missing key, and on a string).
    ['SORT', `${k}missing`, 'DESC', 'LIMIT', '0', '1'],
    ['SORT', `${k}s`],
    ['SORT_RO', `${k}missing`, 'BY', 'nosort', 'GET', '#'],
    ['TTL', `${k}keep`],
    ['INCR', `${k}s`],
    ['INCRBYFLOAT', `${k}n`, 'abc'],
    ['SET', `${k}s`, 'v', 'EX', '0'],
    ['MULTI'],
    ['INCR', `${k}t`],
    ['INCR', `${k}t`],
    ['EXEC'],
    [
      'EVAL',
      "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[1] .. ':n')",
      '1',
      `${k}lua`,
      'v',
    ],
    ['EVAL', "return redis.call('INCRBY', KEYS[1], 'x')", '1', `${k}lua:n`],
    ['EVAL_RO', "return redis.call('GET', KEYS[1])", '1', `${k}lua`],
    ['WATCH', `${k}t`],
    ['MULTI'],
    ['SET', `${k}t`, 'changed'],
    ['EXEC'],
    ['RESTORE', `${k}restored`, '0', 'not a payload'],
    ['FUNCTION', 'FLUSH'],
    [
      'FUNCTION',
      'LOAD',
      "#!lua name=logged\nredis.register_function('put', function(keys, args) return redis.call('SET', keys[1], args[1]) end)",
    ],
    ['FCALL', 'put', '1', `${k}fn`, 'by-function'],
    ['FUNCTION', 'RESTORE', 'not a payload'],
    ['FUNCTION', 'DELETE', 'logged'],
    // Collections: each key a command leaves changed is one record, its whole value (a DUMP payload).
    ['HSET', `${k}h`, 'f', 'v', 'g', 'w'],
    ['HSETNX', `${k}h`, 'f', 'x'],
    ['HMSET', `${k}h`, 'i', '1'],
    ['HDEL', `${k}h`, 'g'],
    ['HINCRBY', `${k}h`, 'i', '2'],
    ['HINCRBYFLOAT', `${k}h`, 'i', '1.5'],
    ['HSET', `${k}h`, 'f', 'same-count'],
    ['SADD', `${k}st`, '3', '1', '2'],
    ['SREM', `${k}st`, '2'],
    ['SADD', `${k}one`, 'only'],
    ['SPOP', `${k}one`],
    ['SMOVE', `${k}st`, `${k}st2`, '1'],
    ['SADD', `${k}st2`, '5'],
    ['SINTERSTORE', `${k}d1`, `${k}st`, `${k}st`],
    ['SUNIONSTORE', `${k}d2`, `${k}st`, `${k}st2`],
    ['SDIFFSTORE', `${k}d3`, `${k}st2`, `${k}st`],
    ['SORT', `${k}d2`, 'STORE', `${k}sorted`],
    ['LPUSH', `${k}l`, 'a', 'b'],
    ['RPUSH', `${k}l`, 'c', 'd', 'e', 'f', 'g'],
    ['LPOP', `${k}l`],
    ['LMOVE', `${k}l`, `${k}l2`, 'LEFT', 'RIGHT'],
    ['BLPOP', `${k}l`, '0.01'],
    ['BLPOP', `${k}empty`, '0.01'],
    ['LSET', `${k}l`, '0', 'x'],
    ['LPUSHX', `${k}l`, 'y'],
    ['RPUSHX', `${k}l`, 'z'],
    ['RPOP', `${k}l`],
    ['LINSERT', `${k}l`, 'BEFORE', 'x', 'w'],
    ['LREM', `${k}l`, '0', 'y'],
    ['LTRIM', `${k}l`, '0', '4'],
    ['RPOPLPUSH', `${k}l`, `${k}l2`],
    ['LMPOP', '1', `${k}l`, 'LEFT'],
    ['BRPOP', `${k}l2`, '0.01'],
    ['BLMOVE', `${k}l`, `${k}l3`, 'LEFT', 'RIGHT', '0.01'],
    ['BRPOPLPUSH', `${k}l`, `${k}l4`, '0.01'],
    ['BLMPOP', '0.01', '1', `${k}l2`, 'LEFT'],
    ['ZADD', `${k}z`, '1', 'm', '2', 'n', '3', 'o'],
    ['ZINCRBY', `${k}z`, '1.5', 'm'],
    ['ZREM', `${k}z`, 'n'],
    ['ZRANGESTORE', `${k}zr`, `${k}z`, '0', '-1'],
    ['ZADD', `${k}z2`, '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f', '7', 'g'],
    ['ZREMRANGEBYRANK', `${k}z2`, '0', '0'],
    ['ZREMRANGEBYSCORE', `${k}z2`, '2', '2'],
    ['ZADD', `${k}zl`, '0', 'a', '0', 'b', '0', 'c'],
    ['ZREMRANGEBYLEX', `${k}zl`, '-', '(b'],
    ['ZUNIONSTORE', `${k}zu`, '2', `${k}z`, `${k}z2`],
    ['ZINTERSTORE', `${k}zi`, '2', `${k}z`, `${k}zr`],
    ['ZDIFFSTORE', `${k}zd`, '2', `${k}z2`, `${k}z`],
    ['ZPOPMIN', `${k}z2`],
    ['ZPOPMAX', `${k}z2`, '2'],
    ['ZMPOP', '1', `${k}z2`, 'MIN'],
    ['BZPOPMIN', `${k}z2`, '0.01'],
    ['BZPOPMAX', `${k}zu`, '0.01'],
    ['BZMPOP', '0.01', '1', `${k}zempty`, 'MAX'],
    ['GEOADD', `${k}g`, '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
    ['GEORADIUS', `${k}g`, '15', '37', '200', 'km', 'STORE', `${k}gr`],
    ['GEORADIUSBYMEMBER', `${k}g`, 'Palermo', '200', 'km', 'STOREDIST', `${k}gd`],
    ['GEOSEARCHSTORE', `${k}gs`, `${k}g`, 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
    ['PEXPIRE', `${k}z`, '600000'],
    ['RENAME', `${k}st2`, `${k}renamed`],
    ['COPY', `${k}h`, `${k}hcopy`],
    ['DEL', `${k}d1`],
    // Streams: carried as DUMP payloads (RDB type 19), consumer groups included.
    ['XADD', `${k}x`, '1-1', 'f', 'v'],
    ['XADD', `${k}x`, '2-1', 'f', 'w'],
    ['XADD', `${k}x`, '3-1', 'g', 'z'],
    ['XGROUP', 'CREATE', `${k}x`, 'g', '0'],
    ['XGROUP', 'CREATE', `${k}x2`, 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATECONSUMER', `${k}x`, 'g', 'c'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', `${k}x`, '>'],
    ['XACK', `${k}x`, 'g', '1-1'],
    ['XCLAIM', `${k}x`, 'g', 'd', '0', '2-1', 'JUSTID'],
    ['XAUTOCLAIM', `${k}x`, 'g', 'e', '0', '0', 'JUSTID'],
    ['XGROUP', 'DELCONSUMER', `${k}x`, 'g', 'c'],
    ['XGROUP', 'SETID', `${k}x`, 'g', '1-1'],
    ['XDEL', `${k}x`, '3-1'],
    ['XTRIM', `${k}x`, 'MAXLEN', '1'],
    ['XSETID', `${k}x2`, '5-5'],
    ['XGROUP', 'DESTROY', `${k}x2`, 'g'],
  ];
}

/** Commands whose log-mode reply is documented to differ from redis-server's, with that reply. */
const LOG_MODE_ONLY: [string[], string][] = [
  [['SELECT', '1'], '-ERR DB index is out of range\r\n'],
  [['MOVE', 'lm-s', '1'], '-ERR DB index is out of range\r\n'],
  [['COPY', 'lm-s', 'lm-other', 'DB', '1'], '-ERR DB index is out of range\r\n'],
  [['SWAPDB', '0', '1'], '-ERR DB index is out of range\r\n'],
];

/** Writes that empty the keyspace: run at the end, on both servers, then both must be empty. */
const FLUSHES: string[][] = [['FLUSHDB'], ['SET', 'after-flush', '1'], ['FLUSHALL'], ['DBSIZE']];

/** The state of a server with expiries compared to the second (two servers set relative expiries ms apart). */
function roughly(state: Map<string, KeyState>): Map<string, KeyState> {
  return new Map(
    [...state].map(([k, s]) => [
      k,
      { value: s.value, expireAt: s.expireAt < 0 ? s.expireAt : Math.round(s.expireAt / 10_000) },
    ]),
  );
}

describe('log mode: every write command, against redis-server', () => {
  let cluster: LogCluster;
  let node: RunningServer;
  let second: RunningServer;
  let redis: RunningServer;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    cluster = await LogCluster.start('commands', 4);
    node = await cluster.node();
    second = await cluster.node();
    redis = await startRedis();
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await redis?.dispose();
    await cluster?.stop();
  });

  async function pair(protocol: 2 | 3): Promise<[RawClient, RawClient]> {
    const both = [await connectRaw(redis.port), await connectRaw(node.port)] as [RawClient, RawClient];
    clients.push(...both);
    if (protocol === 3) for (const c of both) await c.call('HELLO', '3');
    return both;
  }

  it('has every write command of the table in the scenario', () => {
    const used = new Set(
      [...scenario(''), ...LOG_MODE_ONLY.map(([args]) => args), ...FLUSHES].flatMap((a) => {
        const name = (a[0] as string).toLowerCase();
        return a.length > 1 ? [name, `${name}|${(a[1] as string).toLowerCase()}`] : [name];
      }),
    );
    const writes = allCommands.flatMap((d) => [d, ...(d.subcommands ?? [])]).filter((d) => d.writes);
    expect(writes.map((d) => d.spec.name).filter((n) => !used.has(n))).toEqual([]);
  });

  for (const protocol of [2, 3] as const) {
    it(`answers every write as redis-server does, byte for byte, in RESP${protocol}`, async () => {
      const [r, s] = await pair(protocol);
      for (const args of scenario(`p${protocol}:`)) {
        const expected = await r.call(...args);
        expect(await s.call(...args), args.join(' ')).toBe(expected);
      }
    });
  }

  it('holds the same keys, values and expiries as redis-server, and so does a second node', async () => {
    const mine = await readState(node.port);
    const reference = await readState(redis.port);
    expect(diff(roughly(reference), roughly(mine))).toBe('');
    // Collections are compared too (readState reads their elements).
    for (const type of ['hash', 'set', 'list', 'zset', 'stream']) {
      expect([...mine.values()].filter((v) => v.value.startsWith(`${type} `)).length, type).toBeGreaterThan(
        2,
      );
    }
    const [, s] = await pair(2);
    const token = (await s.call('SLUICE', 'POSITION')).split('\r\n')[1] as string;
    const [, other] = [null, await connectRaw(second.port)];
    clients.push(other);
    expect(await other.call('SLUICE', 'WAIT', token, '10000')).toBe(':1\r\n');
    expect(diff(mine, await readState(second.port))).toBe('');
  });

  it('answers what cannot be records in log mode with its documented errors', async () => {
    const [, s] = await pair(2);
    for (const [args, reply] of LOG_MODE_ONLY) expect(await s.call(...args), args.join(' ')).toBe(reply);
  });

  it('empties the keyspace on every node with FLUSHDB and FLUSHALL (a tombstone for each key)', async () => {
    const [r, s] = await pair(2);
    for (const args of FLUSHES) {
      const expected = await r.call(...args);
      expect(await s.call(...args), args.join(' ')).toBe(expected);
    }
    const token = (await s.call('SLUICE', 'POSITION')).split('\r\n')[1] as string;
    const other = await connectRaw(second.port);
    clients.push(other);
    expect(await other.call('SLUICE', 'WAIT', token, '10000')).toBe(':1\r\n');
    expect(await other.call('DBSIZE')).toBe(':0\r\n');
  });
});
