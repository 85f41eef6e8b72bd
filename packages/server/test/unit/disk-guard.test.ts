import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiskError, DiskGuard, MARGIN } from '../../src/keyspace/disk-guard.js';

const MB = 1024 * 1024;

function guard(free: { bytes: number }, flush: () => Promise<void> = async () => {}) {
  const lines: string[] = [];
  const g = new DiskGuard({
    space: { free: () => free.bytes },
    log: (level, message) => lines.push(`${level} ${message}`),
    flush,
    dir: '/data',
  });
  return { g, lines };
}

describe('DiskGuard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('admits a commit whose bound and the margin fit, and refuses (logging once) one that does not', () => {
    const free = { bytes: 10 * MB };
    const { g, lines } = guard(free);
    expect(g.admit(10 * MB - MARGIN)).toBe(true);
    expect(g.admit(10 * MB - MARGIN + 1)).toBe(false);
    expect(g.refusal).toBe('No space left on device');
    expect(g.error()).toBeInstanceOf(DiskError);
    expect(g.admit(1)).toBe(false); // refused until the probe says otherwise
    expect(g.fits(1)).toBe(false);
    expect(g.refusals).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning Writes refused on \/data: No space left on device/);
    g.close();
  });

  it('fits() trusts the last measure while it covers the bound, and measures again before saying no', () => {
    const free = { bytes: 100 * MB };
    const { g } = guard(free);
    g.measure();
    free.bytes = 0;
    expect(g.fits(10 * MB)).toBe(true); // the last look had room
    expect(g.fits(200 * MB)).toBe(false); // looked again: no room
    g.close();
  });

  it('accepts writes again once a probe finds room beyond the refused bound, not before', async () => {
    vi.useFakeTimers();
    const free = { bytes: 2 * MB };
    const { g, lines } = guard(free);
    expect(g.admit(4 * MB)).toBe(false);
    free.bytes = 4 * MB; // enough for a tiny commit, not for the one refused: still refused
    await vi.advanceTimersByTimeAsync(1000);
    expect(g.refusing).toBe(true);
    free.bytes = 6 * MB;
    await vi.advanceTimersByTimeAsync(1000);
    expect(g.refusing).toBe(false);
    expect(lines[1]).toMatch(/^notice Writes accepted again on \/data: 6291456 bytes free$/);
    expect(g.admit(1 * MB)).toBe(true);
    g.close();
  });

  it('after a failed flush, accepts writes again only once a flush succeeds', async () => {
    vi.useFakeTimers();
    let ok = false;
    const { g } = guard({ bytes: 100 * MB }, async () => {
      if (!ok) throw new Error('EIO: i/o error');
    });
    g.flushFailed(Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' }));
    expect(g.refusal).toBe('No space left on device');
    await vi.advanceTimersByTimeAsync(3000);
    expect(g.refusing).toBe(true);
    ok = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(g.refusing).toBe(false);
    g.close();
  });

  it('names a failed commit by its cause', () => {
    const { g } = guard({ bytes: 100 * MB });
    g.commitFailed(new Error('MDB_MAP_FULL: Environment mapsize limit reached'));
    expect(g.refusal).toBe('LMDB map full (MDB_MAP_FULL)');
    g.close();
  });
});

describe('DiskGuard statfs budget', () => {
  it('skips statfs for commits that leave over 1 GiB of the last measure, at most 32 in a row', () => {
    let calls = 0;
    const g = new DiskGuard({
      space: {
        free: () => {
          calls++;
          return 10 * 1024 * MB;
        },
      },
      log: () => {},
      flush: async () => {},
      dir: '/data',
    });
    for (let i = 0; i < 64; i++) expect(g.admit(MB)).toBe(true);
    expect(calls).toBe(2); // the first commit, then the 33rd
    expect(g.admit(9 * 1024 * MB)).toBe(true); // measured again: too close to trust the last look
    expect(calls).toBe(3);
    g.close();
  });
});
