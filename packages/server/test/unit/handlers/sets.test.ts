/**
 * The set commands' own guarantees, beyond what the differential suite (test/compat/sets.test.ts) checks
 * against redis-server: what each command reads (the O(1) ones never walk the set), the intset order,
 * uniform random picks past the size where they stop reading the whole set, and the replies Sluice
 * refuses to build.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareIntegers } from '../../../src/commands/set/_shared.js';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

/** Every member of a bulk-string array reply. */
const members = (raw: string): string[] =>
  [...raw.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1] as string);

describe('set commands', () => {
  const { ks, context } = useKeyspace();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('compareIntegers orders canonical integers by value', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const order = Math.sign(compareIntegers(Buffer.from(String(a)), Buffer.from(String(b))));
        expect(order).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
      { numRuns: 5000 },
    );
  });

  it('SADD, SREM, SISMEMBER, SMISMEMBER, SCARD and SMOVE look members up, never walk the set', () => {
    const c = context();
    c.call('SADD', 's', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
    const walk = vi.spyOn(ks(), 'elementsOf');
    expect(c.call('SADD', 's', 'm1', 'new', 'new')).toBe(R.int(1));
    expect(c.call('SREM', 's', 'm2', 'nope')).toBe(R.int(1));
    expect(c.call('SISMEMBER', 's', 'm3')).toBe(R.int(1));
    expect(c.call('SMISMEMBER', 's', 'm3', 'm2')).toBe(R.array(R.int(1), R.int(0)));
    expect(c.call('SCARD', 's')).toBe(R.int(100));
    expect(c.call('SMOVE', 's', 'd', 'm4')).toBe(R.int(1));
    expect(walk).not.toHaveBeenCalled();
  });

  it('lists an intset in ascending numeric order, whatever the order members came in', () => {
    const c = context();
    c.call('SADD', 'n', '10', '-3', '9223372036854775807', '0', '-9223372036854775808', '2', '-20');
    const ascending = ['-9223372036854775808', '-20', '-3', '0', '2', '10', '9223372036854775807'];
    expect(members(c.call('SMEMBERS', 'n'))).toEqual(ascending);
    expect(members(c.call('SUNION', 'n'))).toEqual(ascending);
    expect(c.call('OBJECT', 'ENCODING', 'n')).toBe(R.bulk('intset'));
  });

  it('picks uniformly from a set past 10,000 members (read by position)', () => {
    const c = context();
    const size = 12_000;
    c.call('SADD', 'big', ...Array.from({ length: size }, (_, i) => String(i)));
    const buckets = new Array<number>(10).fill(0);
    for (let run = 0; run < 10; run++) {
      for (const m of members(c.call('SRANDMEMBER', 'big', '-5000'))) {
        const b = Math.floor(Number(m) / 1200);
        buckets[b] = (buckets[b] as number) + 1;
      }
    }
    // 5,000 expected per bucket, with a standard deviation near 70.
    for (const n of buckets) expect(Math.abs(n - 5000)).toBeLessThan(600);
    const distinct = members(c.call('SRANDMEMBER', 'big', '3000'));
    expect(new Set(distinct).size).toBe(3000);
    const popped = members(c.call('SPOP', 'big', '1000'));
    expect(new Set(popped).size).toBe(1000);
    expect(c.call('SCARD', 'big')).toBe(R.int(size - 1000));
    expect(c.call('SMISMEMBER', 'big', ...popped.slice(0, 5))).toBe(
      R.array(...popped.slice(0, 5).map(() => R.int(0))),
    );
  });

  it("single random picks past 1,024 members see the batch's own writes: never a removed member, new ones too", () => {
    const c = context();
    c.call('SADD', 'big', ...Array.from({ length: 3000 }, (_, i) => `m${String(i).padStart(5, '0')}`));
    c.server.keyspace.commitNow();
    // One batch from here on: removals and additions sit in the overlay while the picks run.
    const live = new Set(Array.from({ length: 3000 }, (_, i) => `m${String(i).padStart(5, '0')}`));
    const removed = [...live].filter((_, i) => i % 3 !== 0);
    c.call('SREM', 'big', ...removed);
    for (const m of removed) live.delete(m);
    const added = Array.from({ length: 500 }, (_, i) => `n${String(i).padStart(5, '0')}`);
    c.call('SADD', 'big', ...added);
    for (const m of added) live.add(m);
    let fresh = 0;
    for (let i = 0; i < 3000; i++) {
      const [m] = members(c.call('SRANDMEMBER', 'big'));
      expect(live.has(m as string)).toBe(true);
      if (m?.startsWith('n')) fresh++;
    }
    // A third of the 1,500 members are new: picked about a third of the time (a seek's pick is uniform
    // only roughly, by the gaps between names).
    expect(fresh).toBeGreaterThan(300);
    // SPOP down to 1,100 members (still picked by seeks), all in the batch: each member once.
    const popped = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const [m] = members(c.call('SPOP', 'big'));
      expect(live.has(m as string) && !popped.has(m as string)).toBe(true);
      popped.add(m as string);
    }
    expect(c.call('SCARD', 'big')).toBe(R.int(1100));
    expect(c.call('SMISMEMBER', 'big', ...[...popped].slice(0, 3))).toBe(
      R.array(R.int(0), R.int(0), R.int(0)),
    );
  });

  it('single random picks up to 1,024 members are uniform and read by position, pending removals skipped', () => {
    const c = context();
    // Names with very uneven gaps between them, which would skew a seek's pick.
    const names = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? `a${i}` : `z${'x'.repeat(i % 7)}${i}`,
    );
    c.call('SADD', 's', ...names);
    c.server.keyspace.commitNow();
    const walk = vi.spyOn(ks(), 'elementsOf');
    const count = (picks: number, live: readonly string[]): Map<string, number> => {
      const seen = new Map<string, number>(live.map((m) => [m, 0]));
      for (let i = 0; i < picks; i++) {
        const [m] = members(c.call('SRANDMEMBER', 's'));
        expect(seen.has(m as string)).toBe(true);
        seen.set(m as string, (seen.get(m as string) as number) + 1);
      }
      return seen;
    };
    // 100 picks expected per member, with a standard deviation near 10.
    for (const n of count(20_000, names).values()) expect(Math.abs(n - 100)).toBeLessThan(50);
    // Removals in the open batch: never picked, the others still uniform, still without a walk.
    const removed = names.filter((_, i) => i % 4 === 1);
    c.call('SREM', 's', ...removed);
    const live = names.filter((_, i) => i % 4 !== 1);
    for (const n of count(15_000, live).values()) expect(Math.abs(n - 100)).toBeLessThan(50);
    expect(walk).not.toHaveBeenCalled();
    // An addition in the open batch: read in order instead, and the new member is picked too.
    c.call('SADD', 's', 'new');
    const withNew = count(3000, [...live, 'new']);
    expect(walk).toHaveBeenCalled();
    expect(withNew.get('new')).toBeGreaterThan(0);
    // SPOP takes each member once, in the same batch, down to nothing.
    const popped = new Set<string>();
    for (let i = 0; i <= live.length; i++) popped.add(members(c.call('SPOP', 's'))[0] as string);
    expect(popped.size).toBe(live.length + 1);
    expect(c.call('SCARD', 's')).toBe(R.int(0));
    expect(c.call('SPOP', 's')).toBe(R.nil);
  });

  it('refuses SRANDMEMBER counts whose reply would be larger than proto-max-bulk-len', () => {
    const c = context();
    c.call('SADD', 's', 'a');
    expect(c.call('SRANDMEMBER', 's', '-9223372036854775807')).toBe(R.err(errorReply('valueOutOfRange')));
    c.server.config['proto-max-bulk-len'] = 60;
    expect(c.call('SRANDMEMBER', 's', '-11')).toBe(R.err(errorReply('valueOutOfRange')));
    expect(c.call('SRANDMEMBER', 's', '-10')).toBe(R.array(...new Array(10).fill(R.bulk('a'))));
    // The missing key is answered first, as redis-server does.
    expect(c.call('SRANDMEMBER', 'missing', '-9223372036854775807')).toBe(R.array());
  });

  it('single random picks past 1,024 members seek instead of reading, and still reach the whole set', () => {
    const c = context();
    const size = 3000;
    c.call('SADD', 'seek', ...Array.from({ length: size }, (_, i) => `member:${String(i).padStart(6, '0')}`));
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const [m] = members(c.call('SRANDMEMBER', 'seek'));
      expect(m).toMatch(/^member:\d{6}$/);
      seen.add(m as string);
    }
    // A uniform pick would see about 1,900 distinct members in 3,000 draws; the seek comes near that.
    expect(seen.size).toBeGreaterThan(1500);
    const popped = new Set<string>();
    for (let i = 0; i < size; i++) popped.add(members(c.call('SPOP', 'seek'))[0] as string);
    expect(popped.size).toBe(size);
    expect(c.call('SCARD', 'seek')).toBe(R.int(0));
    expect(c.call('SPOP', 'seek')).toBe(R.nil);
    // 3,000 SPOPs over writes that never commit in this context: seconds on a loaded machine.
  }, 30_000);
});
