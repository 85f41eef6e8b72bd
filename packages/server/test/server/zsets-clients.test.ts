/**
 * Sorted sets on a real sluice-server: real clients (ioredis, node-redis in RESP2 and RESP3, redis-py);
 * a leak check (no tree node or member entry left behind once the set is gone); SIGKILL under a load of
 * ZADD, ZINCRBY and ZREM on one large set loses no acknowledged write and leaves the set's order whole
 * (every member once, ranks agreeing with scores). Pipelines of writes that change the same tree nodes
 * many times within one commit leave, after a restart, exactly the set a model of them holds.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('sorted sets from client libraries', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ioredis: ZADD options, scores, ranks and ranges', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    expect(await io.zadd('io:z', 10, 'ada', 7, 'alan', 3, 'bob')).toBe(3);
    expect(await io.zadd('io:z', 'GT', 'CH', 12, 'ada', 1, 'alan')).toBe(1);
    expect(await io.zincrby('io:z', 0.5, 'bob')).toBe('3.5');
    expect(await io.zscore('io:z', 'ada')).toBe('12');
    expect(await io.zrank('io:z', 'alan')).toBe(1);
    expect(await io.zrevrank('io:z', 'alan')).toBe(1);
    expect(await io.zrange('io:z', 0, -1, 'WITHSCORES')).toEqual(['bob', '3.5', 'alan', '7', 'ada', '12']);
    expect(await io.zrangebyscore('io:z', '(3.5', '+inf')).toEqual(['alan', 'ada']);
    expect(await io.zcount('io:z', '-inf', 7)).toBe(2);
    expect(await io.zrem('io:z', 'bob', 'nope')).toBe(1);
    expect(await io.zcard('io:z')).toBe(2);
    io.disconnect();
  });

  it('node-redis in RESP2 and RESP3: scores as numbers, ranges with options', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      const key = `nr${RESP}:z`;
      expect(
        await client.zAdd(key, [
          { score: 1.5, value: 'a' },
          { score: 2, value: 'b' },
          { score: 3, value: 'c' },
        ]),
      ).toBe(3);
      expect(await client.zScore(key, 'a')).toBe(1.5);
      expect(await client.zRangeWithScores(key, 0, -1)).toEqual([
        { value: 'a', score: 1.5 },
        { value: 'b', score: 2 },
        { value: 'c', score: 3 },
      ]);
      expect(await client.zRange(key, '+inf', 2, { BY: 'SCORE', REV: true })).toEqual(['c', 'b']);
      expect(await client.zRank(key, 'c')).toBe(2);
      expect(await client.zmScore(key, ['b', 'nope'])).toEqual([2, null]);
      expect(await client.zRemRangeByScore(key, '-inf', '(2')).toBe(1);
      await client.quit();
    }
  });

  it('redis-py: a leaderboard', async () => {
    const out = await python(`
import redis
r = redis.Redis(port=${server.port}, decode_responses=True)
r.zadd('py:board', {'ada': 10, 'alan': 7, 'grace': 12})
r.zincrby('py:board', 6, 'alan')
print(r.zrevrange('py:board', 0, 1, withscores=True), r.zrank('py:board', 'ada'), r.type('py:board'))
`);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe("[('alan', 13.0), ('grace', 12.0)] 0 zset");
  });

  it('leaves no stored entry behind: a large set grown, shrunk by every command, and deleted', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    const stored = async (): Promise<number> => {
      // Stored entries are counted once committed: a write first, then the count.
      await io.set('sync', '1');
      return Number(/sluice_stored_elements:(\d+)/.exec(await io.info('stats'))?.[1] ?? Number.NaN);
    };
    const before = await stored();
    for (let b = 0; b < 20; b++) {
      const args: (string | number)[] = [];
      for (let k = 0; k < 500; k++) args.push((b * 7 + k * 13) % 1000, `m${b}:${k}:${'x'.repeat(k % 50)}`);
      await io.zadd('leak:z', ...args);
    }
    expect(await io.zcard('leak:z')).toBe(10_000);
    expect(await stored()).toBeGreaterThan(before + 10_000);
    await io.zremrangebyscore('leak:z', 100, 300);
    await io.zremrangebyrank('leak:z', 0, 999);
    await io.zrangestore('leak:copy', 'leak:z', 0, 2000);
    const members = await io.zrange('leak:z', 0, -1);
    for (let i = 0; i < members.length; i += 2) await io.zincrby('leak:z', 1, members[i] as string);
    for (let i = 0; i < members.length; i += 500) await io.zrem('leak:z', ...members.slice(i, i + 250));
    await io.del('leak:copy');
    while ((await io.zcard('leak:z')) > 0) await io.zremrangebyrank('leak:z', 0, 777);
    expect(await io.exists('leak:z', 'leak:copy')).toBe(0);
    // Deleted sets' entries go with the background sweep: give it a few turns.
    let left = await stored();
    for (let tries = 0; tries < 100 && left !== before; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await stored();
    }
    expect(left).toBe(before);
    io.disconnect();
  });
});

describe('SIGKILL under a load of sorted-set writes', () => {
  it('keeps every acknowledged score, and the order whole', async () => {
    const dir = await tempDir('sluice-zset-kill-');
    let server = await startSluice({ dir });
    const setup = new Redis(server.port, '127.0.0.1');
    // A set of 20,000 members first: the load below changes a tree several levels deep.
    for (let i = 0; i < 20_000; i += 1000) {
      const args: (string | number)[] = [];
      for (let k = i; k < i + 1000; k++) args.push(k % 997, `m${k}`);
      await setup.zadd('board', ...args);
    }
    setup.disconnect();
    /** The last acknowledged score of each member a lane wrote (null: removed). */
    const acked: Map<string, number | null>[] = Array.from({ length: 6 }, () => new Map());
    let stop = false;
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      const client = new Redis(server.port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      const mine = acked[lane] as Map<string, number | null>;
      for (let i = 0; !stop; i++) {
        // Each lane owns the members m<k> with k % 6 === lane: acknowledged writes never race.
        const member = `m${(i * 6 + lane) % 20_000}`;
        const extra = `lane${lane}:${i}`;
        try {
          if (i % 3 === 0) {
            const score = Number(await client.zincrby('board', 1000, member));
            mine.set(member, score);
          } else if (i % 3 === 1) {
            await client.zadd('board', i, extra);
            mine.set(extra, i);
          } else {
            await client.zrem('board', member);
            mine.set(member, null);
          }
        } catch {
          break;
        }
      }
      client.disconnect();
    });
    await new Promise((r) => setTimeout(r, 1500));
    await server.kill();
    stop = true;
    await Promise.all(lanes);
    const writes = acked.reduce((n, m) => n + m.size, 0);
    expect(writes).toBeGreaterThan(100);

    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    const all = await client.zrange('board', 0, -1, 'WITHSCORES');
    const scores = new Map<string, number>();
    for (let i = 0; i < all.length; i += 2) scores.set(all[i] as string, Number(all[i + 1]));
    // The order is whole: every member once, scores ascending, and the count agrees.
    expect(scores.size).toBe(all.length / 2);
    expect(await client.zcard('board')).toBe(scores.size);
    for (let i = 3; i < all.length; i += 2) expect(Number(all[i])).toBeGreaterThanOrEqual(Number(all[i - 2]));
    // Every acknowledged write is there (a write in flight when killed may be there too: the next
    // write of its lane is never acknowledged, and each lane's last write is all this checks).
    for (const mine of acked) {
      for (const [member, score] of mine) {
        const now = scores.get(member);
        if (score === null) expect(now === undefined || now >= 1000).toBe(true);
        else expect(now === score || now === score + 1000).toBe(true);
      }
    }
    // Ranks agree with the order read.
    for (let i = 0; i < all.length; i += 2 * 997)
      expect(await client.zrank('board', all[i] as string)).toBe(i / 2);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});

