/**
 * Scripts on a real sluice-server: client libraries' script helpers (ioredis defineCommand, node-redis
 * defineScript, redis-py register_script, which try EVALSHA and fall back to EVAL), a script that runs
 * too long, a script that allocates too much, and SIGKILL while scripts write: every acknowledged script
 * is there whole, and none is there in part.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient, defineScript } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUSY = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';

const RATE_LIMIT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return current`;

const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

describe('scripts on sluice-server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice({ args: ['--busy-reply-threshold', '300'] });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('runs ioredis defineCommand scripts (EVALSHA, falling back to EVAL)', async () => {
    const client = new Redis(server.port, '127.0.0.1');
    client.defineCommand('rateLimit', { numberOfKeys: 1, lua: RATE_LIMIT });
    client.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
    const limited = client as unknown as {
      rateLimit(key: string, ms: number): Promise<number>;
      releaseLock(key: string, token: string): Promise<number>;
    };
    for (let i = 1; i <= 5; i++) expect(await limited.rateLimit('rl:ioredis', 60_000)).toBe(i);
    expect(await client.pttl('rl:ioredis')).toBeGreaterThan(59_000);
    await client.set('lock:a', 'token-1');
    expect(await limited.releaseLock('lock:a', 'someone-else')).toBe(0);
    expect(await limited.releaseLock('lock:a', 'token-1')).toBe(1);
    expect(await client.exists('lock:a')).toBe(0);
    client.disconnect();
  });

  it('runs node-redis defineScript scripts, in RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({
        url: server.url,
        RESP,
        scripts: {
          rateLimit: defineScript({
            NUMBER_OF_KEYS: 1,
            SCRIPT: RATE_LIMIT,
            parseCommand(parser, key: string, ms: number) {
              parser.pushKey(key);
              parser.push(String(ms));
            },
            transformReply: (reply: unknown) => reply as number,
          }),
        },
      });
      await client.connect();
      await client.scriptFlush();
      expect(await client.rateLimit(`rl:node-redis:${RESP}`, 60_000)).toBe(1);
      expect(await client.rateLimit(`rl:node-redis:${RESP}`, 60_000)).toBe(2);
      await client.quit();
    }
  });

  it("runs redis-py's register_script", async () => {
    const result = await python(
      `
import redis
r = redis.Redis(port=${server.port})
limit = r.register_script("""${RATE_LIMIT}""")
r.script_flush()
print([limit(keys=['rl:py'], args=[60000]) for _ in range(3)])
`,
    );
    expect(result.stdout.trim()).toBe('[1, 2, 3]');
  });

  it('answers BUSY while a script runs past busy-reply-threshold, and SCRIPT KILL stops it', async () => {
    const runner = new Redis(server.port, '127.0.0.1');
    const other = new Redis(server.port, '127.0.0.1');
    await other.set('k', 'v');
    const started = Date.now();
    const result = runner.eval('local i = 0 while true do i = i + 1 end', 0).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 600));
    await expect(other.ping()).rejects.toThrow(BUSY);
    await expect(other.get('k')).rejects.toThrow(BUSY);
    await expect(other.eval('return 1', 0)).rejects.toThrow(BUSY);
    expect(await other.script('KILL')).toBe('OK');
    expect(String(await result)).toMatch(
      /^ReplyError: ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await other.ping()).toBe('PONG');
    await expect(other.script('KILL')).rejects.toThrow('NOTBUSY No scripts in execution right now.');
    // A pcall inside the script cannot hold the stop back.
    const nested = runner
      .eval('while true do pcall(function() while true do end end) end', 0)
      .catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 600));
    expect(await other.script('KILL')).toBe('OK');
    expect(String(await nested)).toMatch(/ERR Script killed by user with SCRIPT KILL/);
    runner.disconnect();
    other.disconnect();
  });

  it('lets a script that has written run to its end (UNKILLABLE), atomically', async () => {
    const runner = new Redis(server.port, '127.0.0.1');
    const other = new Redis(server.port, '127.0.0.1');
    // Both through ioredis's handshake (its INFO ready check) before the server is busy.
    await Promise.all([runner.ping(), other.ping()]);
    const result = runner.eval(
      "redis.call('SET', KEYS[1], 'started') local i = 0 while i < 1e8 do i = i + 1 end redis.call('SET', KEYS[2], 'ended') return i",
      2,
      'w1',
      'w2',
    );
    await new Promise((r) => setTimeout(r, 600));
    await expect(other.get('w1')).rejects.toThrow(BUSY);
    await expect(other.script('KILL')).rejects.toThrow(
      /^UNKILLABLE Sorry the script already executed write commands/,
    );
    expect(await result).toBe(100_000_000);
    expect(await other.mget('w1', 'w2')).toEqual(['started', 'ended']);
    runner.disconnect();
    other.disconnect();
  }, 60_000);

  it('bounds what a script allocates, with an error, and serves on', async () => {
    const client = new Redis(server.port, '127.0.0.1');
    await expect(client.eval("local s = string.rep('x', 1024 * 1024 * 1024) return #s", 0)).rejects.toThrow(
      /not enough memory/,
    );
    await expect(
      client.eval(
        "local t = {} for i = 1, 40 do t[i] = string.rep('x', 10 * 1024 * 1024) .. i end return #t",
        0,
      ),
    ).rejects.toThrow(/not enough memory/);
    expect(await client.eval('return 1 + 1', 0)).toBe(2);
    client.disconnect();
  });
});

describe('SIGKILL while scripts write', () => {
  it('keeps every acknowledged script whole, and no script in part', async () => {
    const dir = await tempDir('sluice-script-kill-');
    let server = await startSluice({ dir });
    // Each script writes a pair of keys and a counter: all three or none must survive.
    const script = `
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[1])
return redis.call('INCR', 'scripts-run')`;
    const acked: number[] = [];
    let stop = false;
    const lanes = Array.from({ length: 8 }, async (_, lane) => {
      const client = new Redis(server.port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      for (let i = lane; !stop; i += 8) {
        try {
          await client.eval(script, 2, `a:${i}`, `b:${i}`, `v${i}`);
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
      expect(await client.mget(`a:${i}`, `b:${i}`)).toEqual([`v${i}`, `v${i}`]);
    }
    // Scripts that were not acknowledged may have committed, but only whole: a:i exists iff b:i does.
    const keys = await client.keys('*:*');
    const pairs = new Map<string, number>();
    for (const k of keys) pairs.set(k.slice(2), (pairs.get(k.slice(2)) ?? 0) + 1);
    expect([...pairs.values()].every((n) => n === 2)).toBe(true);
    expect(Number(await client.get('scripts-run'))).toBe(pairs.size);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});

describe('SHUTDOWN while a script runs past busy-reply-threshold', () => {
  it('is refused without NOSAVE; SHUTDOWN NOSAVE stops the server and the script leaves nothing', async () => {
    const dir = await tempDir('sluice-script-shutdown-');
    let server = await startSluice({ dir, args: ['--busy-reply-threshold', '200'] });
    const runner = new Redis(server.port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    runner.on('error', () => {});
    const other = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    other.on('error', () => {});
    await other.set('before', '1');
    void runner.eval("redis.call('SET', 'half', 'done') while true do end", 0).catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    await expect(other.shutdown()).rejects.toThrow(BUSY);
    await other.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    expect((await server.exited).code).toBe(0);
    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    expect(await client.mget('before', 'half')).toEqual(['1', null]);
    client.disconnect();
    runner.disconnect();
    other.disconnect();
    await server.dispose();
  }, 60_000);
});
