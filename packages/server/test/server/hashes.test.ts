/**
 * Hashes on a real sluice-server: real clients (ioredis, node-redis in RESP2 and RESP3, redis-py);
 * SIGKILL under a mixed write load (hashes and strings) loses no acknowledged write and leaves no
 * command half-applied; DEL of a large hash answers at once and the orphan sweep reclaims its fields,
 * also after a SIGKILL in the middle of the sweep.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const stored = async (client: Redis): Promise<number> => {
  const info = await client.info('stats');
  return Number(/sluice_stored_elements:(\d+)/.exec(info)?.[1] ?? Number.NaN);
};

describe('hashes from client libraries', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ioredis, node-redis (RESP2 and RESP3) and redis-py', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    expect(await io.hset('user:io', { name: 'Ada', lang: 'en' })).toBe(2);
    expect(await io.hgetall('user:io')).toEqual({ name: 'Ada', lang: 'en' });
    expect(await io.hincrby('user:io', 'visits', 3)).toBe(3);
    expect(await io.hmget('user:io', 'name', 'nope')).toEqual(['Ada', null]);
    io.disconnect();
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      const key = `user:nr${RESP}`;
      expect(await client.hSet(key, { name: 'Grace', lang: 'en' })).toBe(2);
      expect({ ...(await client.hGetAll(key)) }).toEqual({ name: 'Grace', lang: 'en' });
      expect(await client.hLen(key)).toBe(2);
      expect(await client.hDel(key, 'lang')).toBe(1);
      await client.quit();
    }
    const out = await python(`
import redis
r = redis.Redis(port=${server.port}, decode_responses=True)
r.hset('user:py', mapping={'name': 'Linus', 'lang': 'fi'})
print(sorted(r.hgetall('user:py').items()), r.hincrbyfloat('user:py', 'score', 1.5), r.type('user:py'))
`);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe("[('lang', 'fi'), ('name', 'Linus')] 1.5 hash");
  });
});

describe('SIGKILL under a mixed write load of hashes and strings', () => {
  it('keeps every acknowledged write, and every command whole', async () => {
    const dir = await tempDir('sluice-hash-kill-');
    let server = await startSluice({ dir });
    const acked: number[] = [];
    let increments = 0;
    let stop = false;
    const lanes = Array.from({ length: 8 }, async (_, lane) => {
      const client = new Redis(server.port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      for (let i = lane; !stop; i += 8) {
        try {
          // Two fields in one command: both or neither. A string and a counter field alongside.
          await client.hset(`h:${i % 50}`, `a:${i}`, `v${i}`, `b:${i}`, `v${i}`);
          await client.set(`s:${i}`, `v${i}`);
          await client.hincrby('counters', 'n', 1);
          increments++;
          acked.push(i);
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
    expect(acked.length).toBeGreaterThan(100);

    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    for (const i of acked) {
      expect(await client.hmget(`h:${i % 50}`, `a:${i}`, `b:${i}`)).toEqual([`v${i}`, `v${i}`]);
      expect(await client.get(`s:${i}`)).toBe(`v${i}`);
    }
    // No half-applied HSET: a:i exists exactly when b:i does; HLEN agrees with the fields.
    for (let k = 0; k < 50; k++) {
      const fields = await client.hgetall(`h:${k}`);
      const names = Object.keys(fields);
      expect(await client.hlen(`h:${k}`)).toBe(names.length);
      for (const name of names)
        expect(fields[`${name[0] === 'a' ? 'b' : 'a'}${name.slice(1)}`]).toBeDefined();
    }
    expect(Number(await client.hget('counters', 'n'))).toBeGreaterThanOrEqual(increments);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});

describe('deleting a large hash', () => {
  it('answers at once, the sweep reclaims its fields, and a SIGKILL mid-sweep loses nothing', async () => {
    const dir = await tempDir('sluice-hash-del-');
    let server = await startSluice({ dir });
    let client = new Redis(server.port, '127.0.0.1');
    const fields = 100_000;
    for (let start = 0; start < fields; start += 5000) {
      const args: string[] = [];
      for (let i = start; i < start + 5000; i++) args.push(`f${i}`, `v${i}`);
      await client.hset('big', ...args);
    }
    await client.hset('kept', 'f', 'v');
    expect(await client.hlen('big')).toBe(fields);
    expect(await client.object('ENCODING', 'big')).toBe('hashtable');
    expect(await client.del('big')).toBe(1);
    expect(await client.exists('big')).toBe(0);
    expect(await client.hget('big', 'f1')).toBeNull();
    // A new hash under the same name starts empty: the old fields are unreachable at once.
    expect(await client.hset('big', 'new', '1')).toBe(1);
    expect(await client.hlen('big')).toBe(1);
    // The sweep reclaims a bounded number per turn: let it start, then kill the server midway.
    await new Promise((r) => setTimeout(r, 150));
    expect(await stored(client)).toBeGreaterThan(2);
    client.disconnect();
    await server.kill();

    server = await startSluice({ dir });
    client = new Redis(server.port, '127.0.0.1');
    expect(await client.hgetall('big')).toEqual({ new: '1' });
    expect(await client.hgetall('kept')).toEqual({ f: 'v' });
    // After the restart the sweep goes on until every old field is reclaimed.
    // Two elements are live: big's `new` and kept's `f`.
    const deadline = Date.now() + 20_000;
    while ((await stored(client)) > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await stored(client)).toBe(2);
    expect(await client.hgetall('big')).toEqual({ new: '1' });
    client.disconnect();
    await server.dispose();
  }, 60_000);
});

describe('an HSET that leaves a field as it was', () => {
  it('writes nothing over a committed field, and waits for the uncommitted write it read', async () => {
    // Every commit held back 400 ms: a reply that waits for a commit takes at least that long.
    const server = await startSluice({ env: { SLUICE_DEBUG_COMMIT_DELAY_MS: '400' } });
    const a = new Redis(server.port, '127.0.0.1');
    const b = new Redis(server.port, '127.0.0.1');
    const committedWrites = async (): Promise<number> =>
      Number(/sluice_committed_writes:(\d+)/.exec(await a.info('persistence'))?.[1]);
    const timed = async (reply: Promise<unknown>): Promise<{ reply: unknown; ms: number }> => {
      const t0 = performance.now();
      return { reply: await reply, ms: performance.now() - t0 };
    };
    try {
      const first = await timed(a.hset('h', 'f', 'v', 'g', 'w'));
      expect(first.reply).toBe(2);
      expect(first.ms).toBeGreaterThanOrEqual(350);
      const before = await committedWrites();

      // Committed, and left as it is: nothing to write, nothing to wait for.
      const same = await timed(b.hset('h', 'f', 'v'));
      expect(same).toEqual({ reply: 0, ms: expect.any(Number) });
      expect(same.ms).toBeLessThan(300);
      const hmset = await timed(b.hmset('h', 'f', 'v', 'g', 'w'));
      expect(hmset.reply).toBe('OK');
      expect(hmset.ms).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 600));
      expect(await committedWrites()).toBe(before);
      expect(await b.hgetall('h')).toEqual({ f: 'v', g: 'w' });

      // A changed value is written, and its reply waits for the commit.
      const changed = await timed(b.hset('h', 'f', 'x'));
      expect(changed.reply).toBe(0);
      expect(changed.ms).toBeGreaterThanOrEqual(350);

      // The value read is another connection's write, not committed yet: the HSET that leaves it as
      // it is still waits for a commit that carries it, so that it never acknowledges a state that
      // could be lost.
      const pending = a.hset('h', 'f', 'y');
      await new Promise((r) => setTimeout(r, 100));
      const onPending = await timed(b.hset('h', 'f', 'y'));
      expect(onPending.reply).toBe(0);
      expect(onPending.ms).toBeGreaterThanOrEqual(250);
      expect(await pending).toBe(0);
      expect(await b.hget('h', 'f')).toBe('y');
    } finally {
      a.disconnect();
      b.disconnect();
      await server.dispose();
    }
  }, 30_000);
});
