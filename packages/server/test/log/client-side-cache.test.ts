/**
 * Log mode: a record produced to the topic (with kcat, as any Kafka producer would) invalidates a
 * node-redis client-side cache connected to a node, and so does a write made on another node: the node
 * applying the record tells the connections that read the key, as for a write of its own clients.
 */
import { produceWithKcat } from '@sluice/testkit';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCluster } from './nodes.js';

/** Polls `read` until it returns `want`, or fails after 10 s. */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    if ((await read()) === want) return;
    if (Date.now() > until) expect(await read()).toBe(want);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('client-side caching in log mode', { timeout: 60_000 }, () => {
  let cluster: LogCluster;
  beforeAll(async () => {
    cluster = await LogCluster.start('tracking', 2);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a record from the topic, and a write on another node, invalidate a cache on this node', async () => {
    const a = await cluster.node();
    const b = await cluster.node();
    const cached = createClient({
      socket: { port: a.port, host: '127.0.0.1' },
      RESP: 3,
      clientSideCache: { ttl: 0, maxEntries: 0 },
    });
    const other = createClient({ socket: { port: b.port, host: '127.0.0.1' } });
    await cached.connect();
    await other.connect();
    const cache = cached.clientSideCache;
    if (cache === undefined) throw new Error('node-redis made no client-side cache');

    await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [{ key: 'user:1', value: 'ada' }]);
    await eventually(() => cached.get('user:1'), 'ada');
    const hits = cache.stats().hitCount;
    expect(await cached.get('user:1')).toBe('ada');
    expect(cache.stats().hitCount).toBe(hits + 1);

    // Upstream changes: new values and a tombstone, each seen through the cache.
    for (const value of ['grace', 'hedy']) {
      await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [{ key: 'user:1', value }]);
      await eventually(() => cached.get('user:1'), value);
    }
    await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [{ key: 'user:1', value: null }]);
    await eventually(() => cached.get('user:1'), null);

    // A write made on the other node comes back to this one through the topic.
    await other.set('user:1', 'from-b');
    await eventually(() => cached.get('user:1'), 'from-b');
    // And once nothing changes, the cache answers again.
    const before = cache.stats().hitCount;
    expect(await cached.get('user:1')).toBe('from-b');
    expect(cache.stats().hitCount).toBe(before + 1);

    cached.destroy();
    other.destroy();
  });
});
