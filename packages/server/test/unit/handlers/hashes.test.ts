/**
 * The hash commands' own guarantees, beyond what the differential suite (test/compat/hashes.test.ts)
 * checks against redis-server: a single random field of a small hash is picked uniformly, by position,
 * without reading the hash.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { R, useKeyspace } from '../context.js';

describe('hash commands', () => {
  const { ks, context } = useKeyspace();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('HRANDFIELD without a count picks every field of a small hash equally often, without a walk', () => {
    const c = context();
    // Field names with very uneven gaps between them, which would skew a seek's pick.
    const fields = Array.from({ length: 100 }, (_, i) =>
      i % 3 === 0 ? `f${i}` : `q${'-'.repeat(i % 5)}${i}`,
    );
    c.call('HSET', 'h', ...fields.flatMap((f) => [f, 'v']));
    c.server.keyspace.commitNow();
    const walk = vi.spyOn(ks(), 'elementsOf');
    const seen = new Map<string, number>(fields.map((f) => [f, 0]));
    for (let i = 0; i < 10_000; i++) {
      const reply = c.call('HRANDFIELD', 'h');
      const field = /^\$\d+\r\n(.*)\r\n$/.exec(reply)?.[1] as string;
      expect(seen.has(field)).toBe(true);
      seen.set(field, (seen.get(field) as number) + 1);
    }
    // 100 picks expected per field, with a standard deviation near 10.
    for (const n of seen.values()) expect(Math.abs(n - 100)).toBeLessThan(50);
    expect(walk).not.toHaveBeenCalled();
    expect(c.call('HRANDFIELD', 'missing')).toBe(R.nil);
  });
});
