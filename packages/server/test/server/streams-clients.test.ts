/**
 * Streams on a real sluice-server: a job queue through real clients (ioredis producers and workers with
 * XADD, XREADGROUP BLOCK and XACK; node-redis in RESP2 and RESP3; redis-py), a leak check (no entry, node,
 * group or pending entry left once the stream is gone), and SIGKILL under a load of XADD losing no
 * acknowledged entry.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('streams from client libraries', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ioredis: a job queue with a consumer group, each job done once', async () => {
    const admin = new Redis(server.port, '127.0.0.1');
    expect(await admin.xgroup('CREATE', 'jobs', 'workers', '$', 'MKSTREAM')).toBe('OK');
    const done = new Map<string, string>();
    let stop = false;
    const workers = ['w1', 'w2', 'w3'].map(async (name) => {
      const io = new Redis(server.port, '127.0.0.1');
      while (!stop) {
        const reply = (await io.xreadgroup(
          'GROUP',
          'workers',
          name,
          'COUNT',
          '5',
          'BLOCK',
          '100',
          'STREAMS',
          'jobs',
          '>',
        )) as [string, [string, string[]][]][] | null;
        if (reply === null) continue;
        for (const [, entries] of reply) {
          for (const [id, fields] of entries) {
            expect(done.has(fields[1] as string)).toBe(false);
            done.set(fields[1] as string, name);
            expect(await io.xack('jobs', 'workers', id)).toBe(1);
          }
        }
      }
      io.disconnect();
    });
    const producer = new Redis(server.port, '127.0.0.1');
    for (let i = 0; i < 300; i++) await producer.xadd('jobs', '*', 'job', `j${i}`);
    for (let tries = 0; tries < 100 && done.size < 300; tries++) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await Promise.all(workers);
    expect(done.size).toBe(300);
    expect(new Set(done.values()).size).toBeGreaterThan(1);
    expect(await admin.xpending('jobs', 'workers')).toEqual([0, null, null, null]);
    expect(await admin.xlen('jobs')).toBe(300);
    const groups = (await admin.xinfo('GROUPS', 'jobs')) as unknown[][];
    expect(groups[0]?.slice(0, 8)).toEqual([
      'name',
      'workers',
      'consumers',
      3,
      'pending',
      0,
      'last-delivered-id',
      expect.any(String),
    ]);
    producer.disconnect();
    admin.disconnect();
  });

  it('node-redis in RESP2 and RESP3: XADD, XRANGE, XREADGROUP, XAUTOCLAIM', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      const key = `nr${RESP}:s`;
      expect(await client.xAdd(key, '1-1', { a: '1' })).toBe('1-1');
      expect(await client.xAdd(key, '2-1', { b: '2' }, { TRIM: { strategy: 'MAXLEN', threshold: 5 } })).toBe(
        '2-1',
      );
      expect(await client.xRange(key, '-', '+')).toEqual([
        { id: '1-1', message: { a: '1' } },
        { id: '2-1', message: { b: '2' } },
      ]);
      expect(await client.xGroupCreate(key, 'g', '0')).toBe('OK');
      const read = await client.xReadGroup('g', 'alice', { key, id: '>' }, { COUNT: 1 });
      expect(JSON.stringify(read)).toContain('1-1');
      const claimed = await client.xAutoClaimJustId(key, 'g', 'bob', 0, '0');
      expect(claimed.messages).toEqual(['1-1']);
      expect(await client.xLen(key)).toBe(2);
      await client.quit();
    }
  });

  it('redis-py: a consumer group', async () => {
    const out = await python(`
import redis
r = redis.Redis(port=${server.port}, decode_responses=True)
r.xadd('py:s', {'a': '1'}, id='1-1')
r.xgroup_create('py:s', 'g', id='0')
print(r.xreadgroup('g', 'c', {'py:s': '>'}), r.xack('py:s', 'g', '1-1'), r.xpending('py:s', 'g')['pending'], r.type('py:s'))
`);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe("[['py:s', [('1-1', {'a': '1'})]]] 1 0 stream");
  });

  it('leaves no stored entry behind once the stream is gone', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    const stored = async (): Promise<number> => {
      await io.set('sync', '1');
      return Number(/sluice_stored_elements:(\d+)/.exec(await io.info('stats'))?.[1] ?? Number.NaN);
    };
    const before = await stored();
    for (let i = 1; i <= 2000; i++) await io.xadd('leak:s', `${i}-1`, 'f', 'x'.repeat(i % 40));
    await io.xgroup('CREATE', 'leak:s', 'g', '0');
    await io.xreadgroup('GROUP', 'g', 'c', 'COUNT', '500', 'STREAMS', 'leak:s', '>');
    await io.xtrim('leak:s', 'MAXLEN', '~', 1000);
    await io.xdel('leak:s', '1500-1', '1600-1');
    await io.copy('leak:s', 'leak:copy');
    expect(await stored()).toBeGreaterThan(before + 2000);
    await io.del('leak:s', 'leak:copy');
    let left = await stored();
    for (let tries = 0; tries < 100 && left !== before; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await stored();
    }
    expect(left).toBe(before);
    io.disconnect();
  });
});

describe('SIGKILL under a load of XADD', () => {
  it('keeps every acknowledged entry, in order', async () => {
    const dir = await tempDir('sluice-stream-kill-');
    let server = await startSluice({ dir });
    /** The ids each lane had acknowledged, in order. */
    const acked: string[][] = Array.from({ length: 4 }, () => []);
    let stop = false;
    const lanes = Array.from({ length: 4 }, async (_, lane) => {
      const client = new Redis(server.port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      const mine = acked[lane] as string[];
      for (let i = 0; !stop; i++) {
        try {
          const id = await client.xadd(
            'events',
            'MAXLEN',
            '~',
            '100000',
            '*',
            'lane',
            String(lane),
            'i',
            String(i),
          );
          mine.push(id as string);
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
    const writes = acked.reduce((n, m) => n + m.length, 0);
    expect(writes).toBeGreaterThan(100);

    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    const ids = new Set<string>();
    let last = '-';
    for (;;) {
      const batch = (await client.xrange('events', last === '-' ? '-' : `(${last}`, '+', 'COUNT', 1000)) as [
        string,
        string[],
      ][];
      if (batch.length === 0) break;
      for (const [id] of batch) ids.add(id);
      last = (batch[batch.length - 1] as [string, string[]])[0];
    }
    expect(await client.xlen('events')).toBe(ids.size);
    for (const mine of acked) for (const id of mine) expect(ids.has(id)).toBe(true);
    // The stream goes on after the last id kept.
    const next = (await client.xadd('events', '*', 'after', 'restart')) as string;
    const [ms, seq] = next.split('-').map(BigInt) as [bigint, bigint];
    const [lms, lseq] = last.split('-').map(BigInt) as [bigint, bigint];
    expect(ms > lms || (ms === lms && seq > lseq)).toBe(true);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});
