/**
 * Access control: requirepass, AUTH and protected mode. Protected mode needs a client that is not on
 * loopback: the test makes its own network namespace joined to this host by a veth pair (root and
 * iproute2 required; scripts/test-all.sh installs iproute2), and removes it afterwards.
 */
import { execFileSync } from 'node:child_process';
import { connectRaw, type RunningServer, redisCli, run, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NS = `sluice-acl-${process.pid}`;
const HOST_IF = `sa${process.pid % 100000}h`;
const NS_IF = `sa${process.pid % 100000}n`;
const octet = (process.pid % 200) + 20;
const HOST_ADDR = `10.231.${octet}.1`;
const NS_ADDR = `10.231.${octet}.2`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** redis-cli run from inside the namespace, so the server sees a non-loopback address. */
function fromOutside(port: number, ...args: string[]) {
  return run('ip', ['netns', 'exec', NS, 'redis-cli', '-h', HOST_ADDR, '-p', String(port), ...args], {
    timeoutMs: 10000,
  });
}

beforeAll(() => {
  ip('netns', 'add', NS);
  ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
  ip('link', 'set', NS_IF, 'netns', NS);
  ip('addr', 'add', `${HOST_ADDR}/24`, 'dev', HOST_IF);
  ip('link', 'set', HOST_IF, 'up');
  ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_ADDR}/24`, 'dev', NS_IF);
  ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up');
  ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
});

afterAll(() => {
  try {
    ip('link', 'del', HOST_IF);
  } finally {
    ip('netns', 'del', NS);
  }
});

describe('protected mode', () => {
  let server: RunningServer;
  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses clients that are not on loopback when no password is set, and warns at start', async () => {
    server = await startSluice({ args: ['--bind', `127.0.0.1 ${HOST_ADDR}`] });
    expect(server.output()).toMatch(/WARNING: listening on 10\.231\.\d+\.1 without a password/);
    const outside = await fromOutside(server.port, 'PING');
    expect(outside.stdout).toMatch(/^DENIED Sluice is running in protected mode/);
    expect((await redisCli(server.port, ['PING'])).stdout.trim()).toBe('PONG');
    // Switched off live, from loopback, as the DENIED text advises.
    const local = new Redis(server.port, '127.0.0.1');
    expect(await local.config('SET', 'protected-mode', 'no')).toBe('OK');
    local.disconnect();
    expect((await fromOutside(server.port, 'PING')).stdout.trim()).toBe('PONG');
  });

  it('serves outside clients that authenticate when a password is set', async () => {
    await server.dispose();
    server = await startSluice({ args: ['--bind', `127.0.0.1 ${HOST_ADDR}`, '--requirepass', 's3cret-pw'] });
    expect(server.output()).not.toContain('WARNING: listening');
    expect((await fromOutside(server.port, 'PING')).stdout.trim()).toBe('NOAUTH Authentication required.');
    expect(
      (await fromOutside(server.port, '-a', 's3cret-pw', '--no-auth-warning', 'PING')).stdout.trim(),
    ).toBe('PONG');
  });

  it('can be switched off at start', async () => {
    await server.dispose();
    server = await startSluice({ args: ['--bind', `127.0.0.1 ${HOST_ADDR}`, '--protected-mode', 'no'] });
    expect((await fromOutside(server.port, 'PING')).stdout.trim()).toBe('PONG');
  });
});

describe('passwords', () => {
  it('are never shown by CONFIG GET or INFO, nor logged', async () => {
    const password = 'do-not-print-me-42';
    const server = await startSluice({ args: ['--requirepass', password, '--loglevel', 'debug'] });
    try {
      const c = new Redis(server.port, '127.0.0.1', { password });
      expect(await c.config('GET', 'requirepass')).toEqual([]);
      expect(((await c.config('GET', '*')) as string[]).join(' ')).not.toContain(password);
      expect(await c.info('everything')).not.toContain(password);
      await c.config('SET', 'requirepass', 'another-secret-7');
      c.disconnect();
      const wrong = await connectRaw(server.port);
      expect(await wrong.call('GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
      expect(await wrong.call('AUTH', 'wrong')).toBe(
        '-WRONGPASS invalid username-password pair or user is disabled.\r\n',
      );
      expect(await wrong.call('AUTH', 'nobody', 'another-secret-7')).toBe(
        '-WRONGPASS invalid username-password pair or user is disabled.\r\n',
      );
      expect(await wrong.call('AUTH', 'default', 'another-secret-7')).toBe('+OK\r\n');
      await wrong.close();
      const again = new Redis(server.port, '127.0.0.1', { password: 'another-secret-7' });
      expect(await again.ping()).toBe('PONG');
      again.disconnect();
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toContain(password);
    expect(server.output()).not.toContain('another-secret-7');
  });

  it('is redacted from configuration errors', async () => {
    const { sluiceServerScript } = await import('@sluice/testkit');
    const result = await run(
      process.execPath,
      [sluiceServerScript, '--requirepass', 'leaky-secret', '--port', 'x'],
      {
        timeoutMs: 10000,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain('leaky-secret');
  });
});
