import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRaw, removeDir, run, sluiceServerScript, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const d = await tempDir('sluice-lifecycle-');
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await removeDir(d);
});

describe('sluice-server lifecycle', () => {
  it('logs its version, address, data directory and durability mode at start', async () => {
    const server = await startSluice({ args: ['--appendfsync', 'always'] });
    try {
      const log = server.output();
      expect(log).toMatch(/Sluice \d+\.\d+\.\d+/);
      expect(log).toContain(`port ${server.port}`);
      expect(log).toContain('127.0.0.1');
      expect(log).toContain(server.dir);
      expect(log).toContain('appendfsync always');
    } finally {
      await server.dispose();
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal} and serves the same data after a restart`, async () => {
      const dir = await freshDir();
      const first = await startSluice({ dir });
      const client = new Redis(first.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      await client.set('persisted', 'yes');
      await client.set('expiring', 'soon', 'PX', 200);
      await client.select(3);
      await client.set('in-db-3', 'three');
      client.disconnect();
      expect(await first.stop(signal)).toEqual({ code: 0, signal: null });

      await new Promise((r) => setTimeout(r, 300)); // 'expiring' expires while the server is down
      const second = await startSluice({ dir });
      try {
        const c = new Redis(second.port, '127.0.0.1');
        expect(await c.get('persisted')).toBe('yes');
        expect(await c.get('expiring')).toBeNull();
        expect(await c.dbsize()).toBe(1);
        await c.select(3);
        expect(await c.get('in-db-3')).toBe('three');
        c.disconnect();
        expect(second.output()).toContain('Removed 1 keys that expired while the server was down');
      } finally {
        await second.stop();
      }
    });
  }

  it('stops on SHUTDOWN after committing writes in flight, and exits 0', async () => {
    const dir = await freshDir();
    const server = await startSluice({ dir });
    const raw = await connectRaw(server.port);
    let pipeline = '';
    for (let i = 0; i < 1000; i++)
      pipeline += `*3\r\n$3\r\nSET\r\n$${`k${i}`.length}\r\nk${i}\r\n$1\r\nv\r\n`;
    raw.send(`${pipeline}*1\r\n$8\r\nSHUTDOWN\r\n`);
    const replies = await raw.readReplies(1000, 10000);
    expect(replies.every((r) => r === '+OK\r\n')).toBe(true);
    await raw.closed;
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const again = await startSluice({ dir });
    try {
      const c = new Redis(again.port, '127.0.0.1');
      expect(await c.dbsize()).toBe(1000);
      c.disconnect();
    } finally {
      await again.stop();
    }
  });

  it('on SHUTDOWN closes the other connections at once instead of waiting for them to leave', async () => {
    const server = await startSluice({ dir: await freshDir() });
    const idle = await connectRaw(server.port);
    expect(await idle.call('PING')).toBe('+PONG\r\n');
    const started = Date.now();
    const raw = await connectRaw(server.port);
    raw.send('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    await idle.closed;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reads redis.conf syntax, and command-line flags override the file', async () => {
    const dir = await freshDir();
    const conf = join(await mkdtemp(join(tmpdir(), 'sluice-conf-')), 'sluice.conf');
    await writeFile(conf, `# a comment\ndatabases 4\nappendfsync "no"\nmaxclients 123\n\ntimeout 0\n`);
    const server = await startSluice({ dir, configFile: conf, args: ['--databases', '8'] });
    try {
      const c = new Redis(server.port, '127.0.0.1');
      expect(await c.config('GET', 'databases')).toEqual(['databases', '8']);
      expect(await c.config('GET', 'appendfsync')).toEqual(['appendfsync', 'no']);
      expect(await c.config('GET', 'maxclients')).toEqual(['maxclients', '123']);
      await expect(c.select(8)).rejects.toThrow('ERR DB index is out of range');
      c.disconnect();
      expect(server.output()).toContain('appendfsync no');
    } finally {
      await server.dispose();
    }
    await removeDir(join(conf, '..'));
  });

  it.each([
    [['--no-such-setting', '1'], /no-such-setting/],
    [['--appendfsync', 'sometimes'], /appendfsync.*everysec, always, no/s],
    [['--port', '99999'], /port.*between 0 and 65535/s],
    [['--databases'], /databases/],
  ])('fails before listening, naming the setting, with exit code 1: %j', async (args, message) => {
    const result = await run(process.execPath, [sluiceServerScript, '--dir', await freshDir(), ...args], {
      timeoutMs: 10000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toMatch(message);
    expect(result.stdout).not.toContain('Ready to accept connections');
  });

  it('reports a config file line that is wrong', async () => {
    const conf = join(await mkdtemp(join(tmpdir(), 'sluice-conf-')), 'bad.conf');
    await writeFile(conf, 'port 6380\nmaxclients lots\n');
    const result = await run(process.execPath, [sluiceServerScript, conf, '--dir', await freshDir()], {
      timeoutMs: 10000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2.*maxclients/s);
    await removeDir(join(conf, '..'));
  });

  it('takes a data directory whose name has a dot', async () => {
    const dir = join(await freshDir(), 'data.v1');
    const server = await startSluice({ dir });
    const c = new Redis(server.port, '127.0.0.1');
    expect(await c.set('k', 'v')).toBe('OK');
    c.disconnect();
    await server.stop();
    expect(existsSync(join(dir, 'data.mdb'))).toBe(true);
  });

  it('writes its log to logfile and its pid to pidfile, removing the pidfile on exit', async () => {
    const dir = await freshDir();
    const logfile = join(dir, 'sluice.log');
    const pidfile = join(dir, 'sluice.pid');
    const server = await startSluice({ dir, args: ['--logfile', logfile, '--pidfile', pidfile] });
    expect(readFileSync(pidfile, 'utf8')).toBe(`${server.pid}\n`);
    expect(readFileSync(logfile, 'utf8')).toContain('Ready to accept connections');
    expect(server.output()).not.toContain('Ready to accept connections');
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
    expect(readFileSync(logfile, 'utf8')).toContain('ready to exit');
  });

  it('prints its version', async () => {
    const result = await run(process.execPath, [sluiceServerScript, '--version'], { timeoutMs: 10000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Sluice server v=\d+\.\d+\.\d+/);
  });
});
