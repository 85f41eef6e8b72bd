/**
 * Lists on a real sluice-server: real clients (ioredis, node-redis in RESP2 and RESP3, redis-py),
 * including their blocking pops; a job queue with several workers blocked on it, each job taken once;
 * SIGKILL under a load of pushes and moves loses no acknowledged write and leaves no move half-applied.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('lists from client libraries', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ioredis: pushes, ranges, LMOVE, and a BLPOP woken by another connection', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    const waiter = new Redis(server.port, '127.0.0.1');
    expect(await io.rpush('io:l', 'a', 'b', 'c')).toBe(3);
    expect(await io.lpush('io:l', 'z')).toBe(4);
    expect(await io.lrange('io:l', 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await io.lmove('io:l', 'io:m', 'LEFT', 'RIGHT')).toBe('z');
    expect(await io.lpos('io:l', 'c')).toBe(2);
    const popped = waiter.blpop('io:empty', 5);
    await new Promise((r) => setTimeout(r, 50));
    await io.rpush('io:empty', 'job');
    expect(await popped).toEqual(['io:empty', 'job']);
    expect(await waiter.brpop('io:none', 0.05)).toBeNull();
    io.disconnect();
    waiter.disconnect();
  });

  it('node-redis in RESP2 and RESP3, with a blocking pop on an isolated connection', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      const blocked = client.duplicate();
      await client.connect();
      await blocked.connect();
      const key = `nr${RESP}:l`;
      expect(await client.rPush(key, ['a', 'b', 'c'])).toBe(3);
      expect(await client.lRange(key, 0, -1)).toEqual(['a', 'b', 'c']);
      expect(await client.lIndex(key, -1)).toBe('c');
      expect(await client.lLen(key)).toBe(3);
      expect(await client.lPop(key)).toBe('a');
      const waiting = blocked.blPop(`nr${RESP}:q`, 5);
      await new Promise((r) => setTimeout(r, 50));
      await client.lPush(`nr${RESP}:q`, 'job');
      expect(await waiting).toEqual({ key: `nr${RESP}:q`, element: 'job' });
      expect(await client.lmPop(key, 'RIGHT', { COUNT: 5 })).toEqual([key, ['c', 'b']]);
      await client.quit();
      await blocked.quit();
    }
  });

  it('redis-py: pushes, ranges and a blocking pop that times out', async () => {
    const out = await python(`
import redis
r = redis.Redis(port=${server.port}, decode_responses=True)
r.rpush('py:l', 'a', 'b', 'c')
r.linsert('py:l', 'BEFORE', 'b', 'x')
print(r.lrange('py:l', 0, -1), r.blpop(['py:none', 'py:l'], timeout=1), r.brpop('py:none', timeout=0.1), r.type('py:l'))
`);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe("['a', 'x', 'b', 'c'] ('py:l', 'a') None list");
  });

  it('leaves no stored entry behind: long and short elements, pops, trims and DEL', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    const stored = async (): Promise<number> => {
      // Stored entries are counted once committed: a write first, then the count.
      await io.set('sync', '1');
      return Number(/sluice_stored_elements:(\d+)/.exec(await io.info('stats'))?.[1] ?? Number.NaN);
    };
    const before = await stored();
    const values = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 'x'.repeat(300 + i) : `v${i}`));
    await io.rpush('leak:a', ...values);
    await io.lpush('leak:a', ...values);
    expect(await stored()).toBeGreaterThan(before);
    await io.lpop('leak:a', 150);
    await io.rpop('leak:a', 10);
    await io.lset('leak:a', 5, 'y'.repeat(1000));
    await io.lset('leak:a', 5, 'small');
    await io.linsert('leak:a', 'BEFORE', 'small', 'z'.repeat(2000));
    await io.lrem('leak:a', 0, 'z'.repeat(2000));
    await io.ltrim('leak:a', 20, -20);
    while ((await io.llen('leak:a')) > 0) await io.rpoplpush('leak:a', 'leak:b');
    await io.ltrim('leak:b', 1, 0);
    expect(await io.exists('leak:a', 'leak:b')).toBe(0);
    expect(await stored()).toBe(before);
    io.disconnect();
  });

  it('a job queue: workers blocked on BLMOVE take every job exactly once', async () => {
    const jobs = 2000;
    const workers = Array.from({ length: 4 }, () => new Redis(server.port, '127.0.0.1'));
    const taken: string[][] = workers.map(() => []);
    let done = false;
    const loops = workers.map(async (w, n) => {
      while (!done) {
        const job = await w.blmove('queue', 'processing', 'LEFT', 'RIGHT', 0.2);
        if (job === null) continue;
        (taken[n] as string[]).push(job);
        await w.lrem('processing', 1, job);
      }
    });
    const producer = new Redis(server.port, '127.0.0.1');
    for (let i = 0; i < jobs; i += 100) {
      await producer.rpush('queue', ...Array.from({ length: 100 }, (_, k) => `job-${i + k}`));
    }
    for (let tries = 0; tries < 200 && taken.flat().length < jobs; tries++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    done = true;
    await Promise.all(loops);
    const all = taken.flat();
    expect(all).toHaveLength(jobs);
    expect(new Set(all).size).toBe(jobs);
    // Every worker got work: the queue wakes them all, not one.
    for (const t of taken) expect(t.length).toBeGreaterThan(0);
    expect(await producer.exists('queue', 'processing')).toBe(0);
    for (const w of workers) w.disconnect();
    producer.disconnect();
  }, 60_000);
});

describe('SIGKILL under a load of list pushes and moves', () => {
  it('keeps every acknowledged push in order, and every move whole', async () => {
    const dir = await tempDir('sluice-list-kill-');
    let server = await startSluice({ dir });
    const setup = new Redis(server.port, '127.0.0.1');
    const total = 20_000;
    for (let i = 0; i < total; i += 1000) {
      await setup.rpush('src', ...Array.from({ length: 1000 }, (_, k) => String(i + k)));
    }
    setup.disconnect();
    /** Per lane, the values its acknowledged RPUSHes appended, in order. */
    const pushed: number[][] = Array.from({ length: 6 }, () => []);
    const moved: string[] = [];
    let stop = false;
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      const client = new Redis(server.port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      for (let i = 0; !stop; i++) {
        try {
          await client.rpush(`lane:${lane}`, String(i));
          (pushed[lane] as number[]).push(i);
          const value = await client.lmove('src', 'dst', 'LEFT', 'RIGHT');
          if (value !== null) moved.push(value);
          await client.lpush('stack', `${lane}:${i}`);
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
    expect(moved.length).toBeGreaterThan(100);

    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    for (let lane = 0; lane < 6; lane++) {
      const acked = pushed[lane] as number[];
      const list = (await client.lrange(`lane:${lane}`, 0, -1)).map(Number);
      // Every acknowledged push, in order; at most the one in flight beyond them.
      expect(list.slice(0, acked.length)).toEqual(acked);
      expect(list.length - acked.length).toBeLessThanOrEqual(1);
    }
    // Each value is in exactly one of src and dst, dst holding the moved ones in order.
    const src = await client.lrange('src', 0, -1);
    const dst = await client.lrange('dst', 0, -1);
    expect(dst.length + src.length).toBe(total);
    expect(dst.slice(0, moved.length).sort()).toEqual([...moved].sort());
    expect([...dst, ...src].map(Number)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(await client.llen('src')).toBe(src.length);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});
