/**
 * Log mode carries collections: each hash, set, list or sorted set a batch of writes leaves changed is
 * one record, its whole value as DUMP serializes it (`sluice-format: dump`). Two nodes written at once
 * converge (DUMP compared on both), a client blocked on one node is woken by a push on the other, a
 * notification subscriber sees `restore`, a record produced by another producer is applied, an
 * oversized value is refused whole.
 */
import type { RunningServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, eventually, LogCluster } from './nodes.js';

/** Every key of database 0 and its DUMP and PEXPIRETIME, on the node at `port`. */
async function dumps(port: number): Promise<Map<string, string>> {
  const c = client(port);
  try {
    const keys = (await c.keys('*')).sort();
    const out = new Map<string, string>();
    for (const k of keys) {
      const d = await c.dumpBuffer(k);
      const t = await c.call('PEXPIRETIME', k);
      out.set(k, `${d?.toString('hex')}:${t}`);
    }
    return out;
  } finally {
    c.disconnect();
  }
}

describe('log mode: collections', () => {
  let cluster: LogCluster;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    cluster = await LogCluster.start('collections', 4);
    a = await cluster.node();
    b = await cluster.node();
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('two nodes written at once converge on hashes, sets, lists and sorted sets', async () => {
    const ra = client(a.port);
    const rb = client(b.port);
    try {
      const write = async (r: typeof ra, side: string) => {
        for (let i = 0; i < 40; i++) {
          const p = r.pipeline();
          p.hset(`h${i % 5}`, `f${i % 7}`, `${side}${i}`);
          p.sadd(`s${i % 5}`, `${side}${i % 9}`);
          if (i % 6 === 5) p.srem(`s${i % 5}`, `${side}${(i + 3) % 9}`);
          p.rpush(`l${i % 5}`, `${side}${i}`);
          if (i % 4 === 3) p.lpop(`l${i % 5}`);
          p.zadd(`z${i % 5}`, i * 1.5, `${side}${i % 11}`);
          if (i % 10 === 9) p.pexpire(`h${i % 5}`, 600_000);
          await p.exec();
        }
      };
      await Promise.all([write(ra, 'a'), write(rb, 'b')]);
      // Read your writes: a node's own write reads back at once.
      await ra.hset('mine', 'x', '1');
      expect(await ra.hget('mine', 'x')).toBe('1');
      await ra.rpush('mine-l', 'p', 'q');
      expect(await ra.lrange('mine-l', 0, -1)).toEqual(['p', 'q']);
      let last = '';
      await eventually(
        async () => {
          const [da, db] = await Promise.all([dumps(a.port), dumps(b.port)]);
          last = `${da.size} vs ${db.size}: ${JSON.stringify([...da].slice(0, 6))} / ${JSON.stringify([...db].slice(0, 6))}`;
          return da.size === 22 && JSON.stringify([...da]) === JSON.stringify([...db]);
        },
        20_000,
        () => `nodes differ: ${last}`,
      );
      expect(await rb.type('z3')).toBe('zset');
      expect(await rb.hget('mine', 'x')).toBe('1');
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
  }, 60_000);
});
