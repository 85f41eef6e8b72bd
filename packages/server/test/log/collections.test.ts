/**
 * Log mode carries collections: each hash, set, list, sorted set or stream a batch of writes leaves changed is
 * one record, its whole value as DUMP serializes it (`sluice-format: dump`). Two nodes written at once
 * converge (DUMP compared on both), a client blocked on one node is woken by a push on the other, a
 * notification subscriber sees `restore`, a record produced by another producer is applied, an
 * oversized value is refused whole.
 */
import type { RunningServer } from '@sluice/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
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

  it('wakes a client blocked on another node (BLPOP, BLMOVE, BZPOPMIN) with a push applied from the topic', async () => {
    const ra = client(a.port);
    const blocked = [client(b.port), client(b.port), client(b.port)] as const;
    try {
      // Node B's consumer has fetched from the keys' partitions before (its first fetch of a partition
      // that was empty takes a while longer, whatever the record).
      for (const key of ['queue', 'queue2', 'board']) {
        await ra.set(key, 'warm');
        await eventually(async () => (await blocked[0].get(key)) === 'warm', 10_000, `${key} not applied`);
        await ra.del(key);
        await eventually(async () => (await blocked[0].exists(key)) === 0, 10_000, `${key} not deleted`);
      }
      const pops = [
        blocked[0].blpop('queue', 10),
        blocked[1].blmove('queue2', 'moved', 'LEFT', 'RIGHT', 10),
        blocked[2].bzpopmin('board', 10),
      ];
      // Let them block first.
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await ra.rpush('queue', 'job-1');
      await ra.rpush('queue2', 'job-2');
      await ra.zadd('board', 7, 'ada');
      expect(await Promise.all(pops)).toEqual([['queue', 'job-1'], 'job-2', ['board', 'ada', '7']]);
      expect(Date.now() - started).toBeLessThan(2_000);
      // The pops are writes of node B: node A sees the keys emptied, and the moved element.
      await eventually(
        async () =>
          (await ra.exists('queue', 'queue2', 'board')) === 0 &&
          (await ra.lrange('moved', 0, -1))[0] === 'job-2',
        10_000,
        'the pops on node B did not reach node A',
      );
    } finally {
      ra.disconnect();
      for (const c of blocked) c.disconnect();
    }
  }, 30_000);

  it('announces a collection written on another node (restore), once on the node that wrote it', async () => {
    const ra = client(a.port);
    const rb = client(b.port);
    const subA = client(a.port);
    const subB = client(b.port);
    try {
      await ra.config('SET', 'notify-keyspace-events', 'KEA');
      await rb.config('SET', 'notify-keyspace-events', 'KEA');
      const seenA: string[] = [];
      const seenB: string[] = [];
      subA.on('pmessage', (_p, channel, message) => {
        if (channel === '__keyspace@0__:nh') seenA.push(message);
      });
      subB.on('pmessage', (_p, channel, message) => {
        if (channel === '__keyspace@0__:nh') seenB.push(message);
      });
      await subA.psubscribe('__keyspace@0__:*');
      await subB.psubscribe('__keyspace@0__:*');
      await ra.hset('nh', 'f', 'v');
      await eventually(async () => seenB.length > 0, 10_000, 'node B announced nothing');
      // Wait as long again for anything more.
      await new Promise((r) => setTimeout(r, 300));
      expect(seenB).toEqual(['restore']);
      expect(seenA).toEqual(['hset']);
    } finally {
      await ra.config('SET', 'notify-keyspace-events', '');
      await rb.config('SET', 'notify-keyspace-events', '');
      for (const c of [ra, rb, subA, subB]) c.disconnect();
    }
  }, 30_000);

  it('invalidates a client-side cache on another node for a collection written on this one', async () => {
    const cached = createClient({
      socket: { port: b.port, host: '127.0.0.1' },
      RESP: 3,
      clientSideCache: { ttl: 0, maxEntries: 0 },
    });
    const ra = client(a.port);
    await cached.connect();
    try {
      await ra.hset('cached-h', 'f', '1');
      await eventually(async () => (await cached.hGet('cached-h', 'f')) === '1', 10_000, 'never read 1');
      await ra.hset('cached-h', 'f', '2');
      await eventually(async () => (await cached.hGet('cached-h', 'f')) === '2', 10_000, 'the cache kept 1');
    } finally {
      cached.destroy();
      ra.disconnect();
    }
  }, 30_000);

  it('applies a DUMP record produced by another producer, and skips a corrupt one', async () => {
    const rb = client(b.port);
    const ra = client(a.port);
    const kafka = new Kafka({ brokers: [cluster.broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await rb.rpush('dumped-src', 'x', 'y', 'z');
      const payload = (await rb.dumpBuffer('dumped-src')) as Buffer;
      const corrupt = Buffer.from(payload);
      corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
      const at = Date.now() + 600_000;
      await producer.send({
        topic: cluster.topic,
        messages: [
          { key: 'broken', value: corrupt, headers: { 'sluice-format': 'dump' } },
          {
            key: 'dumped',
            value: payload,
            headers: { 'sluice-format': 'dump', 'sluice-expire-at': String(at) },
          },
        ],
      });
      for (const r of [ra, rb]) {
        await eventually(async () => (await r.exists('dumped')) === 1, 10_000, 'the record was not applied');
        expect(await r.lrange('dumped', 0, -1)).toEqual(['x', 'y', 'z']);
        expect(Number(await r.call('PEXPIRETIME', 'dumped'))).toBe(at);
        expect(await r.exists('broken')).toBe(0);
      }
    } finally {
      await producer.disconnect();
      ra.disconnect();
      rb.disconnect();
    }
  }, 30_000);

  it('carries streams: entries, deletions, trims and consumer groups reach the other node', async () => {
    const ra = client(a.port);
    const rb = client(b.port);
    try {
      for (let i = 1; i <= 150; i++)
        await ra.xadd('events', `${i}-1`, 'n', String(i), 'kind', i % 3 ? 'a' : 'b');
      await ra.xdel('events', '5-1', '120-1');
      await ra.xtrim('events', 'MAXLEN', '~', '100');
      await ra.xgroup('CREATE', 'events', 'workers', '0');
      await ra.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', '10', 'STREAMS', 'events', '>');
      await ra.xreadgroup('GROUP', 'workers', 'w2', 'COUNT', '5', 'STREAMS', 'events', '>');
      await ra.xack('events', 'workers', '1-1', '2-1');
      // Read your writes on node A.
      // 148 left: MAXLEN ~ 100 cannot drop the first node (99 live entries) without going below 100.
      expect(await ra.xlen('events')).toBe(148);
      let last = '';
      await eventually(
        async () => {
          const [da, db] = await Promise.all([ra.dumpBuffer('events'), rb.dumpBuffer('events')]);
          last = `${da?.length} / ${db?.length}`;
          return da !== null && db !== null && da.equals(db);
        },
        15_000,
        () => `node B's stream differs from node A's: ${last}`,
      );
      expect(await rb.xrange('events', '-', '+', 'COUNT', 2)).toEqual(
        await ra.xrange('events', '-', '+', 'COUNT', 2),
      );
      expect(await rb.xpending('events', 'workers')).toEqual([
        13,
        '3-1',
        '16-1',
        [
          ['w1', '8'],
          ['w2', '5'],
        ],
      ]);
      expect(await rb.call('XINFO', 'STREAM', 'events', 'FULL')).toEqual(
        await ra.call('XINFO', 'STREAM', 'events', 'FULL'),
      );
      // Node B goes on from there: its XREADGROUP and XACK reach node A.
      expect(await rb.xreadgroup('GROUP', 'workers', 'w3', 'COUNT', '1', 'STREAMS', 'events', '>')).toEqual([
        ['events', [['17-1', ['n', '17', 'kind', 'a']]]],
      ]);
      await rb.xack('events', 'workers', '3-1');
      await eventually(
        async () =>
          JSON.stringify(await ra.xpending('events', 'workers')) ===
          JSON.stringify(await rb.xpending('events', 'workers')),
        10_000,
        "node B's group state did not reach node A",
      );
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
  }, 60_000);

  it('wakes XREAD and XREADGROUP blocked on another node with an XADD applied from the topic', async () => {
    const ra = client(a.port);
    const blocked = [client(b.port), client(b.port)] as const;
    try {
      await ra.xgroup('CREATE', 'feed', 'g', '$', 'MKSTREAM');
      await eventually(async () => (await blocked[0].exists('feed')) === 1, 10_000, 'feed not applied');
      const reads = [
        blocked[0].xread('BLOCK', 10_000, 'STREAMS', 'feed', '$'),
        blocked[1].xreadgroup('GROUP', 'g', 'c', 'BLOCK', 10_000, 'STREAMS', 'feed', '>'),
      ];
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await ra.xadd('feed', '7-1', 'job', '1');
      expect(await Promise.all(reads)).toEqual([
        [['feed', [['7-1', ['job', '1']]]]],
        [['feed', [['7-1', ['job', '1']]]]],
      ]);
      expect(Date.now() - started).toBeLessThan(2_000);
      // The group read on node B is a write of node B: node A sees the entry pending.
      await eventually(
        async () =>
          JSON.stringify(await ra.xpending('feed', 'g')) === JSON.stringify([1, '7-1', '7-1', [['c', '1']]]),
        10_000,
        'the XREADGROUP on node B did not reach node A',
      );
    } finally {
      ra.disconnect();
      for (const c of blocked) c.disconnect();
    }
  }, 30_000);

  it('refuses a stream write whose record would be above log-max-record-bytes', async () => {
    const ra = client(a.port);
    try {
      await ra.xadd('bigstream', '1-1', 'f', 'v');
      await ra.config('SET', 'log-max-record-bytes', '2048');
      const error = await ra
        .xadd('bigstream', '2-1', 'f', 'x'.repeat(3000))
        .catch((err: Error) => err.message);
      expect(error).toMatch(
        /^ERR the record of key 'bigstream' would be 30\d\d bytes, above log-max-record-bytes \(2048\): the write was not applied$/,
      );
      expect(await ra.xrange('bigstream', '-', '+')).toEqual([['1-1', ['f', 'v']]]);
      await ra.config('SET', 'log-max-record-bytes', '1000000');
      expect(await ra.xadd('bigstream', '2-1', 'f', 'x'.repeat(3000))).toBe('2-1');
    } finally {
      ra.disconnect();
    }
  }, 30_000);

  it('refuses a write whose collection would make a record above log-max-record-bytes', async () => {
    const ra = client(a.port);
    try {
      await ra.hset('big', 'small', 'v');
      await ra.config('SET', 'log-max-record-bytes', '2048');
      const error = await ra.hset('big', 'large', 'x'.repeat(3000)).catch((err: Error) => err.message);
      expect(error).toMatch(
        /^ERR the record of key 'big' would be 30\d\d bytes, above log-max-record-bytes \(2048\): the write was not applied$/,
      );
      expect(await ra.hgetall('big')).toEqual({ small: 'v' });
      await ra.config('SET', 'log-max-record-bytes', '1000000');
      expect(await ra.hset('big', 'large', 'x'.repeat(3000))).toBe(1);
    } finally {
      ra.disconnect();
    }
  }, 30_000);

  it('gives back the previous collection when Kafka does not take a write', async () => {
    const ra = client(a.port);
    try {
      await ra.hset('kept-h', 'f', '1');
      await ra.rpush('kept-l', 'a', 'b');
      await ra.zadd('kept-z', 1, 'm');
      await cluster.broker.down();
      const results = await Promise.all([
        ra.hset('kept-h', 'f', '2', 'g', '3').catch((err: Error) => err.message),
        ra.rpush('kept-l', 'c').catch((err: Error) => err.message),
        ra.lpop('kept-l').catch((err: Error) => err.message),
        ra.zadd('kept-z', 5, 'm', 6, 'n').catch((err: Error) => err.message),
        ra.del('kept-h').catch((err: Error) => err.message),
      ]);
      for (const r of results) expect(String(r)).toMatch(/^ERR write not acknowledged: Kafka did not take/);
      expect(await ra.hgetall('kept-h')).toEqual({ f: '1' });
      expect(await ra.lrange('kept-l', 0, -1)).toEqual(['a', 'b']);
      expect(await ra.zrange('kept-z', 0, -1, 'WITHSCORES')).toEqual(['m', '1']);
    } finally {
      await cluster.broker.up();
      ra.disconnect();
    }
    // Writes go on once the brokers are back, on top of the state given back.
    const rb = client(a.port);
    try {
      await eventually(async () => (await rb.hset('kept-h', 'g', '4')) === 1, 20_000, 'writes still fail');
      expect(await rb.hgetall('kept-h')).toEqual({ f: '1', g: '4' });
    } finally {
      rb.disconnect();
    }
  }, 60_000);
});

describe('log mode: SIGKILL under a collection write load', () => {
  let cluster: LogCluster;

  beforeAll(async () => {
    cluster = await LogCluster.start('collections-crash', 4);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('loses no acknowledged push, field or member, on either node', async () => {
    const victim = await cluster.node();
    const survivor = await cluster.node();
    /** Per writer: the list elements, hash fields and sorted-set members whose write was acknowledged. */
    const acknowledged = new Map<number, { list: string[]; fields: string[]; members: string[] }>();
    let stop = false;
    const load = async (id: number): Promise<void> => {
      const r = client(victim.port);
      r.on('error', () => {});
      const mine = { list: [] as string[], fields: [] as string[], members: [] as string[] };
      acknowledged.set(id, mine);
      try {
        for (let n = 0; !stop; n++) {
          const p = r.pipeline();
          p.rpush(`cl${id}`, `e${n}`);
          p.hset(`ch${id}`, `f${n}`, `v${n}`);
          p.zadd(`cz${id}`, n, `m${n}`);
          const replies = await p.exec();
          // Killed: ioredis fails each command of the pipeline (no reply is a write acknowledged).
          if (replies === null || replies.every(([err]) => err !== null)) return;
          if (replies[0]?.[0] === null) mine.list.push(`e${n}`);
          if (replies[1]?.[0] === null) mine.fields.push(`f${n}`);
          if (replies[2]?.[0] === null) mine.members.push(`m${n}`);
        }
      } catch {
        // The node was killed: the writes in flight are not acknowledged.
      } finally {
        r.disconnect();
      }
    };
    // Brokers 30 ms away, so that a kill lands while writes are on their way.
    await cluster.broker.command('rtt -1 30');
    const writers = [load(1), load(2), load(3)];
    await eventually(
      async () => [...acknowledged.values()].every((m) => m.list.length > 40),
      30_000,
      'no write load',
    );
    await victim.kill();
    stop = true;
    await Promise.all(writers);
    await cluster.broker.command('rtt -1 0');

    const restarted = await cluster.node({ dir: victim.dir });
    for (const node of [survivor, restarted]) {
      const r = client(node.port);
      try {
        for (const [id, mine] of acknowledged) {
          await eventually(
            async () => (await r.llen(`cl${id}`)) >= mine.list.length,
            20_000,
            `node ${node.port} misses pushes of writer ${id}`,
          );
          const list = await r.lrange(`cl${id}`, 0, -1);
          // Acknowledged pushes are a prefix of the list (later ones may have reached the topic unacknowledged).
          expect(list.slice(0, mine.list.length)).toEqual(mine.list);
          const fields = await r.hkeys(`ch${id}`);
          expect(mine.fields.filter((f) => !fields.includes(f))).toEqual([]);
          const members = await r.zrange(`cz${id}`, 0, -1);
          expect(mine.members.filter((m) => !members.includes(m))).toEqual([]);
        }
      } finally {
        r.disconnect();
      }
    }
    // Both nodes hold the same values (the restarted one has applied all the topic holds).
    await eventually(
      async () =>
        JSON.stringify([...(await dumps(survivor.port))]) ===
        JSON.stringify([...(await dumps(restarted.port))]),
      20_000,
      'the restarted node differs from the survivor',
    );
  }, 180_000);
});
