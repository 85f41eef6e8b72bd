/**
 * Redis's own tools against each target: redis-cli (plain commands, --raw, --pipe mass insertion, --scan)
 * and redis-benchmark (which probes CONFIG GET save/appendonly on start and warns if that fails).
 * stdout is not a terminal here, so redis-cli prints raw replies (no "(nil)", no quotes).
 */
import { encodeCommand } from '@sluice/protocol';
import { redisCli, run } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

describe.each(targets())('redis tools against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);
  const cli = (...args: string[]) => redisCli(t.port, args);

  it('redis-cli runs simple commands', async () => {
    expect(await cli('set', 'a', '1')).toEqual({ stdout: 'OK\n', stderr: '', code: 0 });
    expect(await cli('get', 'a')).toEqual({ stdout: '1\n', stderr: '', code: 0 });
    expect(await cli('get', 'missing')).toEqual({ stdout: '\n', stderr: '', code: 0 });
    expect(await cli('ping')).toEqual({ stdout: 'PONG\n', stderr: '', code: 0 });
    expect(await cli('dbsize')).toEqual({ stdout: '1\n', stderr: '', code: 0 });
    expect(await cli('mget', 'a', 'missing', 'a')).toEqual({ stdout: '1\n\n1\n', stderr: '', code: 0 });
    expect(await cli('-n', '3', 'set', 'in3', 'x')).toEqual({ stdout: 'OK\n', stderr: '', code: 0 });
    expect((await cli('-n', '3', 'dbsize')).stdout).toBe('1\n');
  });

  it('redis-cli prints errors on stdout and still exits 0', async () => {
    expect(await cli('nosuch', 'x')).toEqual({
      stdout: "ERR unknown command 'nosuch', with args beginning with: 'x' \n\n",
      stderr: '',
      code: 0,
    });
    expect(await cli('get')).toEqual({
      stdout: "ERR wrong number of arguments for 'get' command\n\n",
      stderr: '',
      code: 0,
    });
  });

  it('redis-cli --raw get', async () => {
    await cli('set', 'text', 'line one\nline two');
    expect(await cli('--raw', 'get', 'text')).toEqual({
      stdout: 'line one\nline two\n',
      stderr: '',
      code: 0,
    });
    expect(await cli('--no-raw', 'get', 'text')).toEqual({
      stdout: '"line one\\nline two"\n',
      stderr: '',
      code: 0,
    });
  });

  it('redis-cli reads commands from stdin', async () => {
    const result = await redisCli(t.port, [], { input: 'set s1 v1\nget s1\nget missing\nexists s1 s1\n' });
    expect(result).toEqual({ stdout: 'OK\nv1\n\n2\n', stderr: '', code: 0 });
  });

  it('redis-cli --pipe mass insertion of 10,000 SETs', async () => {
    const input = Buffer.concat(
      Array.from({ length: 10_000 }, (_, i) => encodeCommand(['SET', `key:${i}`, `v${i}`])),
    );
    const result = await redisCli(t.port, ['--pipe'], { input, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('errors: 0, replies: 10000');
    expect(await cli('dbsize')).toEqual({ stdout: '10000\n', stderr: '', code: 0 });
    expect((await cli('get', 'key:9999')).stdout).toBe('v9999\n');

    const scan = await cli('--scan', '--pattern', 'key:1*');
    expect(scan.code).toBe(0);
    const keys = scan.stdout.split('\n').filter((line) => line !== '');
    const expected = Array.from({ length: 10_000 }, (_, i) => `key:${i}`).filter((k) =>
      k.startsWith('key:1'),
    );
    expect(expected).toHaveLength(1111);
    expect(keys.sort()).toEqual(expected.sort());
  });

  it('redis-cli --scan over a small keyspace', async () => {
    await cli('mset', 'a:1', '1', 'a:2', '2', 'b:1', '3');
    const scan = await cli('--scan', '--pattern', 'a:*');
    expect(
      scan.stdout
        .split('\n')
        .filter((line) => line !== '')
        .sort(),
    ).toEqual(['a:1', 'a:2']);
    const all = await cli('--scan');
    expect(
      all.stdout
        .split('\n')
        .filter((line) => line !== '')
        .sort(),
    ).toEqual(['a:1', 'a:2', 'b:1']);
  });

  it('redis-benchmark get,set,mset runs cleanly', async () => {
    const result = await run(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(t.port), '-n', '2000', '-c', '10', '-t', 'get,set,mset', '-q'],
      { timeoutMs: 60_000 },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code).toBe(0);
    expect(output).not.toMatch(/WARNING|ERR/);
    // -q prints one line per test, after \r-separated progress updates.
    const finals = output
      .split(/[\r\n]/)
      .map((line) => line.trim())
      .filter((line) => /^[A-Z][A-Z ()0-9a-z]*: [\d.]+ requests per second/.test(line))
      .map((line) => line.slice(0, line.indexOf(':')));
    expect(finals).toEqual(['SET', 'GET', 'MSET (10 keys)']);
  });
});
