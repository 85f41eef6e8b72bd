/**
 * Functions (FUNCTION LOAD, FCALL) on a real sluice-server: real clients (ioredis, node-redis in RESP2
 * and RESP3, redis-py), a function past busy-reply-threshold (BUSY, FUNCTION STATS, FUNCTION KILL, SCRIPT
 * KILL's refusal), libraries kept across restarts and SIGKILL, and FCALL's writes whole under SIGKILL.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUSY_FUNCTION =
  'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

const LIBRARY = `#!lua name=counters
local function bump(keys, args)
  return redis.call('INCRBY', keys[1], args[1] or 1)
end
local function peek(keys)
  return redis.call('GET', keys[1])
end
redis.register_function('bump', bump)
redis.register_function{function_name='peek', callback=peek, flags={'no-writes'}}
redis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}
redis.register_function('pair', function(keys, args)
  redis.call('SET', keys[1], args[1])
  redis.call('SET', keys[2], args[1])
  return redis.call('INCR', 'pairs-written')
end)`;

describe('functions on sluice-server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice({ args: ['--busy-reply-threshold', '300'] });
    const client = new Redis(server.port, '127.0.0.1');
    expect(await client.call('FUNCTION', 'LOAD', LIBRARY)).toBe('counters');
    client.disconnect();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('runs from ioredis, node-redis (RESP2 and RESP3) and redis-py', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    expect(await io.fcall('bump', 1, 'fn:io', 5)).toBe(5);
    expect(await io.fcall_ro('peek', 1, 'fn:io')).toBe('5');
    io.disconnect();
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      expect(await client.fCall('bump', { keys: [`fn:nr${RESP}`], arguments: ['2'] })).toBe(2);
      expect(await client.fCallRo('peek', { keys: [`fn:nr${RESP}`] })).toBe('2');
      const [library] = (await client.functionList()) as unknown as { library_name: string }[];
      expect(library?.library_name).toBe('counters');
      await client.quit();
    }
    const out = await python(`
import redis
r = redis.Redis(port=${server.port})
print(r.fcall('bump', 1, 'fn:py', 3), r.fcall_ro('peek', 1, 'fn:py').decode(), r.function_list()[0][1].decode())
`);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe('3 3 counters');
  });

  it('answers BUSY while a function runs past busy-reply-threshold; FUNCTION STATS shows it, FUNCTION KILL stops it', async () => {
    const runner = new Redis(server.port, '127.0.0.1');
    const other = new Redis(server.port, '127.0.0.1');
    // Both connected and through ioredis's handshake (its INFO ready check) before the server is busy.
    await Promise.all([runner.ping(), other.ping()]);
    const result = runner.fcall('spin', 0).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 600));
    await expect(other.get('k')).rejects.toThrow(BUSY_FUNCTION);
    // SCRIPT KILL stops EVAL scripts only: it names FUNCTION KILL.
    await expect(other.script('KILL')).rejects.toThrow(BUSY_FUNCTION);
    const stats = (await other.call('FUNCTION', 'STATS')) as unknown[];
    expect(stats[0]).toBe('running_script');
    const running = stats[1] as unknown[];
    expect(running.slice(0, 4)).toEqual(['name', 'spin', 'command', ['fcall', 'spin', '0']]);
    expect(running[4]).toBe('duration_ms');
    expect(running[5]).toBeGreaterThanOrEqual(300);
    expect(await other.call('FUNCTION', 'KILL')).toBe('OK');
    expect(String(await result)).toMatch(
      /^ReplyError: ERR Script killed by user with SCRIPT KILL\.\.\. script: spin, on @user_function:\d+\.$/,
    );
    expect(await other.ping()).toBe('PONG');
    await expect(other.call('FUNCTION', 'KILL')).rejects.toThrow(
      'NOTBUSY No scripts in execution right now.',
    );
    // And the other way round: FUNCTION KILL does not stop an EVAL script.
    const script = runner.eval('while true do end', 0).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 600));
    await expect(other.call('FUNCTION', 'KILL')).rejects.toThrow(
      'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
    );
    await expect(other.call('FUNCTION', 'STATS')).rejects.toThrow('You can only call SCRIPT KILL');
    expect(await other.script('KILL')).toBe('OK');
    await script;
    runner.disconnect();
    other.disconnect();
  });
});

describe('function libraries are stored with the data', () => {
  it('survive a restart and SIGKILL once FUNCTION LOAD, DELETE or RESTORE is acknowledged', async () => {
    const dir = await tempDir('sluice-functions-');
    let server = await startSluice({ dir });
    let client = new Redis(server.port, '127.0.0.1');
    expect(await client.call('FUNCTION', 'LOAD', LIBRARY)).toBe('counters');
    expect(
      await client.call(
        'FUNCTION',
        'LOAD',
        "#!lua name=extra\nredis.register_function('twice', function(k, a) return a[1] * 2 end)",
      ),
    ).toBe('extra');
    client.disconnect();
    await server.kill();

    server = await startSluice({ dir });
    client = new Redis(server.port, '127.0.0.1');
    expect(await client.fcall('bump', 1, 'n', 4)).toBe(4);
    expect(await client.fcall('twice', 0, 21)).toBe(42);
    const dump = (await client.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    expect(await client.call('FUNCTION', 'DELETE', 'extra')).toBe('OK');
    client.disconnect();
    await server.stop();

    server = await startSluice({ dir });
    client = new Redis(server.port, '127.0.0.1');
    await expect(client.fcall('twice', 0, 1)).rejects.toThrow('ERR Function not found');
    expect(await client.call('FUNCTION', 'RESTORE', dump, 'FLUSH')).toBe('OK');
    client.disconnect();
    await server.kill();

    server = await startSluice({ dir });
    client = new Redis(server.port, '127.0.0.1');
    expect(await client.fcall('twice', 0, 5)).toBe(10);
    expect(await client.call('FUNCTION', 'FLUSH')).toBe('OK');
    client.disconnect();
    await server.kill();

    server = await startSluice({ dir });
    client = new Redis(server.port, '127.0.0.1');
    expect(await client.call('FUNCTION', 'LIST')).toEqual([]);
    client.disconnect();
    await server.dispose();
  }, 60_000);

  it("keeps every acknowledged FCALL's writes whole under SIGKILL, and none in part", async () => {
    const dir = await tempDir('sluice-fcall-kill-');
    let server = await startSluice({ dir });
    const setup = new Redis(server.port, '127.0.0.1');
    await setup.call('FUNCTION', 'LOAD', LIBRARY);
    setup.disconnect();
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
          await client.fcall('pair', 2, `a:${i}`, `b:${i}`, `v${i}`);
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
    for (const i of acked) expect(await client.mget(`a:${i}`, `b:${i}`)).toEqual([`v${i}`, `v${i}`]);
    const keys = await client.keys('*:*');
    const pairs = new Map<string, number>();
    for (const k of keys) pairs.set(k.slice(2), (pairs.get(k.slice(2)) ?? 0) + 1);
    expect([...pairs.values()].every((n) => n === 2)).toBe(true);
    expect(Number(await client.get('pairs-written'))).toBe(pairs.size);
    client.disconnect();
    await server.dispose();
  }, 60_000);
});
