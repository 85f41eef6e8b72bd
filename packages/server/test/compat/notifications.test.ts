/**
 * Keyspace notifications, differentially: the same commands run on redis-server 7.0.15 and on
 * sluice-server, and what a subscriber of `__key*__:*` receives must be the same bytes, step by step, in
 * RESP2 and RESP3, for several notify-keyspace-events settings (empty included). A connection subscribed
 * to its own notifications (RESP3) must see the same pushes and replies in the same order. CONFIG SET and
 * GET of the setting answer as redis-server does.
 *
 * After each step the commands' connection publishes a marker on a channel the subscriber also listens
 * to: Pub/Sub keeps each subscriber's messages in order, so the frames before the marker are exactly the
 * step's notifications. Active expiry is given time to run (its `expired` lands in the step that waited).
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];
/** A command; `['sleep', ms]` waits; `['@other', …]` sends a command on a second connection without waiting. */
type Step = Args;

const MARKER = 'notifications-test-marker';
const TIMEOUT_MS = 120_000;

const CASES: Record<string, readonly Step[]> = {
  strings: [
    ['SET', 'a', '1'],
    ['SET', 'a', '2'],
    ['SET', 'b', '1', 'EX', '100'],
    ['SET', 'b', '2', 'GET', 'PX', '100000'],
    ['SET', 'c', '1', 'NX', 'GET'],
    ['SET', 'c', '2', 'XX', 'KEEPTTL'],
    ['SET', 'c', '3', 'NX'],
    ['SET', 'c', '3', 'XX', 'EXAT', '99999999999'],
    ['SETEX', 'e', '10', 'v'],
    ['PSETEX', 'e', '10000', 'v'],
    ['SETNX', 'f', 'v'],
    ['SETNX', 'f', 'v'],
    ['GETSET', 'f', 'w'],
    ['GETSET', 'g', 'w'],
    ['MSET', 'h', '1', 'i', '2', 'h', '3'],
    ['MSETNX', 'j', '1', 'k', '2'],
    ['MSETNX', 'j', '1', 'l', '2'],
    ['APPEND', 'm', 'x'],
    ['APPEND', 'm', 'y'],
    ['APPEND', 'm', ''],
    ['APPEND', 'm0', ''],
    ['SETRANGE', 'm', '0', 'z'],
    ['SETRANGE', 'm', '0', ''],
    ['SETRANGE', 'm2', '0', ''],
    ['SETRANGE', 'm3', '2', 'x'],
    ['INCR', 'n'],
    ['DECR', 'n'],
    ['INCRBY', 'n', '5'],
    ['DECRBY', 'n', '5'],
    ['INCRBY', 'm', '1'],
    ['INCRBYFLOAT', 'n', '1.5'],
    ['GETDEL', 'n'],
    ['GETDEL', 'n'],
    ['GETEX', 'm'],
    ['GETEX', 'm', 'EX', '100'],
    ['GETEX', 'm', 'PERSIST'],
    ['GETEX', 'm', 'PERSIST'],
    ['GETEX', 'm3', 'PXAT', '1'],
    ['GET', 'm3'],
  ],
  'generic commands': [
    ['SET', 'a', '1'],
    ['SET', 'b', '1'],
    ['DEL', 'a', 'b', 'c'],
    ['SET', 'a', '1'],
    ['UNLINK', 'a', 'a'],
    ['SET', 'a', '1'],
    ['EXPIRE', 'a', '100'],
    ['PEXPIRE', 'a', '100000'],
    ['EXPIREAT', 'a', '99999999999'],
    ['PEXPIREAT', 'a', '99999999999999'],
    ['EXPIRE', 'a', '100', 'NX'],
    ['EXPIRE', 'a', '50', 'GT'],
    ['PERSIST', 'a'],
    ['PERSIST', 'a'],
    ['EXPIRE', 'a', '100', 'XX'],
    ['EXPIRE', 'missing', '100'],
    ['EXPIRE', 'a', '0'],
    ['SET', 'a', '1'],
    ['PEXPIREAT', 'a', '1'],
    ['SET', 'a', '1'],
    ['RENAME', 'a', 'b'],
    ['SET', 'c', '1'],
    ['RENAME', 'b', 'c'],
    ['RENAMENX', 'c', 'd'],
    ['RENAMENX', 'd', 'd'],
    ['RENAME', 'd', 'd'],
    ['SET', 'e', '1'],
    ['RENAMENX', 'd', 'e'],
    ['MOVE', 'd', '1'],
    ['MOVE', 'e', '1'],
    ['COPY', 'e', 'f'],
    ['COPY', 'e', 'f'],
    ['COPY', 'e', 'f', 'REPLACE'],
    ['COPY', 'e', 'g', 'DB', '1'],
    ['COPY', 'e', 'g', 'DB', '1', 'REPLACE'],
    ['SELECT', '1'],
    ['DEL', 'd', 'e', 'g'],
    ['SELECT', '0'],
    ['SET', 'x', 'v', 'EX', '100'],
    ['RESTORE', 'r', '0', '\x00\x01v\n\x00\x91\x08\xce\xb2\x198\x8a\xce'],
    ['RESTORE', 'r', '0', '\x00\x01v\n\x00\x91\x08\xce\xb2\x198\x8a\xce', 'REPLACE'],
    ['RESTORE', 'r', '1', '\x00\x01v\n\x00\x91\x08\xce\xb2\x198\x8a\xce', 'REPLACE', 'ABSTTL'],
    ['TOUCH', 'x'],
    ['FLUSHDB'],
    ['SET', 'z', '1'],
    ['FLUSHALL'],
  ],
  hashes: [
    ['HSET', 'h', 'a', '1', 'b', '2'],
    ['HSET', 'h', 'a', '1'],
    ['HSETNX', 'h', 'a', '1'],
    ['HSETNX', 'h', 'c', '1'],
    ['HMSET', 'h', 'd', '1'],
    ['HINCRBY', 'h', 'n', '2'],
    ['HINCRBY', 'h', 'a', 'x'],
    ['HINCRBYFLOAT', 'h', 'f', '1.5'],
    ['HDEL', 'h', 'zz'],
    ['HDEL', 'h', 'a', 'b'],
    ['HDEL', 'h', 'c', 'd', 'n', 'f'],
    ['HDEL', 'h', 'a'],
    ['HSETNX', 'h2', 'a', '1'],
    ['SET', 's', 'v'],
    ['HSET', 's', 'a', '1'],
  ],
  sets: [
    ['SADD', 's', '1', '2', '3'],
    ['SADD', 's', '1'],
    ['SREM', 's', '9'],
    ['SREM', 's', '1'],
    ['SPOP', 's', '0'],
    ['SPOP', 's', '5'],
    ['SPOP', 's'],
    ['SADD', 's', '7'],
    ['SPOP', 's'],
    ['SADD', 's', '1', '2'],
    ['SMOVE', 's', 't', '1'],
    ['SMOVE', 's', 't', '1'],
    ['SMOVE', 's', 't', '2'],
    ['SMOVE', 't', 't', '2'],
    ['SADD', 'a', '1', '2', '3'],
    ['SADD', 'b', '2', '3', '4'],
    ['SMOVE', 'a', 'b', '2'],
    ['SINTERSTORE', 'd', 'a', 'b'],
    ['SUNIONSTORE', 'd', 'a', 'b'],
    ['SDIFFSTORE', 'd', 'a', 'b'],
    ['SINTERSTORE', 'd', 'a', 'missing'],
    ['SINTERSTORE', 'd', 'a', 'missing'],
    ['SDIFFSTORE', 'd2', 'a', 'a'],
    ['SREM', 'a', '1', '3', '9'],
  ],
  lists: [
    ['LPUSH', 'l', 'a', 'b'],
    ['RPUSH', 'l', 'c'],
    ['LPUSHX', 'l', 'd'],
    ['RPUSHX', 'l', 'e'],
    ['LPUSHX', 'nl', 'd'],
    ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
    ['LINSERT', 'l', 'BEFORE', 'zz', 'x'],
    ['LSET', 'l', '0', 'q'],
    ['LREM', 'l', '0', 'zz'],
    ['LREM', 'l', '0', 'q'],
    ['LTRIM', 'l', '0', '-1'],
    ['LTRIM', 'l', '1', '2'],
    ['LPOP', 'l'],
    ['RPOP', 'l'],
    ['RPOP', 'l'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['LPOP', 'l', '2'],
    ['RPOP', 'l', '5'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
    ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'],
    ['RPOPLPUSH', 'l', 'm'],
    ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'],
    ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'],
    ['LMPOP', '1', 'm', 'LEFT', 'COUNT', '2'],
    ['LMPOP', '1', 'm', 'RIGHT', 'COUNT', '9'],
    ['RPUSH', 'l', '1', '2'],
    ['BLPOP', 'l', '0'],
    ['BRPOP', 'l', '0'],
    ['RPUSH', 'l', '1', '2'],
    ['BLMOVE', 'l', 'm', 'RIGHT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'l', 'm', '0'],
    ['BLMPOP', '0', '1', 'm', 'RIGHT', 'COUNT', '5'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['LTRIM', 'l', '5', '6'],
    ['RPUSH', 'l', '1', '2', '1'],
    ['LREM', 'l', '0', '1'],
    ['LREM', 'l', '0', '2'],
  ],
  'sorted sets': [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
    ['ZADD', 'z', '1', 'a'],
    ['ZADD', 'z', 'XX', '5', 'nope'],
    ['ZADD', 'z', 'CH', '5', 'a'],
    ['ZADD', 'z', 'INCR', '1', 'a'],
    ['ZADD', 'z', 'INCR', 'GT', '-1', 'a'],
    ['ZINCRBY', 'z', '2', 'b'],
    ['ZINCRBY', 'z', '0', 'b'],
    ['ZREM', 'z', 'nope'],
    ['ZREM', 'z', 'a'],
    ['ZRANGESTORE', 'd', 'z', '0', '-1'],
    ['ZRANGESTORE', 'd', 'z', '5', '6'],
    ['ZRANGESTORE', 'd', 'z', '5', '6'],
    ['ZREMRANGEBYRANK', 'z', '5', '6'],
    ['ZREMRANGEBYRANK', 'z', '0', '0'],
    ['ZADD', 'z', '1', 'x', '2', 'y', '3', 'w'],
    ['ZREMRANGEBYSCORE', 'z', '(1', '2'],
    ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
    ['ZADD', 'z', '0', 'a', '0', 'b'],
    ['ZREMRANGEBYLEX', 'z', '[a', '[a'],
    ['ZREMRANGEBYLEX', 'z', '-', '+'],
    ['ZREM', 'z', 'gone'],
  ],
  streams: [
    ['XADD', 'x', '1-1', 'a', '1'],
    ['XADD', 'x', 'MAXLEN', '1', '2-1', 'a', '2'],
    ['XADD', 'nox', 'NOMKSTREAM', '1-1', 'a', '1'],
    ['XGROUP', 'CREATE', 'x', 'g', '0'],
    ['XGROUP', 'CREATE', 'x2', 'g', '$', 'MKSTREAM'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>'],
    ['XCLAIM', 'x', 'g', 'd', '0', '2-1'],
    ['XAUTOCLAIM', 'x', 'g', 'e', '0', '0'],
    ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'f'],
    ['XGROUP', 'DELCONSUMER', 'x', 'g', 'nobody'],
    ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c'],
    ['XACK', 'x', 'g', '2-1'],
    ['XGROUP', 'SETID', 'x', 'g', '0'],
    ['XGROUP', 'DESTROY', 'x', 'g'],
    ['XGROUP', 'DESTROY', 'x', 'g'],
    ['XDEL', 'x', '9-9'],
    ['XDEL', 'x', '2-1'],
    ['XTRIM', 'x', 'MAXLEN', '0'],
    ['XSETID', 'x', '5'],
    ['DEL', 'x', 'x2'],
  ],
  'SORT with STORE': [
    ['RPUSH', 'l', '3', '1', '2'],
    ['SORT', 'l', 'STORE', 'sorted'],
    ['SORT', 'l', 'STORE', 'sorted'],
    ['SORT', 'missing', 'STORE', 'sorted'],
    ['SORT', 'missing', 'STORE', 'sorted'],
    ['SORT', 'l', 'LIMIT', '0', '1', 'STORE', 'l'],
  ],
  'sorted-set operations with STORE': [
    ['ZADD', 'za', '1', 'x', '2', 'y'],
    ['ZADD', 'zb', '3', 'y', '4', 'z'],
    ['SADD', 'zs', 'x', 'w'],
    ['ZUNIONSTORE', 'zd', '2', 'za', 'zb'],
    ['ZINTERSTORE', 'zd', '2', 'za', 'zb', 'WEIGHTS', '1', '2'],
    ['ZDIFFSTORE', 'zd', '2', 'za', 'zb'],
    ['ZUNIONSTORE', 'zd2', '2', 'zs', 'missing'],
    ['ZINTERSTORE', 'zd', '2', 'za', 'missing'],
    ['ZINTERSTORE', 'zd', '2', 'za', 'missing'],
    ['ZDIFFSTORE', 'zd2', '2', 'zs', 'zs'],
    ['ZUNIONSTORE', 'za', '1', 'za', 'WEIGHTS', '2'],
    ['ZUNION', '2', 'za', 'zb'],
    ['ZINTERCARD', '2', 'za', 'zb'],
    ['SORT', 'za', 'BY', 'nosort', 'STORE', 'zsorted'],
  ],
  'a blocked pop served by a push from another connection': [
    ['@other', 'BLPOP', 'q', '0'],
    ['RPUSH', 'q', 'x'],
    ['@other', 'BLMOVE', 'q', 'dst', 'LEFT', 'RIGHT', '0'],
    ['LPUSH', 'q', 'y', 'z'],
    ['LRANGE', 'dst', '0', '-1'],
  ],
  'sorted-set pops': [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZPOPMIN', 'z', '0'],
    ['ZPOPMIN', 'z'],
    ['ZPOPMAX', 'z', '2'],
    ['ZPOPMIN', 'missing'],
    ['ZMPOP', '2', 'missing', 'z', 'MAX'],
    ['BZPOPMIN', 'z', '0'],
    ['ZADD', 'z', '1', 'a', '2', 'b'],
    ['BZPOPMAX', 'z', '0'],
    ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'],
    ['ZMPOP', '1', 'z', 'MIN'],
  ],
  'a blocked sorted-set pop served by ZADD from another connection': [
    ['@other', 'BZPOPMIN', 'q', '0'],
    ['ZADD', 'q', '1', 'x'],
    ['@other', 'BZMPOP', '0', '1', 'q', 'MAX', 'COUNT', '2'],
    ['ZADD', 'q', '1', 'y', '2', 'z', '3', 'w'],
    ['ZRANGE', 'q', '0', '-1'],
  ],
  'bitmaps and HyperLogLog': [
    ['SETBIT', 'b', '7', '1'],
    ['SETBIT', 'b', '7', '1'],
    ['SETBIT', 'b', '7', '0'],
    ['SETBIT', 'b', '100', '0'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', '1', 'SET', 'u8', '8', '2'],
    ['BITFIELD', 'bf', 'GET', 'u8', '0'],
    ['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1'],
    ['BITFIELD', 'bf2', 'GET', 'u8', '0'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000'],
    ['SET', 'x', 'abc'],
    ['SET', 'y', 'abd'],
    ['BITOP', 'AND', 'dest', 'x', 'y'],
    ['BITOP', 'OR', 'dest', 'x', 'y'],
    ['BITOP', 'AND', 'dest', 'm1', 'm2'],
    ['BITOP', 'AND', 'dest', 'm1', 'm2'],
    ['BITOP', 'NOT', 'dest2', 'x'],
    ['PFADD', 'p', 'a'],
    ['PFADD', 'p', 'a'],
    ['PFADD', 'q'],
    ['PFADD', 'q'],
    ['PFCOUNT', 'p', 'q'],
    ['PFMERGE', 'r', 'p', 'q'],
    ['PFMERGE', 'r'],
    ['PFADD', 'p', 'b', 'c'],
  ],
  'MULTI/EXEC and scripts: events as the commands run': [
    ['MULTI'],
    ['SET', 'a', '1'],
    ['LPUSH', 'l', '1'],
    ['DEL', 'a'],
    ['INCR', 'l'],
    ['RPOP', 'l'],
    ['EXEC'],
    ['EVAL', "redis.call('set','b','1'); redis.call('incr','b'); redis.call('del','b')", '0'],
    ['EVAL', "redis.call('hset',KEYS[1],'f','v'); return redis.call('hdel',KEYS[1],'f')", '1', 'h'],
  ],
  'expiry: active and lazy': [
    ['SET', 'a', '1', 'PX', '50'],
    ['sleep', '250'],
    ['SET', 'b', '1'],
    ['PEXPIRE', 'b', '50'],
    ['sleep', '250'],
    ['GET', 'b'],
    ['SET', 'c', '1', 'PXAT', '1'],
    ['sleep', '250'],
    ['SET', 'd', '1', 'PX', '5'],
    ['sleep', '10'],
    ['GET', 'd'],
    ['sleep', '250'],
    ['SET', 'e', '1', 'PX', '5'],
    ['sleep', '10'],
    ['SET', 'e', '2'],
    ['sleep', '250'],
    ['GET', 'e'],
  ],
};

/** The settings the cases run with: every class flag appears in one. */
const SETTINGS = ['', 'KEA', 'Kl', 'Eg$', 'Ex', 'KEAn', 'Ksh', 'KEgn'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The raw frames `c` receives until (and without) the marker message. */
async function framesUntil(c: RawClient, isMarker: (frame: string) => boolean): Promise<string[]> {
  const frames: string[] = [];
  for (;;) {
    const [frame] = await c.readReplies(1, 10_000);
    if (frame === undefined || isMarker(frame)) return frames;
    frames.push(frame);
  }
}

describe('keyspace notifications against redis-server and sluice-server', { timeout: TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  /**
   * What one server shows for `steps`: per step, the reply and the subscriber's frames. Inside MULTI the
   * marker would be queued: a transaction's frames are collected after its EXEC.
   */
  async function transcript(
    server: RunningServer,
    setting: string,
    proto: 2 | 3,
    steps: readonly Step[],
  ): Promise<string[]> {
    const [c, other, sub] = await Promise.all([0, 1, 2].map(() => connectRaw(server.port)));
    const connections = [c, other, sub] as RawClient[];
    try {
      const [cmd, peer, subscriber] = connections as [RawClient, RawClient, RawClient];
      await cmd.call('FLUSHALL');
      expect(await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', setting)).toBe('+OK\r\n');
      if (proto === 3) await subscriber.call('HELLO', '3');
      await subscriber.call('PSUBSCRIBE', '__key*__:*');
      await subscriber.call('SUBSCRIBE', MARKER);
      const lines: string[] = [];
      const pending: Promise<string[]>[] = [];
      let n = 0;
      let inMulti = false;
      for (const step of steps) {
        if (step[0] === 'sleep') {
          await sleep(Number(step[1]));
          continue;
        }
        if (step[0] === '@other') {
          // One read at a time on the connection: two waiting at once could both see one reply arrive.
          const before = pending[pending.length - 1];
          pending.push((before ?? Promise.resolve([])).then(() => peer.readReplies(1, 10_000)));
          peer.sendCommand(...step.slice(1));
          await sleep(50);
          continue;
        }
        const reply = await cmd.call(...step);
        lines.push(`${step.join(' ')} -> ${reply}`);
        const name = (step[0] as string).toUpperCase();
        if (name === 'MULTI') inMulti = true;
        if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
        if (inMulti) continue;
        const marker = `step ${n++}`;
        await cmd.call('PUBLISH', MARKER, marker);
        const frames = await framesUntil(subscriber, (f) => f.includes(marker));
        lines.push(...frames.map((f) => `  ${f}`));
      }
      for (const p of pending) lines.push(`other -> ${(await p).join('')}`);
      return lines;
    } finally {
      await Promise.all(connections.map((k) => k.close()));
    }
  }

  /**
   * Active expiry runs on each server's own clock: which step's window an `expired` falls in may differ,
   * so for the expiry case the replies and the frames are compared each as one sequence, in order.
   */
  const byTime = (name: string, lines: string[]): string[] =>
    name.startsWith('expiry')
      ? [...lines.filter((l) => !l.startsWith('  ')), ...lines.filter((l) => l.startsWith('  '))]
      : lines;

  describe.each(SETTINGS)('notify-keyspace-events "%s"', (setting) => {
    describe.each([2, 3] as const)('subscriber in RESP%i', (proto) => {
      it.each(Object.entries(CASES))('%s', async (name, steps) => {
        const [expected, actual] = await Promise.all([
          transcript(redis, setting, proto, steps),
          transcript(sluice, setting, proto, steps),
        ]);
        expect(byTime(name, actual)).toEqual(byTime(name, expected));
        // The setting itself: no class and no channel, no frame at all.
        if (setting === '') expect(expected.filter((l) => l.startsWith('  '))).toEqual([]);
      });
    });
  });

  /** A RESP3 connection subscribed to its own notifications: pushes and replies, in order. */
  async function selfTranscript(server: RunningServer, steps: readonly Step[]): Promise<string[]> {
    const [c, other] = await Promise.all([connectRaw(server.port), connectRaw(server.port)]);
    try {
      await c.call('FLUSHALL');
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
      await c.call('HELLO', '3');
      await c.call('PSUBSCRIBE', '__keyspace@*');
      const lines: string[] = [];
      let n = 0;
      let inMulti = false;
      const blocked = steps.some((step) => step[0] === '@other');
      for (const step of steps) {
        if (step[0] === 'sleep') {
          await sleep(Number(step[1]));
          continue;
        }
        if (step[0] === '@other') {
          other.sendCommand(...step.slice(1));
          await sleep(50);
          continue;
        }
        const name = (step[0] as string).toUpperCase();
        if (name === 'MULTI') inMulti = true;
        if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
        if (inMulti) {
          lines.push(step.join(' '), await c.call(...step));
          continue;
        }
        const marker = `step ${n++}`;
        c.sendCommand(...step);
        // A pop blocked on another connection runs once this command is done: redis-server serves it
        // before reading the next command, Sluice in a later turn; the marker waits for it.
        if (blocked) await sleep(50);
        c.sendCommand('ECHO', marker);
        const frames = await framesUntil(c, (f) => f === `$${marker.length}\r\n${marker}\r\n`);
        lines.push(step.join(' '), ...frames.map((f) => `  ${f}`));
      }
      return lines;
    } finally {
      await Promise.all([c.close(), other.close()]);
    }
  }

  it.each(Object.entries(CASES))(
    'a RESP3 connection receives its own notifications in the order redis-server sends them: %s',
    async (name, steps) => {
      const [expected, actual] = await Promise.all([
        selfTranscript(redis, steps),
        selfTranscript(sluice, steps),
      ]);
      expect(byTime(name, actual)).toEqual(byTime(name, expected));
    },
  );

  it('CONFIG SET and GET notify-keyspace-events: every class character, and the errors', async () => {
    const values = [
      'KEA',
      'AKE',
      'KEAn',
      'KEAm',
      'g$lshzxetd',
      'Ex',
      '',
      'Kl',
      'Eg$',
      'nK',
      'KEg$lshzxetdnm',
      'mmEE',
      'Ag',
      'Q',
      'KEa',
      'K E',
    ];
    for (const server of [redis, sluice]) {
      const c = await connectRaw(server.port);
      try {
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
        const lines: string[] = [];
        for (const value of values) {
          lines.push(await c.call('CONFIG', 'SET', 'notify-keyspace-events', value));
          lines.push(await c.call('CONFIG', 'GET', 'notify-keyspace-events'));
        }
        lines.push(await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'K', 'E'));
        lines.push(await c.call('CONFIG', 'GET', 'notify-*'));
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
        (server === redis ? redisConfig : sluiceConfig).push(...lines);
      } finally {
        await c.close();
      }
    }
    expect(sluiceConfig).toEqual(redisConfig);
  });
  const redisConfig: string[] = [];
  const sluiceConfig: string[] = [];

  it('the setting from the command line', async () => {
    const args = ['--notify-keyspace-events', 'KEgn'];
    const [r, s] = await Promise.all([startRedis({ args }), startSluice({ args })]);
    try {
      const replies: string[][] = [];
      for (const server of [r, s]) {
        const c = await connectRaw(server.port);
        replies.push([await c.call('CONFIG', 'GET', 'notify-keyspace-events')]);
        await c.close();
      }
      expect(replies[1]).toEqual(replies[0]);
      expect(replies[0]).toEqual(['*2\r\n$22\r\nnotify-keyspace-events\r\n$4\r\ngnKE\r\n']);
    } finally {
      await Promise.all([r.dispose(), s.dispose()]);
    }
  });
});
