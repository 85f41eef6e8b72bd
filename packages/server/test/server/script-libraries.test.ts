/**
 * Libraries from npm that keep their logic in Lua scripts, end to end against sluice-server: a rate
 * limiter (rate-limiter-flexible's RateLimiterRedis) and a distributed lock (redis-semaphore's
 * RedisMutex), through ioredis.
 */
import { type RunningServer, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Mutex } from 'redis-semaphore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('npm libraries built on scripts', () => {
  let server: RunningServer;
  let client: Redis;
  beforeAll(async () => {
    server = await startSluice();
    client = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.dispose();
  });

  it('rate-limiter-flexible: allows the budget, then refuses with the time to wait', async () => {
    const limiter = new RateLimiterRedis({ storeClient: client, keyPrefix: 'rl', points: 5, duration: 60 });
    for (let i = 1; i <= 5; i++) {
      const res = await limiter.consume('alice');
      expect(res.remainingPoints).toBe(5 - i);
    }
    const refused = await limiter.consume('alice').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).remainingPoints).toBe(0);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(58_000);
    expect(await client.ttl('rl:alice')).toBeGreaterThan(58);
    // Another key has its own budget; a reward gives a point back.
    expect((await limiter.consume('bob', 2)).remainingPoints).toBe(3);
    // The refused attempt counted too (6 consumed): a reward of 2 makes room for one more.
    await limiter.reward('alice', 2);
    expect((await limiter.consume('alice')).remainingPoints).toBe(0);
  });

  it('redis-semaphore Mutex: one holder at a time, released by its holder only, refreshed while held', async () => {
    const first = new Mutex(client, 'orders', {
      lockTimeout: 1_000,
      refreshInterval: 200,
      acquireTimeout: 300,
      retryInterval: 20,
    });
    const second = new Mutex(client, 'orders', {
      lockTimeout: 2_000,
      acquireTimeout: 300,
      retryInterval: 20,
    });
    await first.acquire();
    expect(await second.tryAcquire()).toBe(false);
    await expect(second.acquire()).rejects.toThrow(/Acquire mutex mutex:orders timeout/);
    // The holder's refreshes (a script comparing the stored identifier) keep it past its timeout.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(first.isAcquired).toBe(true);
    expect(await second.tryAcquire()).toBe(false);
    // Releasing by another identifier is a no-op; by the holder it frees the lock.
    await second.release();
    expect(await client.exists('mutex:orders')).toBe(1);
    await first.release();
    expect(await client.exists('mutex:orders')).toBe(0);
    expect(await second.tryAcquire()).toBe(true);
    await second.release();
  });
});
