/**
 * A full disk: the server stays up, refuses writes with MISCONF, keeps serving reads, survives SIGKILL
 * while full, and takes writes again by itself once there is room, losing no acknowledged write and
 * applying nothing it refused. On a small tmpfs (the test mounts one: it runs as root).
 */
import { freePort, mountSmallDisk, type RunningServer, type SmallDisk, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const MB = 1024 * 1024;
const DISK = 24 * MB;
const REFUSED = 'MISCONF Errors writing to the LMDB data file: No space left on device';

/** A value of 4 KiB that names its key, so that a value read back proves which write it came from. */
function valueFor(key: string): string {
  return `${key}:`.padEnd(4096, key.slice(-1));
}

function client(port: number): Redis {
  const c = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => {});
  return c;
}

interface Filled {
  acked: string[];
  refused: string[];
}

/**
 * Four connections write 4 KiB values, pipelined 32 deep, until each has seen `refusedPerClient`
 * refusals in a row. Every reply must be OK or the refusal, and no connection may close.
 */
async function fill(port: number, prefix: string, refusedPerClient = 64): Promise<Filled> {
  const acked: string[] = [];
  const refused: string[] = [];
  const others: string[] = [];
  await Promise.all(
    [0, 1, 2, 3].map(async (lane) => {
      const c = client(port);
      let streak = 0;
      for (let i = 0; streak < refusedPerClient; i += 32) {
        const keys = Array.from({ length: 32 }, (_, j) => `${prefix}:${lane}:${i + j}`);
        const pipeline = c.pipeline();
        for (const k of keys) pipeline.set(k, valueFor(k));
        const results = (await pipeline.exec()) ?? [];
        results.forEach(([err, reply], j) => {
          const key = keys[j] as string;
          if (err === null && reply === 'OK') {
            acked.push(key);
            streak = 0;
          } else if (err?.message === REFUSED) {
            refused.push(key);
            streak++;
          } else {
            others.push(`${key}: ${err?.message ?? String(reply)}`);
            streak = refusedPerClient;
          }
        });
      }
      c.disconnect();
    }),
  );
  expect(others).toEqual([]);
  return { acked, refused };
}

/** Every acknowledged key holds its value, and no refused key exists. */
async function expectExactly(port: number, { acked, refused }: Filled): Promise<void> {
  const c = client(port);
  for (let i = 0; i < acked.length; i += 500) {
    const keys = acked.slice(i, i + 500);
    expect(await c.mget(...keys)).toEqual(keys.map(valueFor));
  }
  for (let i = 0; i < refused.length; i += 500) {
    const keys = refused.slice(i, i + 500);
    expect(await c.exists(...keys)).toBe(0);
  }
  c.disconnect();
}

function refusalLines(server: RunningServer): number {
  return server
    .output()
    .split('\n')
    .filter((l) => l.includes('# Writes refused on')).length;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a full disk', () => {
  let disk: SmallDisk | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await disk?.dispose();
    disk = undefined;
  });

  const settings = ['yes', 'no'].flatMap((writemap) =>
    ['always', 'everysec', 'no'].map((appendfsync) => ({ writemap, appendfsync })),
  );

  it.each(settings)(
    'refuses writes, serves reads, survives SIGKILL and resumes (lmdb-writemap $writemap, appendfsync $appendfsync)',
    async ({ writemap, appendfsync }) => {
      disk = await mountSmallDisk(DISK);
      const dir = `${disk.dir}/data`;
      const httpPort = await freePort();
      const args = [
        '--lmdb-writemap',
        writemap,
        '--appendfsync',
        appendfsync,
        '--http-port',
        String(httpPort),
      ];
      server = await startSluice({ dir, args });

      // Filling up: every write is acknowledged or refused with MISCONF, none closes a connection.
      const first = await fill(server.port, 'a');
      expect(first.acked.length).toBeGreaterThan(2000);
      expect(first.refused.length).toBeGreaterThanOrEqual(4 * 64);

      // Meanwhile: reads are served, PING and writes get MISCONF (as redis-server), the state is shown.
      const c = client(server.port);
      expect(await c.get(first.acked[0] as string)).toBe(valueFor(first.acked[0] as string));
      expect(await c.dbsize()).toBe(first.acked.length);
      await expect(c.ping()).rejects.toThrow(REFUSED);
      await expect(c.set('small', '1')).rejects.toThrow(REFUSED);
      await expect(c.incr('counter')).rejects.toThrow(REFUSED);
      await expect(c.multi().set('t1', 'x').set('t2', 'y').exec()).rejects.toThrow('EXECABORT');
      const info = await c.info('persistence');
      expect(info).toContain('aof_last_write_status:err');
      expect(info).toContain('sluice_writes_refused:1');
      expect(info).toContain('sluice_writes_refused_reason:No space left on device');
      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^sluice_writes_refused 1$/m);
      expect(metrics).toMatch(/^sluice_write_refusals_total 1$/m);
      const put = await fetch(`http://127.0.0.1:${httpPort}/v1/keys/viahttp`, { method: 'PUT', body: 'x' });
      expect(put.status).toBe(507);
      c.disconnect();
      expect(refusalLines(server)).toBe(1); // logged once
      await expectExactly(server.port, first);

      // SIGKILL while full, and a restart on the same full disk: still up, same data, and writes are
      // refused again as soon as a commit could need more than is left.
      await server.kill();
      server = await startSluice({ dir, args });
      await expectExactly(server.port, first);
      const again = await fill(server.port, 'c', 16);
      await expectExactly(server.port, again);
      const d = client(server.port);
      await expect(d.set('after-restart', valueFor('after-restart'))).rejects.toThrow(REFUSED);

      // Room again: writes are accepted by themselves within a few seconds, logged.
      disk.resize(DISK + 16 * MB);
      await waitFor(
        () =>
          d.set('resumed', '1').then(
            () => true,
            () => false,
          ),
        5000,
      );
      expect(server.output()).toContain('* Writes accepted again on');
      expect(await d.ping()).toBe('PONG');
      expect(await d.info('persistence')).toContain('aof_last_write_status:ok');
      d.disconnect();

      // Fill the new room too; then a clean restart finds every acknowledged write of both rounds.
      const second = await fill(server.port, 'b', 16);
      expect(second.acked.length).toBeGreaterThan(1000);
      await server.stop();
      server = await startSluice({ dir, args });
      await expectExactly(server.port, first);
      await expectExactly(server.port, again);
      await expectExactly(server.port, second);
    },
    90_000,
  );
});
