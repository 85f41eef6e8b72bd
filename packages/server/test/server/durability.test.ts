import { type RunningServer, removeDir, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

interface Writer {
  acked: number[];
  stop: () => void;
  done: Promise<void>;
}

/** Writes k:<id>:<i> = v<i> as fast as it can (pipelined, `depth` in flight), recording each acknowledgement. */
async function startWriter(port: number, id: number, depth: number): Promise<Writer> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  await client.connect();
  const acked: number[] = [];
  let stopped = false;
  let next = 0;
  const lane = async () => {
    while (!stopped) {
      const i = next++;
      try {
        await client.set(`k:${id}:${i}`, `v${i}`);
        acked.push(i);
      } catch {
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: depth }, lane)).then(() => client.disconnect());
  return {
    acked,
    stop: () => {
      stopped = true;
    },
    done,
  };
}

async function killDuringLoad(
  appendfsync: string,
  commitDelayMs: number,
  writemap: 'yes' | 'no',
): Promise<{ acked: number; dir: string }> {
  const dir = await tempDir('sluice-kill-');
  const env = { SLUICE_DEBUG_COMMIT_DELAY_MS: String(commitDelayMs) };
  const server: RunningServer = await startSluice({
    dir,
    env,
    args: ['--appendfsync', appendfsync, '--lmdb-writemap', writemap],
  });
  const writers = await Promise.all([1, 2, 3, 4].map((id) => startWriter(server.port, id, id * 8)));
  await new Promise((r) => setTimeout(r, 1500));
  await server.kill(); // SIGKILL while every writer has requests in flight
  for (const w of writers) w.stop();
  await Promise.all(writers.map((w) => w.done));

  // Restarted in the other LMDB write mode: the data file is the same either way.
  const restarted = await startSluice({ dir, args: ['--lmdb-writemap', writemap === 'yes' ? 'no' : 'yes'] });
  const check = new Redis(restarted.port, '127.0.0.1');
  let total = 0;
  try {
    for (const [n, w] of writers.entries()) {
      const id = n + 1;
      for (let from = 0; from < w.acked.length; from += 1000) {
        const slice = w.acked.slice(from, from + 1000);
        const values = await check.mget(...slice.map((i) => `k:${id}:${i}`));
        // Every acknowledged write is there, with its value.
        expect(values).toEqual(slice.map((i) => `v${i}`));
      }
      total += w.acked.length;
    }
  } finally {
    check.disconnect();
    await restarted.stop();
  }
  return { acked: total, dir };
}

describe('durability', () => {
  it.each([
    ['everysec', 0, 'yes', 500],
    ['always', 0, 'yes', 500],
    ['everysec', 0, 'no', 500],
    // Commits held back 30 ms: a write acknowledged before its commit would be lost to the kill.
    ['everysec', 30, 'yes', 50],
  ] as const)(
    'loses no acknowledged write when killed with SIGKILL during a write load (appendfsync %s, commit delay %d ms, lmdb-writemap %s)',
    async (mode, delay, writemap, minimum) => {
      const { acked, dir } = await killDuringLoad(mode, delay, writemap);
      expect(acked).toBeGreaterThan(minimum);
      await removeDir(dir);
    },
    60_000,
  );

  it.each(['everysec', 'always'])(
    'reads see every write acknowledged before them (appendfsync %s)',
    async (mode) => {
      const server = await startSluice({ args: ['--appendfsync', mode] });
      const a = new Redis(server.port, '127.0.0.1');
      const b = new Redis(server.port, '127.0.0.1');
      try {
        for (let i = 0; i < 300; i++) {
          await a.set('shared', `v${i}`);
          expect(await b.get('shared')).toBe(`v${i}`);
        }
        // Within one pipeline, a read follows the write before it.
        const results = await a.pipeline().set('p', '1').get('p').del('p').get('p').exec();
        expect(results?.map(([, v]) => v)).toEqual(['OK', '1', 1, null]);
        // A reader that sent its GET before the writer's SET was acknowledged may see either value, but
        // once it sees the new value, it keeps seeing it.
        await a.set('mono', '0');
        const reads: string[] = [];
        const writes = Array.from({ length: 50 }, (_, i) => a.set('mono', String(i + 1)));
        for (let i = 0; i < 50; i++) reads.push((await b.get('mono')) ?? 'null');
        await Promise.all(writes);
        const nums = reads.map(Number);
        expect(nums).toEqual([...nums].sort((x, y) => x - y));
      } finally {
        a.disconnect();
        b.disconnect();
        await server.dispose();
      }
    },
  );
});
