import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptions, timestampForPath, UsageError } from '../src/cli.js';
import { rotate } from '../src/runner.js';

const now = new Date('2026-11-21T20:13:05.123Z');

describe('parseOptions', () => {
  it('defaults to a full run of every suite against all three targets', () => {
    expect(parseOptions([], {}, now)).toEqual({
      mode: 'full',
      targets: ['sluice', 'redis', 'redis-mem'],
      out: path.resolve('bench-results/2026-11-21T20-13-05'),
      suites: ['redis-benchmark', 'clients', 'http', 'kafka', 'scale'],
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

  it('answers --help', () => {
    expect(parseOptions(['-h'])).toBe('help');
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
