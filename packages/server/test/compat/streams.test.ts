/**
 * Streams, differentially: each case runs on redis-server 7 and on sluice-server, in RESP2 and RESP3, and
 * the raw reply bytes must be equal. Explicit ids keep replies free of the clock (an XADD with `*` is
 * compared by its reply's shape only). Covers XADD (ids, NOMKSTREAM, MAXLEN/MINID exact and `~`, LIMIT),
 * XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, their errors, WRONGTYPE both ways, the generic commands
 * on streams, trims with `~` across many listpack nodes (which entries redis-server's nodes let go), and
 * a seeded random sequence.
 */
import { type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectIn, openPair, random } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];

const U64 = '18446744073709551615';

const CASES: Record<string, readonly Args[]> = {
  'XADD ids, XLEN, XRANGE, XREVRANGE': [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '1-*', 'b', '2'],
    ['XADD', 's', '5', 'a', '1', 'b', '2'],
    ['XADD', 's', '3', 'a', '1'],
    ['XADD', 's', '5-0', 'a', '1'],
    ['XADD', 's', '005-7', 'x', ''],
    ['XADD', 's', ' 6', 'x', 'y'],
    ['XADD', 's', '+7', 'x', 'y'],
    ['XADD', 's', '7-+1', 'x', 'y'],
    ['XADD', 's', '-8', 'x', 'y'],
    ['XADD', 's', '8-x', 'x', 'y'],
    ['XADD', 's', '8-', 'x', 'y'],
    ['XADD', 's', `${U64}0`, 'x', 'y'],
    ['XADD', 's', '0-0', 'x', 'y'],
    ['XADD', 'fresh', '0-*', 'x', 'y'],
    ['XADD', 'fresh', '0-0', 'x', 'y'],
    ['XADD', 's', '9', 'bin', '\x00\xff\r\n', 'é', ''],
    ['XADD', 's', '10', 'a'],
    ['XADD', 's', '10'],
    ['XADD', 's', 'MAXLEN', '5'],
    ['XLEN', 's'],
    ['XLEN', 'missing'],
    ['XRANGE', 's', '-', '+'],
    ['XRANGE', 's', '1', '5'],
    ['XRANGE', 's', '1-2', '5-0'],
    ['XRANGE', 's', '(1-1', '(5-0'],
    ['XRANGE', 's', '(1', '+'],
    ['XRANGE', 's', '(-', '+'],
    ['XRANGE', 's', '-', '(+'],
    ['XRANGE', 's', `(${U64}-${U64}`, '+'],
    ['XRANGE', 's', '-', '(0-0'],
    ['XRANGE', 's', '-', '(0'],
    ['XRANGE', 's', '5', '1'],
    ['XRANGE', 's', '-', '+', 'COUNT', '2'],
    ['XRANGE', 's', '-', '+', 'COUNT', '0'],
    ['XRANGE', 's', '-', '+', 'COUNT', '-3'],
    ['XRANGE', 's', '-', '+', 'COUNT'],
    ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
    ['XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '3'],
    ['XRANGE', 's', '-', '+', 'LIMIT', '1'],
    ['XRANGE', 's', 'x', '+'],
    ['XRANGE', 's', '-', 'x'],
    ['XRANGE', 'missing', '-', '+'],
    ['XRANGE', 'missing', '-', '+', 'COUNT', '0'],
    ['XRANGE', 'missing', 'x', '+'],
    ['XREVRANGE', 's', '+', '-'],
    ['XREVRANGE', 's', '+', '-', 'COUNT', '1'],
    ['XREVRANGE', 's', '5', '1'],
    ['XREVRANGE', 's', '(5', '(1-1'],
    ['XREVRANGE', 's', '1', '5'],
    ['XREVRANGE', 's', '+', '-', 'COUNT', '0'],
    ['XREVRANGE', 'missing', '+', '-'],
  ],
  'XADD with NOMKSTREAM, MAXLEN and MINID, and their errors': [
    ['XADD', 'n', 'NOMKSTREAM', '1', 'a', 'b'],
    ['EXISTS', 'n'],
    ['XADD', 'n', '1', 'a', 'b'],
    ['XADD', 'n', 'NOMKSTREAM', '2', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '2', '3', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '=', '1', '4', 'a', 'b'],
    ['XRANGE', 'n', '-', '+'],
    ['XADD', 'n', 'MINID', '5', '5', 'a', 'b'],
    ['XADD', 'n', 'MINID', '=', '6', '6', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '0', '7', 'a', 'b'],
    ['XLEN', 'n'],
    ['EXISTS', 'n'],
    ['XADD', 'n', 'MAXLEN', '-1', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', 'x', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '1', 'MINID', '1', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '1', 'MAXLEN', '1', '8', 'a', 'b'],
    ['XADD', 'n', 'MINID', '-', '8', 'a', 'b'],
    ['XADD', 'n', 'MINID', 'x', '8', 'a', 'b'],
    ['XADD', 'n', 'LIMIT', '5', '8', 'a', 'b'],
    ['XADD', 'n', 'LIMIT', '0', '8', 'a', 'b'],
    ['XADD', 'n', 'LIMIT', '-1', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '5', 'LIMIT', '5', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '~', '5', 'LIMIT', '5', '8', 'a', 'b'],
    ['XADD', 'n', 'MAXLEN', '~', '0', 'LIMIT', '0', '9', 'a', 'b'],
    ['XADD', 'n', 'maxlen', '~', '0', '10', 'a', 'b'],
    ['XADD', 'n', 'NOMKSTREAM', 'NOMKSTREAM', '11', 'a', 'b'],
    ['XADD', 'n', 'FOO', 'a', 'b'],
    ['XADD', 'n', '12', 'a', 'b', 'c'],
    ['XADD', 'n', 'MAXLEN'],
    ['XADD', 'n', 'MAXLEN', '~'],
    ['XLEN', 'n'],
  ],
  'XDEL, XTRIM and XSETID, and an empty stream stays': [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'a', '2'],
    ['XADD', 's', '3-1', 'a', '3'],
    ['XDEL', 's', '1-1', '9-9'],
    ['XDEL', 's', '1-1'],
    ['XDEL', 's', '-'],
    ['XDEL', 's', '2-1', 'x'],
    ['XLEN', 's'],
    ['XDEL', 'missing', '1-1'],
    ['XDEL', 'missing', 'x'],
    ['XTRIM', 's', 'MAXLEN', '1'],
    ['XRANGE', 's', '-', '+'],
    ['XTRIM', 's', 'MINID', '4'],
    ['XLEN', 's'],
    ['EXISTS', 's'],
    ['TYPE', 's'],
    ['XRANGE', 's', '-', '+'],
    ['XTRIM', 's', 'FOO', '1'],
    ['XTRIM', 's', 'MAXLEN', '1', 'FOO'],
    ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', '1'],
    ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '1'],
    ['XTRIM', 's', 'NOMKSTREAM', '1'],
    ['XTRIM', 'missing', 'MAXLEN', '1'],
    ['XTRIM', 'missing', 'FOO', '1'],
    ['XADD', 's', '3-*', 'a', '1'],
    ['XADD', 's', '3-1', 'a', '1'],
    ['XSETID', 's', '2'],
    ['XSETID', 's', '10'],
    ['XADD', 's', '10-*', 'a', '1'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '0'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '-1'],
    ['XSETID', 's', '20', 'ENTRIESADDED', 'x'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '9', 'MAXDELETEDID', '21'],
    ['XSETID', 's', '20', 'ENTRIESADDED', '9', 'MAXDELETEDID', '15'],
    ['XSETID', 's', '14'],
    ['XSETID', 's', '20', 'MAXDELETEDID', '-'],
    ['XSETID', 's', '-'],
    ['XSETID', 's', '20', 'FOO', '1'],
    ['XSETID', 's', '20', 'ENTRIESADDED'],
    ['XSETID', 'missing', '1'],
    ['XSETID', 's', `${U64}-${U64}`],
    ['XADD', 's', '*', 'a', '1'],
    ['XADD', 's', `${U64}-*`, 'a', '1'],
    ['XRANGE', 's', '-', '+'],
  ],
  'WRONGTYPE both ways, and the generic commands on streams': [
    ['SET', 'str', 'x'],
    ['XADD', 'str', '1', 'a', 'b'],
    ['XLEN', 'str'],
    ['XRANGE', 'str', '-', '+'],
    ['XREVRANGE', 'str', '+', '-'],
    ['XDEL', 'str', '1'],
    ['XTRIM', 'str', 'MAXLEN', '1'],
    ['XSETID', 'str', '1'],
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'b', '2'],
    ['GET', 's'],
    ['LPUSH', 's', 'x'],
    ['HSET', 's', 'a', 'b'],
    ['ZADD', 's', '1', 'a'],
    ['SADD', 's', 'a'],
    ['SORT', 's'],
    ['TYPE', 's'],
    ['OBJECT', 'ENCODING', 's'],
    ['COPY', 's', 'c'],
    ['XRANGE', 'c', '-', '+'],
    ['XADD', 'c', '3-1', 'c', '3'],
    ['XLEN', 's'],
    ['RENAME', 'c', 'd'],
    ['XRANGE', 'd', '-', '+'],
    ['MOVE', 'd', '1'],
    ['EXISTS', 'd'],
    ['EXPIRE', 's', '100'],
    ['TTL', 's'],
    ['SCAN', '0', 'TYPE', 'stream'],
    ['XDEL', 's', '1-1', '2-1'],
    ['COPY', 's', 'e'],
    ['TYPE', 'e'],
    ['XADD', 'e', '2-1', 'a', 'b'],
    ['XADD', 'e', '2-2', 'a', 'b'],
    ['UNLINK', 's'],
    ['DEL', 'e'],
    ['EXISTS', 's', 'e'],
    ['SELECT', '1'],
    ['XRANGE', 'd', '-', '+'],
    ['FLUSHDB'],
  ],
};