describe('pipelines of writes that change the same tree nodes many times within one commit', () => {
  it('leave, after a SIGKILL and a restart, exactly the set a model of the writes holds', async () => {
    const dir = await tempDir('sluice-zset-batch-');
    let server = await startSluice({ dir });
    const io = new Redis(server.port, '127.0.0.1');
    /** The set the writes leave, as redis-server's semantics make it. */
    const model = new Map<string, number>();
    let seed = 20261207;
    const below = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 12; round++) {
      // One pipeline is sent in one piece: its commands run in a turn or two of the server, each commit
      // encoding nodes that dozens of them changed (splits and merges included: members come and go).
      const pipeline = io.pipeline();
      for (let k = 0; k < 400; k++) {
        const member = `m${below(3000)}`;
        const score = below(200) - 100;
        const op = below(10);
        if (op < 5) {
          pipeline.zadd('z', score, member);
          model.set(member, score);
        } else if (op < 7) {
          pipeline.zincrby('z', score, member);
          model.set(member, (model.get(member) ?? 0) + score);
        } else {
          pipeline.zrem('z', member);
          model.delete(member);
        }
      }
      const replies = await pipeline.exec();
      expect(replies?.every(([err]) => err === null)).toBe(true);
      expect(await io.zcard('z')).toBe(model.size);
    }
    io.disconnect();
    await server.kill();
    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    try {
      const expected = [...model].sort(([m1, s1], [m2, s2]) => s1 - s2 || (m1 < m2 ? -1 : m1 > m2 ? 1 : 0));
      const all = await client.zrange('z', 0, -1, 'WITHSCORES');
      expect(all).toEqual(expected.flatMap(([m, s]) => [m, String(s)]));
      // Ranks, counts and score ranges read the counts of the inner nodes, as written.
      for (let i = 0; i < expected.length; i += 97) {
        const [member, score] = expected[i] as [string, number];
        expect(await client.zrank('z', member)).toBe(i);
        expect(await client.zcount('z', '-inf', `(${score}`)).toBe(
          expected.findIndex(([, s]) => s === score),
        );
      }
    } finally {
      client.disconnect();
      await server.dispose();
    }
  }, 60_000);
});
