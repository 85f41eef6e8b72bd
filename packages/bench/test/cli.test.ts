import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main, parseOptions, timestampForPath, UsageError } from '../src/cli.js';
import { rotate } from '../src/runner.js';

const now = new Date('2026-11-21T20:13:05.123Z');

describe('parseOptions', () => {
  it('defaults to a full run of every suite against all three targets', () => {
    expect(parseOptions([], {}, now)).toEqual({
      mode: 'full',
      targets: ['sluice', 'redis', 'redis-mem'],
      out: path.resolve('bench-results/2026-11-21T20-13-05'),
      suites: [
        'redis-benchmark',
        'scripting',
        'collections',
        'messaging',
        'clients',
        'http',
        'kafka',
        'log',
        'scale',
        'cluster',
      ],
      explicit: false,
    });
  });

  it('reads --quick, --target, --out and --only', () => {
    expect(
      parseOptions(['--quick', '--target', 'redis', '--out', 'x', '--only', 'redis-benchmark'], {}, now),
    ).toEqual({
      mode: 'quick',
      targets: ['redis', 'redis-mem'],
      out: path.resolve('x'),
      suites: ['redis-benchmark'],
      explicit: true,
    });
    // Suites run in their own order, whatever the order of --only.
    expect(parseOptions(['--only', 'scale', '--only', 'clients'], {}, now)).toMatchObject({
      suites: ['clients', 'scale'],
    });
    expect(parseOptions(['--target', 'sluice'], {}, now)).toMatchObject({ targets: ['sluice'] });
  });

  it('has a tiny mode for the tests, by flag or environment', () => {
    expect(parseOptions(['--tiny'], {}, now)).toMatchObject({ mode: 'tiny' });
    expect(parseOptions(['--quick'], { SLUICE_BENCH_TINY: '1' }, now)).toMatchObject({ mode: 'tiny' });
  });

  it('rejects what it does not know', () => {
    expect(() => parseOptions(['--target', 'memcached'])).toThrow(UsageError);
    expect(() => parseOptions(['--only', 'memtier'])).toThrow(/unknown suite "memtier"/);
    expect(() => parseOptions(['--fast'])).toThrow(UsageError);
    expect(() => parseOptions(['extra'])).toThrow(UsageError);
  });

  it('reads --baseline: sluice-base runs next to sluice', () => {
    expect(parseOptions(['--baseline', '../base'], {}, now)).toMatchObject({
      targets: ['sluice', 'sluice-base', 'redis', 'redis-mem'],
      baseline: path.resolve('../base'),
    });
    expect(parseOptions(['--target', 'sluice', '--baseline', '/tmp/base'], {}, now)).toMatchObject({
      targets: ['sluice', 'sluice-base'],
      baseline: '/tmp/base',
    });
    expect(parseOptions([], {}, now)).not.toHaveProperty('baseline');
  });

  it('refuses --baseline without sluice to compare, or without a directory', () => {
    expect(() => parseOptions(['--target', 'redis', '--baseline', '/tmp/base'])).toThrow(UsageError);
    expect(() => parseOptions(['--baseline', '/tmp/base', '--target', 'redis'])).toThrow(
      /--baseline .* needs the sluice target, not --target redis/,
    );
    expect(() => parseOptions(['--baseline'])).toThrow(UsageError);
    expect(() => parseOptions(['--baseline', ''])).toThrow(/--baseline needs a directory/);
  });

  it('answers --help', () => {
    expect(parseOptions(['-h'])).toBe('help');
  });
});

describe('main', () => {
  /** Runs main with stderr captured; resolves with the exit status and what it printed. */
  async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      return { code: await main(argv), stderr };
    } finally {
      spy.mockRestore();
    }
  }

  it('exits 2 for --baseline with --target redis, with the usage', async () => {
    const { code, stderr } = await run(['--target', 'redis', '--baseline', '/tmp/base']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^sluice-bench: --baseline compares/);
    expect(stderr).toContain('--baseline DIR');
  });

  it('stops at once when the baseline has no built server, and says how to build it', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-no-base-'));
    try {
      const { code, stderr } = await run(['--baseline', empty, '--out', path.join(empty, 'out')]);
      expect(code).toBe(1);
      expect(stderr).toContain(
        `sluice-bench: cannot run target sluice-base (--baseline ${empty}): ` +
          `${path.join(empty, 'packages/server/bin/sluice-server.js')} does not exist.`,
      );
      expect(stderr).toContain(
        `cd ${empty} && pnpm install --frozen-lockfile && pnpm --filter @sluice/server... build`,
      );

      const missing = path.join(empty, 'nowhere');
      const gone = await run(['--baseline', missing]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain(`${missing} does not exist.`);
      expect(gone.stderr).toContain('git worktree add');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('helpers', () => {
  it('rotates the target order from row to row', () => {
    const order = ['sluice', 'redis', 'redis-mem'];
    expect([0, 1, 2, 3].map((i) => rotate(order, i).join(' '))).toEqual([
      'sluice redis redis-mem',
      'redis redis-mem sluice',
      'redis-mem sluice redis',
      'sluice redis redis-mem',
    ]);
    expect(rotate([], 3)).toEqual([]);
  });

  it('makes a path-safe timestamp', () => {
    expect(timestampForPath(now)).toBe('2026-11-21T20-13-05');
  });
});