describe('streams against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      [r, s] = await openPair(redis, sluice, proto);
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    async function compare(step: Args, label: unknown = undefined): Promise<void> {
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      expect({ label, step, reply: actual }).toEqual({ label, step, reply: expected });
    }

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of steps) await compare(step);
    });

    it('XADD * answers a new id after the last one, from the clock', async () => {
      await compare(['XADD', 't', '5-5', 'a', '1']);
      const id = (await s.call('XADD', 't', '*', 'a', '2')).split('\r\n')[1] as string;
      const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
      expect(ms).toBeGreaterThan(BigInt(Date.now() - 60_000));
      expect(seq).toBe(0n);
      await compare(['XADD', 'u', `${Date.now() + 3_600_000}-${U64}`, 'a', '1']);
      const next = await s.call('XADD', 'u', '*', 'a', '2');
      expect(next).toMatch(/^\$\d+\r\n\d+-0\r\n$/);
    });

    it('trims with ~ remove the whole listpack nodes redis-server removes', async () => {
      const steps: Args[] = [];
      for (let i = 1; i <= 250; i++) steps.push(['XADD', 's', `${i}-1`, 'f', String(i)]);
      steps.push(
        ['XADD', 's', 'MAXLEN', '~', '200', '251-1', 'f', 'v'],
        ['XTRIM', 's', 'MAXLEN', '~', '120'],
        ['XTRIM', 's', 'MAXLEN', '~', '50', 'LIMIT', '100'],
        ['XTRIM', 's', 'MAXLEN', '~', '10', 'LIMIT', '20'],
        ['XDEL', 's', '201-1', '202-1'],
        ['XTRIM', 's', 'MINID', '~', '230'],
        ['XTRIM', 's', 'MINID', '240'],
        ['XRANGE', 's', '-', '+', 'COUNT', '3'],
      );
      // Other fields than the master entry's, and entries big enough to fill nodes by bytes.
      for (let i = 300; i <= 420; i++) steps.push(['XADD', 's', `${i}-1`, 'g', String(i), 'h', 'x']);
      steps.push(['XTRIM', 's', 'MAXLEN', '~', '100'], ['XADD', 's', 'MAXLEN', '~', '5', '500-1', 'f', 'v']);
      for (let i = 600; i <= 700; i++) steps.push(['XADD', 'big', `${i}-1`, 'f', 'x'.repeat(100 + (i % 7))]);
      steps.push(['XTRIM', 'big', 'MAXLEN', '~', '40'], ['XTRIM', 'big', 'MINID', '~', '680']);
      for (const step of steps) {
        await compare(step);
        if (step[0] !== 'XADD') {
          await compare(['XLEN', step[1] as string]);
          await compare(['XRANGE', step[1] as string, '-', '+', 'COUNT', '1']);
        }
      }
    });

    it('XREAD: options, errors, $ and COUNT', async () => {
      for (const step of [
        ['XREAD', 'COUNT', '1', 'STREAMS', 's', 'x', '1'],
        ['XREAD', 'STREAMS', 's', '>'],
        ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'],
        ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'],
        ['XREAD', 'FOO', 'STREAMS', 's', '0'],
        ['XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'],
        ['XREAD', 'STREAMS', 's', '0'],
        ['XADD', 's', '1-1', 'a', '1'],
        ['XADD', 's', '2-1', 'b', '2'],
        ['XADD', 't', '1-1', 'a', '1'],
        ['XREAD', 'STREAMS', 's', 't', '0', '0'],
        ['XREAD', 'COUNT', '1', 'STREAMS', 's', 't', '1-1', '0'],
        ['XREAD', 'STREAMS', 's', 't', '$', '$'],
        ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'],
        ['XREAD', 'STREAMS', 's', '-'],
        ['XREAD', 'STREAMS', 's', '+'],
        ['XREAD', 'STREAMS', 's', '(1'],
        ['SET', 'str', 'x'],
        ['XREAD', 'STREAMS', 's', 'str', '0', '0'],
        ['XREAD', 'STREAMS', 'nokey', 's', '0', '0'],
        ['XREAD', 'COUNT', '0', 'STREAMS', 's', '0'],
        ['XREAD', 'COUNT', '-1', 'STREAMS', 's', '0'],
        ['XDEL', 's', '2-1'],
        ['XREAD', 'STREAMS', 's', '1-1'],
        ['EVAL', "return redis.call('xread','block','0','streams','s','0')", '0'],
        ['EVAL', "return redis.call('xread','streams','s','0')", '0'],
        ['MULTI'],
        ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
        ['EXEC'],
      ] as const)
        await compare(step);
    });

    it('a blocked XREAD wakes on XADD from another connection, from MULTI/EXEC and from a script', async () => {
      const [r2, s2, r3, s3] = await Promise.all([
        connectIn(redis, proto),
        connectIn(sluice, proto),
        connectIn(redis, proto),
        connectIn(sluice, proto),
      ]);
      try {
        for (const writes of [
          [
            ['XADD', 'w2', '5-1', 'a', 'b'],
            ['XADD', 'w2', '6-1', 'c', 'd'],
          ],
          [['MULTI'], ['XADD', 'w', '7-1', 'a', 'b'], ['XADD', 'w2', '7-1', 'c', 'd'], ['EXEC']],
          [['EVAL', "return redis.call('XADD', KEYS[1], '8-1', 'x', 'y')", '1', 'w']],
        ]) {
          const waiting = [
            r2.call('XREAD', 'BLOCK', '5000', 'STREAMS', 'w', 'w2', '$', '$'),
            s2.call('XREAD', 'BLOCK', '5000', 'STREAMS', 'w', 'w2', '$', '$'),
            r3.call('XREAD', 'BLOCK', '5000', 'COUNT', '1', 'STREAMS', 'w2', '0'),
            s3.call('XREAD', 'BLOCK', '5000', 'COUNT', '1', 'STREAMS', 'w2', '0'),
          ];
          await new Promise((done) => setTimeout(done, 100));
          for (const step of writes) await compare(step);
          const [a, b, c, d] = await Promise.all(waiting);
          expect(b).toBe(a);
          expect(d).toBe(c);
        }
        // A timeout replies a null array.
        const [a, b] = await Promise.all([
          r2.call('XREAD', 'BLOCK', '50', 'STREAMS', 'none', '$'),
          s2.call('XREAD', 'BLOCK', '50', 'STREAMS', 'none', '$'),
        ]);
        expect(b).toBe(a);
      } finally {
        await Promise.all([r2.close(), s2.close(), r3.close(), s3.close()]);
      }
    });

    it('a seeded random sequence leaves both servers with the same streams', async () => {
      const rand = random(proto === 2 ? 20261206 : 31);
      const keys = ['k0', 'k1'];
      const id = (): string => `${rand.below(60)}-${rand.below(3)}`;
      const bound = (): string => rand.pick(['-', '+', '(', '']) + id();
      const clean = (b: string): string => (b === '-' + id() || b === '+' + id() ? id() : b);
      let ms = 1;
      for (let i = 0; i < 300; i++) {
        const key = rand.pick(keys);
        ms += rand.below(3);
        const ops: Args[] = [
          ['XADD', key, `${ms}-*`, 'f', String(i)],
          ['XADD', key, `${ms}-${rand.below(4)}`, rand.pick(['f', 'g']), String(i)],
          [
            'XADD',
            key,
            'MAXLEN',
            rand.pick(['=', '~']),
            String(rand.below(20)),
            '*'.replace('*', `${ms}-*`),
            'f',
            'v',
          ],
          ['XDEL', key, id(), id()],
          ['XTRIM', key, 'MINID', id()],
          ['XTRIM', key, 'MAXLEN', String(rand.below(30))],
          ['XRANGE', key, clean(bound()), clean(bound()), 'COUNT', String(rand.below(5))],
          ['XREVRANGE', key, clean(bound()), clean(bound())],
          ['XLEN', key],
        ];
        await compare(rand.pick(ops), i);
        if (i % 10 === 0) for (const k of keys) await compare(['XRANGE', k, '-', '+'], { i, k });
      }
    });
  });
});
