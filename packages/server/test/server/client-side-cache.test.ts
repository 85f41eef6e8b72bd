/**
 * node-redis's client-side cache (RESP3 `clientSideCache`, which turns CLIENT TRACKING on) against a real
 * sluice-server: the cache answers repeated reads itself, and drops a key as soon as another connection
 * changes it (a write, a delete, an expiry, a script, a FLUSHALL), so that no read returns a stale value.
 */
import { type RunningServer, startSluice } from '@sluice/testkit';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Polls `read` until it returns `want` (an invalidation travels asynchronously), or fails after 3 s. */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<void> {
  const until = Date.now() + 3000;
  for (;;) {
    if ((await read()) === want) return;
    if (Date.now() > until) expect(await read()).toBe(want);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('node-redis client-side caching', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('keeps a correct cache while another connection changes the keys', async () => {
    const socket = { port: server.port, host: '127.0.0.1' };
    const cached = createClient({ socket, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } });
    const writer = createClient({ socket });
    await cached.connect();
    await writer.connect();
    const cache = cached.clientSideCache;
    if (cache === undefined) throw new Error('node-redis made no client-side cache');

    await writer.set('user:1', 'ada');
    expect(await cached.get('user:1')).toBe('ada');
    expect(await cached.get('user:1')).toBe('ada');
    expect(cache.stats().hitCount).toBe(1);
    expect(cache.stats().missCount).toBe(1);

    // A write by another connection: the next read goes to the server again and sees it.
    await writer.set('user:1', 'grace');
    await eventually(() => cached.get('user:1'), 'grace');
    for (let i = 0; i < 20; i++) {
      await writer.set('user:1', `v${i}`);
      await eventually(() => cached.get('user:1'), `v${i}`);
    }
    // Hits again once nothing changes.
    const hits = cache.stats().hitCount;
    expect(await cached.get('user:1')).toBe('v19');
    expect(cache.stats().hitCount).toBe(hits + 1);

    // A delete, a script, an expiry and a FLUSHALL all reach the cache.
    await writer.del('user:1');
    await eventually(() => cached.get('user:1'), null);
    await writer.eval("return redis.call('set', KEYS[1], 'lua')", { keys: ['user:1'] });
    await eventually(() => cached.get('user:1'), 'lua');
    await writer.set('user:1', 'brief', { PX: 150 });
    await eventually(() => cached.get('user:1'), 'brief');
    await eventually(() => cached.get('user:1'), null);
    await writer.set('user:2', 'x');
    expect(await cached.get('user:2')).toBe('x');
    await writer.flushAll();
    await eventually(() => cached.get('user:2'), null);

    cached.destroy();
    writer.destroy();
  });
});
