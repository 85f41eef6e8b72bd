import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectRaw } from '../src/raw-client.js';
import { ServerStartError, startRedis } from '../src/server.js';
import { python, redisCli } from '../src/tools.js';

describe('startRedis', () => {
  it('starts on a free port with a temp dir, answers, stops, and cleans up', {
    timeout: 30_000,
  }, async () => {
    const server = await startRedis();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(existsSync(server.dir)).toBe(true);
    const c = await connectRaw(server.port);
    expect(await c.call('CONFIG', 'GET', 'save')).toBe('*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
    await c.close();
    expect(await redisCli(server.port, ['ping'])).toEqual({ stdout: 'PONG\n', stderr: '', code: 0 });
    expect(server.output()).toContain('Ready to accept connections');
    await server.dispose();
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(server.dir)).toBe(false);
  });

  it('is ready with requirepass (NOAUTH counts as serving)', { timeout: 30_000 }, async () => {
    const server = await startRedis({ args: ['--requirepass', 'pw'] });
    const c = await connectRaw(server.port);
    expect(await c.call('GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
    await c.close();
    await server.dispose();
  });

  it('rejects with the server output when it cannot start', { timeout: 30_000 }, async () => {
    const failing = startRedis({ args: ['--no-such-option', 'x'] });
    await expect(failing).rejects.toThrow(ServerStartError);
    await expect(failing).rejects.toThrow(/no-such-option/);
  });
});

describe('python', () => {
  it('runs /usr/bin/python3 with extra environment', async () => {
    const result = await python('import os, sys; print(os.environ["X"]); sys.exit(3)', { X: 'hi' });
    expect(result).toEqual({ stdout: 'hi\n', stderr: '', code: 3 });
  });
});
