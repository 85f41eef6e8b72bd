/**
 * Sorted-set operations, differentially: ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and
 * ZINTERCARD run on redis-server 7.0.15 and on sluice-server, in RESP2 and RESP3, and the raw reply bytes
 * must be equal. Covers WEIGHTS and AGGREGATE, plain sets as inputs (their members score 1), the NaN that
 * 0 × inf and inf - inf give (redis-server counts it as 0, or ignores it in MIN and MAX), the order of a
 * sum's additions (inputs from the smallest, those of a size in the order given), the errors and their
 * order, what a stored result becomes (encoding, -0 kept or not, TTL dropped, an empty result deleting
 * the destination), large inputs (many tree nodes), and a seeded random sequence on both servers.
 * Then DUMP and RESTORE of sorted sets: payloads byte for byte redis-server's (listpack, type 17, and
 * skiplist, type 5; redis-server asked not to compress them with LZF, whose output is not reproducible),
 * each server's payloads restored on the other with the same members, scores, encoding and TTL, the
 * conversions on load, the older types 3 (text scores) and 12 (ziplist), and malformed payloads
 * (redis-server checking them whole: sanitize-dump-payload yes, as Sluice always does).
 *
 * Every reply here has redis-server's order: the result of these commands is a skiplist, listed by score
 * then member, whatever order the inputs were read in.
 */
import { type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeLength, encodeString, withFooter } from '../../src/rdb.js';
import { openPair, random } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];

/** Sorted sets and sets most cases start from. */
const FILL: readonly Args[] = [
  ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'],
  ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'],
  ['ZADD', 'c', '0.1', 'z', '-1', 'v'],
  ['SADD', 'si', '1', '2', '3'],
  ['SADD', 'sh', 'x', 'w', 'u'],
  ['ZADD', 'inf', 'inf', 'x', '5', 'y', '-inf', 'z'],
  ['ZADD', 'pinf', 'inf', 'x', 'inf', 'y', 'inf', 'z'],
  ['SET', 'str', 'v'],
];

const CASES: Record<string, readonly Args[]> = {
  'ZUNION, ZINTER, ZDIFF with and without WITHSCORES': [
    ['ZUNION', '2', 'a', 'b'],
    ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 'c', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b'],
    ['ZINTER', '2', 'a', 'b', 'WITHSCORES'],
    ['ZINTER', '3', 'a', 'b', 'c', 'WITHSCORES'],
    ['ZDIFF', '2', 'a', 'b'],
    ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'],
    ['ZDIFF', '2', 'b', 'a', 'WITHSCORES'],
    ['ZDIFF', '3', 'b', 'a', 'c', 'WITHSCORES'],
    ['ZDIFF', '1', 'a', 'WITHSCORES'],
    ['ZUNION', '1', 'a', 'withscores', 'WITHSCORES'],
    ['zinter', '1', 'a', 'weights', '2', 'aggregate', 'max', 'withscores'],
  ],
  'WEIGHTS and AGGREGATE SUM, MIN, MAX (the last of each wins)': [
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'max', 'AGGREGATE', 'sum', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '1', 'WEIGHTS', '-1', '3', 'WITHSCORES'],
    ['ZUNION', '3', 'a', 'b', 'c', 'WEIGHTS', '-1', '0', '1e3', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '-1', '-1', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'b', 'WITHSCORES', 'WEIGHTS', '0x10', '1e-3'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', 'inf', '-inf', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1.5e308', '1.5e308', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'a', 'WITHSCORES'],
    ['ZINTER', '3', 'a', 'b', 'a', 'WEIGHTS', '1', '2', '3', 'WITHSCORES'],
    ['ZUNION', '2', 'a', 'a', 'WEIGHTS', '1', '2', 'WITHSCORES'],
  ],
  'plain sets as inputs, their members scoring 1; missing keys are empty': [
    ['ZUNION', '2', 'a', 'si', 'WITHSCORES'],
    ['ZUNION', '3', 'si', 'sh', 'b', 'WEIGHTS', '2', '3', '1', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'sh', 'WITHSCORES'],
    ['ZINTER', '2', 'sh', 'b', 'WEIGHTS', '5', '1', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'si', 'si', 'WITHSCORES'],
    ['ZDIFF', '2', 'sh', 'a', 'WITHSCORES'],
    ['ZDIFF', '2', 'a', 'sh', 'WITHSCORES'],
    ['ZDIFF', '2', 'si', 'sh', 'WITHSCORES'],
    ['ZINTERCARD', '2', 'sh', 'a'],
    ['ZUNION', '2', 'a', 'missing', 'WITHSCORES'],
    ['ZUNION', '2', 'missing', 'missing2', 'WITHSCORES'],
    ['ZINTER', '2', 'a', 'missing', 'WITHSCORES'],
    ['ZDIFF', '2', 'a', 'missing', 'WITHSCORES'],
    ['ZDIFF', '2', 'missing', 'a', 'WITHSCORES'],
    ['ZINTERCARD', '2', 'a', 'missing'],
    ['ZUNIONSTORE', 'd', '2', 'si', 'sh'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['TYPE', 'd'],
  ],
  'ZDIFF: the first key given again gives nothing': [
    ['ZDIFF', '2', 'a', 'a'],
    ['ZDIFF', '3', 'a', 'b', 'a', 'WITHSCORES'],
    ['ZDIFF', '2', 'b', 'a', 'WITHSCORES'],
    ['ZDIFFSTORE', 'd', '2', 'a', 'a'],
    ['EXISTS', 'd'],
  ],
  'NaN from 0 × inf and inf - inf counts as 0 (sums), or is ignored (ZINTER MIN and MAX)': [
    ['ZUNION', '2', 'inf', 'pinf', 'WEIGHTS', '0', '1', 'WITHSCORES'],
    ['ZUNION', '2', 'inf', 'pinf', 'WEIGHTS', '1', '0', 'WITHSCORES'],
    ['ZUNION', '2', 'inf', 'pinf', 'WEIGHTS', '1', '-1', 'WITHSCORES'],
    ['ZUNION', '3', 'inf', 'pinf', 'sh', 'WEIGHTS', '1', '-1', '2', 'WITHSCORES'],
    ['ZUNION', '3', 'inf', 'pinf', 'sh', 'WEIGHTS', '1', '-1', '2', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZUNION', '3', 'inf', 'pinf', 'sh', 'WEIGHTS', '1', '-1', '2', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZUNION', '2', 'inf', 'pinf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'pinf', 'WEIGHTS', '0', '1', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'pinf', 'WEIGHTS', '1', '0', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'pinf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'pinf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'pinf', 'WEIGHTS', '0', '1', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'pinf', 'WEIGHTS', '1', '-1', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'inf', 'WEIGHTS', '1', '0', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'inf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MIN', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'inf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZINTER', '2', 'inf', 'inf', 'WEIGHTS', '0', '1', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZINTERSTORE', 'd', '2', 'inf', 'pinf', 'WEIGHTS', '1', '0'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZDIFF', '2', 'inf', 'a', 'WITHSCORES'],
  ],
  'a sum adds the inputs from the smallest, those of one size in the order given': [
    ['ZADD', 'one', '1', 'x'],
    ['ZADD', 'one2', '1', 'x'],
    ['ZADD', 'big', '1e16', 'x', '0', 'pad'],
    ['ZADD', 'big1', '1e16', 'x'],
    ['ZUNION', '3', 'one', 'one2', 'big1', 'WITHSCORES'],
    ['ZUNION', '3', 'big1', 'one', 'one2', 'WITHSCORES'],
    ['ZUNION', '3', 'big', 'one', 'one2', 'WITHSCORES'],
    ['ZINTER', '3', 'big1', 'one', 'one2', 'WITHSCORES'],
    ['ZINTER', '3', 'one', 'one2', 'big1', 'WITHSCORES'],
    ['ZINTER', '3', 'big', 'one', 'one2', 'WITHSCORES'],
  ],
  'scores: -0, tiny, huge, and members of any bytes': [
    ['ZADD', 'p', '0', 'zero', '5', 'five', '1e-310', 'tiny', '1.7976931348623157e308', 'max'],
    ['ZINTER', '1', 'p', 'WEIGHTS', '-1', 'WITHSCORES'],
    ['ZUNION', '1', 'p', 'WEIGHTS', '2', 'WITHSCORES'],
    ['ZUNION', '2', 'p', 'p', 'WITHSCORES'],
    ['ZADD', 'bin', '1', '\x00\xff\r\n', '2', 'é', '3', ''],
    ['ZUNION', '2', 'bin', 'p', 'WITHSCORES'],
    ['ZINTER', '2', 'bin', 'bin', 'WITHSCORES'],
  ],
  'ZINTERCARD and LIMIT': [
    ['ZINTERCARD', '2', 'a', 'b'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '2'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '100'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1', 'limit', '0'],
    ['ZINTERCARD', '1', 'a'],
    ['ZINTERCARD', '2', 'a', 'a', 'LIMIT', '2'],
    ['ZINTERCARD', '2', 'si', 'si'],
    ['ZINTERCARD', '1', 'missing'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1.5'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT'],
    ['ZINTERCARD', '2', 'a', 'b', 'WEIGHTS', '1', '1'],
    ['ZINTERCARD', '2', 'a', 'b', 'AGGREGATE', 'MIN'],
    ['ZINTERCARD', '2', 'a', 'b', 'WITHSCORES'],
    ['ZINTERCARD', '2', 'a', 'str', 'LIMIT', 'x'],
    ['ZINTERCARD', '0', 'a'],
    ['ZINTERCARD', '3', 'a', 'b'],
  ],
  'numkeys errors, WRONGTYPE before the options, option errors': [
    ['ZUNION', '0', 'a'],
    ['ZINTER', '-1', 'a'],
    ['ZDIFF', '0', 'a'],
    ['ZUNIONSTORE', 'd', '0', 'a'],
    ['ZINTERSTORE', 'd', '-5', 'a'],
    ['ZDIFFSTORE', 'd', '0', 'a'],
    ['ZUNION', 'x', 'a'],
    ['ZUNION', '1.0', 'a'],
    ['ZUNION', '9223372036854775808', 'a'],
    ['ZUNIONSTORE', 'd', 'x', 'a'],
    ['ZUNION', '3', 'a', 'b'],
    ['ZUNION', '9223372036854775807', 'a'],
    ['ZINTERSTORE', 'd', '2', 'a'],
    ['ZDIFFSTORE', 'd', '3', 'a', 'b'],
    ['ZUNION', '2', 'a', 'str'],
    ['ZUNION', '2', 'a', 'str', 'BADOPTION'],
    ['ZINTER', '2', 'str', 'missing', 'WEIGHTS', 'x'],
    ['ZUNIONSTORE', 'd', '1', 'str'],
    ['ZDIFF', '2', 'missing', 'str'],
    ['ZUNION', '1', 'a', 'WEIGHTS', 'x'],
    ['ZUNION', '1', 'a', 'WEIGHTS', 'nan'],
    ['ZUNION', '1', 'a', 'WEIGHTS', ' 1'],
    ['ZUNION', '1', 'a', 'WEIGHTS', '1 '],
    ['ZUNION', '1', 'a', 'WEIGHTS', ''],
    ['ZUNION', '1', 'a', 'WEIGHTS', '1e400'],
    ['ZUNION', '1', 'a', 'WEIGHTS', '1e-400'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'x'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '2', '3'],
    ['ZUNION', '1', 'a', 'AGGREGATE'],
    ['ZUNION', '1', 'a', 'AGGREGATE', 'AVG'],
    ['ZUNION', '1', 'a', 'AGGREGATE', 'SUM', 'x'],
    ['ZUNION', '1', 'a', 'LIMIT', '1'],
    ['ZDIFF', '1', 'a', 'WEIGHTS', '1'],
    ['ZDIFF', '1', 'a', 'AGGREGATE', 'MIN'],
    ['ZUNIONSTORE', 'd', '1', 'a', 'WITHSCORES'],
    ['ZINTERSTORE', 'd', '1', 'a', 'WEIGHTS', '1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'd', '1', 'a', 'WITHSCORES'],
    ['EXISTS', 'd'],
    ['ZUNION', '1'],
    ['ZUNIONSTORE', 'd', '1'],
    ['ZINTERCARD', '1'],
  ],
  'STORE: replaces any type, drops the TTL, may be one of its inputs, deletes on empty': [
    ['SET', 'dst', 'v', 'EX', '100'],
    ['ZUNIONSTORE', 'dst', '2', 'a', 'b'],
    ['TYPE', 'dst'],
    ['TTL', 'dst'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['EXPIRE', 'dst', '100'],
    ['ZINTERSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2', 'AGGREGATE', 'MAX'],
    ['TTL', 'dst'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'dst', '2', 'b', 'a'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'a2', '1', 'a'],
    ['ZUNIONSTORE', 'a2', '2', 'a2', 'b', 'WEIGHTS', '2', '1'],
    ['ZRANGE', 'a2', '0', '-1', 'WITHSCORES'],
    ['ZINTERSTORE', 'a2', '2', 'a2', 'c'],
    ['ZRANGE', 'a2', '0', '-1', 'WITHSCORES'],
    ['ZDIFFSTORE', 'a2', '2', 'a2', 'c'],
    ['EXISTS', 'a2'],
    ['ZINTERSTORE', 'dst', '2', 'a', 'missing'],
    ['EXISTS', 'dst'],
    ['ZINTERSTORE', 'dst', '2', 'a', 'missing'],
    ['SET', 'dst', 'v'],
    ['ZUNIONSTORE', 'dst', '1', 'missing'],
    ['EXISTS', 'dst'],
    ['ZDIFFSTORE', 'si2', '2', 'si', 'missing'],
    ['ZRANGE', 'si2', '0', '-1', 'WITHSCORES'],
    ['ZUNIONSTORE', 'str', '1', 'a'],
    ['TYPE', 'str'],
  ],
  'a stored result is a listpack or a skiplist as redis-server converts it, -0 kept only in a skiplist': [
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '8'],
    ['ZUNIONSTORE', 'd1', '1', 'a'],
    ['OBJECT', 'ENCODING', 'd1'],
    ['ZUNIONSTORE', 'd2', '2', 'a', 'b'],
    ['OBJECT', 'ENCODING', 'd2'],
    ['ZADD', 'long', '1', 'x', '2', 'a-long-member'],
    ['OBJECT', 'ENCODING', 'long'],
    ['ZINTERSTORE', 'd3', '2', 'a', 'long'],
    ['OBJECT', 'ENCODING', 'd3'],
    ['ZDIFFSTORE', 'd4', '2', 'long', 'a'],
    ['OBJECT', 'ENCODING', 'd4'],
    ['ZADD', 'p', '0', 'p0', '1', 'p1', '2', 'p2', '3', 'p3'],
    ['OBJECT', 'ENCODING', 'p'],
    ['ZINTERSTORE', 'neg', '1', 'p', 'WEIGHTS', '-1'],
    ['OBJECT', 'ENCODING', 'neg'],
    ['ZSCORE', 'neg', 'p0'],
    ['ZRANGE', 'neg', '0', '-1', 'WITHSCORES'],
    // -0 first: a rank range longer than zset-max-listpack-entries is a skiplist from the start.
    ['ZADD', 'q', '0', 'q0', '-1', 'q1', '-2', 'q2', '-3', 'q3'],
    ['ZINTERSTORE', 'negq', '1', 'q', 'WEIGHTS', '-1'],
    ['ZRANGE', 'negq', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'neg2', 'negq', '0', '-1'],
    ['ZSCORE', 'neg2', 'q0'],
    ['ZRANGESTORE', 'neg3', 'negq', '-inf', '+inf', 'BYSCORE'],
    ['ZSCORE', 'neg3', 'q0'],
    ['ZRANGESTORE', 'neg4', 'negq', '0', '2'],
    ['ZSCORE', 'neg4', 'q0'],
    ['ZRANGESTORE', 'neg4', 'negq', '0', '-1', 'REV'],
    ['ZSCORE', 'neg4', 'q0'],
    ['ZINTERSTORE', 'neg5', '1', 'p', 'WEIGHTS', '-1', 'AGGREGATE', 'MIN'],
    ['ZREMRANGEBYRANK', 'neg5', '0', '0'],
    ['ZINTERSTORE', 'neg6', '1', 'neg5'],
    ['OBJECT', 'ENCODING', 'neg6'],
    ['ZSCORE', 'neg6', 'p0'],
    ['ZUNION', '1', 'neg6', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
    ['ZINTERSTORE', 'neg7', '1', 'p', 'WEIGHTS', '-1'],
    ['OBJECT', 'ENCODING', 'neg7'],
    ['ZSCORE', 'neg7', 'p0'],
    ['ZUNIONSTORE', 'back', '1', 'd2'],
    ['OBJECT', 'ENCODING', 'back'],
  ],
};

/** The encoding settings redis-server starts with, set again before each test. */
const LISTPACK_DEFAULTS: readonly Args[] = [
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
];

describe('sorted-set operations against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
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
      [r, s] = await openPair(redis, sluice, proto, LISTPACK_DEFAULTS);
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    async function compare(step: Args, label: unknown = undefined): Promise<string> {
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      expect({ label, step, reply: actual }).toEqual({ label, step, reply: expected });
      return actual;
    }

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of [...FILL, ...steps]) await compare(step);
    });

    it('large inputs: unions, intersections and differences of many tree nodes agree', async () => {
      const rand = random(proto === 2 ? 31 : 32);
      // Three sorted sets and a set of a few thousand members each, overlapping, scores often equal.
      for (const key of ['l1', 'l2', 'l3']) {
        for (let b = 0; b < 10; b++) {
          const args = ['ZADD', key];
          for (let k = 0; k < 200; k++) args.push(String(rand.below(400) - 200), `m${rand.below(5000)}`);
          await compare(args, key);
        }
      }
      const members = ['SADD', 'ls'];
      for (let k = 0; k < 1500; k++) members.push(`m${rand.below(5000)}`);
      await compare(members);
      for (const step of [
        ['ZUNION', '3', 'l1', 'l2', 'l3', 'WITHSCORES'],
        [
          'ZUNION',
          '4',
          'l1',
          'ls',
          'l2',
          'l3',
          'WEIGHTS',
          '1',
          '-2',
          '0.5',
          '3',
          'AGGREGATE',
          'MIN',
          'WITHSCORES',
        ],
        ['ZINTER', '2', 'l1', 'l2', 'WITHSCORES'],
        ['ZINTER', '3', 'ls', 'l3', 'l1', 'AGGREGATE', 'MAX', 'WITHSCORES'],
        ['ZDIFF', '2', 'l1', 'l2', 'WITHSCORES'],
        ['ZDIFF', '3', 'l3', 'ls', 'l1', 'WITHSCORES'],
        ['ZDIFF', '2', 'ls', 'l1', 'WITHSCORES'],
        ['ZINTERCARD', '3', 'l1', 'l2', 'l3'],
        ['ZINTERCARD', '3', 'l1', 'l2', 'ls', 'LIMIT', '50'],
        ['ZINTERCARD', '2', 'l1', 'l2', 'LIMIT', '300'],
        ['ZINTERCARD', '2', 'ls', 'l3', 'LIMIT', '129'],
        ['ZUNIONSTORE', 'u', '3', 'l1', 'l2', 'l3', 'WEIGHTS', '1', '2', '3'],
        ['OBJECT', 'ENCODING', 'u'],
        ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'],
        ['ZINTERSTORE', 'i', '2', 'l1', 'ls'],
        ['OBJECT', 'ENCODING', 'i'],
        ['ZRANGE', 'i', '0', '-1', 'WITHSCORES'],
        ['ZDIFFSTORE', 'df', '2', 'l2', 'l3'],
        ['OBJECT', 'ENCODING', 'df'],
        ['ZRANGE', 'df', '0', '-1', 'WITHSCORES'],
        ['ZRANK', 'u', 'm77'],
        ['ZCOUNT', 'u', '-100', '100'],
      ] as const) {
        await compare(step);
      }
    });

    it('a seeded random sequence leaves both servers with the same sorted sets', async () => {
      const rand = random(proto === 2 ? 909 : 910);
      const keys = ['k0', 'k1', 'k2', 's0'];
      const members = ['a', 'b', 'c', 'd', '1', '2', '', 'L'.repeat(70)];
      const member = (): string => rand.pick(members);
      const score = (): string => rand.pick(['0', '1', '-1', '2.5', '-inf', '+inf', '0.1', '3']);
      const weight = (): string => rand.pick(['1', '0', '-1', '2', '0.5', 'inf', '-inf']);
      const keysOf = (n: number): string[] => Array.from({ length: n }, () => rand.pick(keys));
      for (let i = 0; i < 300; i++) {
        const n = 1 + rand.below(3);
        const inputs = keysOf(n);
        const weights = rand.below(2) === 0 ? [] : ['WEIGHTS', ...inputs.map(weight)];
        const aggregate = rand.below(2) === 0 ? [] : ['AGGREGATE', rand.pick(['SUM', 'MIN', 'MAX'])];
        const dst = rand.pick(keys.slice(0, 3));
        const ops: Args[] = [
          ['ZADD', rand.pick(keys.slice(0, 3)), score(), member(), score(), member()],
          ['ZREM', rand.pick(keys.slice(0, 3)), member()],
          ['SADD', 's0', member()],
          ['SREM', 's0', member()],
          ['ZUNION', String(n), ...inputs, ...weights, ...aggregate, 'WITHSCORES'],
          ['ZINTER', String(n), ...inputs, ...weights, ...aggregate, 'WITHSCORES'],
          ['ZDIFF', String(n), ...inputs, 'WITHSCORES'],
          ['ZINTERCARD', String(n), ...inputs, 'LIMIT', String(rand.below(3))],
          ['ZUNIONSTORE', dst, String(n), ...inputs, ...weights, ...aggregate],
          ['ZINTERSTORE', dst, String(n), ...inputs, ...weights, ...aggregate],
          ['ZDIFFSTORE', dst, String(n), ...inputs],
        ];
        await compare(rand.pick(ops), i);
        for (const k of keys.slice(0, 3)) {
          await compare(['ZRANGE', k, '0', '-1', 'WITHSCORES'], { i, k });
          await compare(['OBJECT', 'ENCODING', k], { i, k });
        }
      }
    });
  });

  describe.each([2, 3] as const)('DUMP and RESTORE of sorted sets, RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      [r, s] = await openPair(redis, sluice, proto, [...LISTPACK_DEFAULTS, ...DUMP_FILL]);
      return async () => {
        await r.call('CONFIG', 'SET', 'rdbcompression', 'yes');
        await r.call('CONFIG', 'SET', 'sanitize-dump-payload', 'no');
        await Promise.all([r.close(), s.close()]);
      };
    });

    /** How a sorted set reads on a server: members and scores in order, encoding, size, TTL band. */
    async function describeZset(c: RawClient, key: string): Promise<unknown> {
      const ttl = Number(/^:(-?\d+)/.exec(await c.call('TTL', key))?.[1]);
      return {
        range: await c.call('ZRANGE', key, '0', '-1', 'WITHSCORES'),
        encoding: await c.call('OBJECT', 'ENCODING', key),
        card: await c.call('ZCARD', key),
        ttl: ttl > 0 ? 'set' : ttl,
      };
    }

    it('payloads are byte for byte redis-server’s when it does not compress them', async () => {
      // A listpack of at most 20 bytes is never compressed: the default setting gives the same bytes.
      expect(await s.call('DUMP', 'tiny')).toEqual(await r.call('DUMP', 'tiny'));
      await r.call('CONFIG', 'SET', 'rdbcompression', 'no');
      for (const key of DUMP_KEYS) {
        expect({ key, dump: await s.call('DUMP', key) }).toEqual({ key, dump: await r.call('DUMP', key) });
      }
      // The same sets past the listpack limits: skiplists (type 5), from the highest score down.
      for (const c of [r, s]) {
        await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', '2');
        for (const key of DUMP_KEYS) await c.call('ZUNIONSTORE', `big:${key}`, '1', key);
      }
      for (const key of DUMP_KEYS) {
        const big = `big:${key}`;
        expect({ big, encoding: await s.call('OBJECT', 'ENCODING', big) }).toEqual({
          big,
          encoding: await r.call('OBJECT', 'ENCODING', big),
        });
        expect({ big, dump: await s.call('DUMP', big) }).toEqual({ big, dump: await r.call('DUMP', big) });
      }
    });

    it('each server’s payloads restore on both with the same members, scores, encoding and TTL', async () => {
      const keys = [...DUMP_KEYS, 'large', 'long', 'negzero'];
      for (const [source, from] of [
        ['redis', r],
        ['sluice', s],
      ] as const) {
        for (const key of keys) {
          const dumped = bulkPayload(await from.call('DUMP', key));
          const ttl = Number(/^:(-?\d+)/.exec(await from.call('PTTL', key))?.[1]);
          const copy = `copy:${key}`;
          const restored = [];
          for (const to of [r, s]) {
            restored.push({
              reply: await to.call('RESTORE', copy, String(Math.max(ttl, 0)), dumped),
              set: await describeZset(to, copy),
            });
            await to.call('DEL', copy);
          }
          expect({ source, key, sluice: restored[1] }).toEqual({ source, key, sluice: restored[0] });
          // A set within the listpack limits comes back as it was (a -0 in a skiplist does not).
          if (key !== 'negzero') {
            expect({ source, key, restored: restored[1]?.set }).toEqual({
              source,
              key,
              restored: await describeZset(from, key),
            });
          }
        }
      }
    });

    it('RESTORE converts what it loads as redis-server does', async () => {
      const payloads = new Map<string, Buffer>();
      for (const key of ['small', 'long', 'large', 'negzero', 'negzerosmall']) {
        payloads.set(key, bulkPayload(await r.call('DUMP', key)));
      }
      for (const c of [r, s]) {
        await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', '4');
        await c.call('CONFIG', 'SET', 'zset-max-listpack-value', '4');
      }
      for (const [key, payload] of payloads) {
        for (const c of [r, s]) await c.call('RESTORE', `r:${key}`, '0', payload);
        expect({ key, restored: await describeZset(s, `r:${key}`) }).toEqual({
          key,
          restored: await describeZset(r, `r:${key}`),
        });
      }
      // Type 5 back into listpack limits: -0 becomes 0; type 17 past them: a skiplist.
      for (const c of [r, s]) {
        await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
        await c.call('CONFIG', 'SET', 'zset-max-listpack-value', '64');
      }
      for (const key of ['negzero', 'large', 'r:small']) {
        const payload = bulkPayload(await r.call('DUMP', key));
        for (const c of [r, s]) {
          await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', key === 'r:small' ? '1' : '128');
          await c.call('RESTORE', `again:${key}`, '0', payload);
        }
        expect({ key, restored: await describeZset(s, `again:${key}`) }).toEqual({
          key,
          restored: await describeZset(r, `again:${key}`),
        });
      }
    });

    it('older and malformed payloads: the same sets, or the same errors', async () => {
      await r.call('CONFIG', 'SET', 'sanitize-dump-payload', 'yes');
      for (const [name, payload] of Object.entries(CRAFTED)) {
        const replies = [];
        for (const c of [r, s]) {
          replies.push({
            reply: await c.call('RESTORE', `c:${name}`, '0', payload),
            set: await describeZset(c, `c:${name}`),
          });
        }
        expect({ name, sluice: replies[1] }).toEqual({ name, sluice: replies[0] });
      }
    });
  });
});

/** The payload of a bulk-string reply. */
function bulkPayload(raw: string): Buffer {
  const m = /^\$(\d+)\r\n/.exec(raw);
  if (!m) throw new Error(`not a bulk string: ${JSON.stringify(raw.slice(0, 80))}`);
  return Buffer.from(raw.slice(m[0].length, m[0].length + Number(m[1])), 'latin1');
}

/** Scores of every listpack encoding (integers of each width, ±2^62 and past it, text), members too. */
const SCORES = [
  '1',
  '-1',
  '0',
  '-0',
  '127',
  '128',
  '-4096',
  '4095',
  '4096',
  '-4097',
  '32767',
  '-32768',
  '32768',
  '8388607',
  '-8388608',
  '8388608',
  '2147483647',
  '-2147483648',
  '2147483648',
  '4611686018427387904',
  '-4611686018427387904',
  '4611686018427388928',
  '1.5',
  '0.1',
  '1e20',
  '1e-5',
  'inf',
  '-inf',
  '5e-324',
  '-1e300',
];
const MEMBERS = [
  '',
  '0',
  '-0',
  '12',
  '-12',
  '200',
  '5000',
  '70000',
  '9999999',
  '3000000000',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '01',
  'x'.repeat(63),
  'x'.repeat(64),
  'q'.repeat(125),
  'q'.repeat(126),
  '\x00\xff',
];

const DUMP_FILL: readonly Args[] = [
  ['ZADD', 'tiny', '1', 'a'],
  ['ZADD', 'small', '3', 'c', '1', 'a', '2', 'b', '2', 'bb'],
  ['ZADD', 'scores', ...SCORES.flatMap((score, i) => [score, `k${i}`])],
  ['ZADD', 'members', ...MEMBERS.flatMap((member, i) => [String(i % 5), member])],
  ['EXPIRE', 'small', '1000'],
  ['ZADD', 'long', '1', 'a', '2', 'L'.repeat(300), '3', 'M'.repeat(5000), '4', 'N'.repeat(20000)],
  ['ZADD', 'large', ...Array.from({ length: 300 }, (_, i) => [String((i * 37) % 101), `member:${i}`]).flat()],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
  ['ZADD', 'negzero', '-0', 'a', '1', 'b', '-2', 'c'],
  ['ZADD', 'negzerosmall', '-0', 'a'],
  ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
];
const DUMP_KEYS = ['tiny', 'small', 'scores', 'members'];

const bytes = (...parts: (Buffer | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const str = (text: string): Buffer => encodeString(Buffer.from(text, 'latin1'));
const binary = (score: number): Buffer => {
  const out = Buffer.alloc(8);
  out.writeDoubleLE(score, 0);
  return out;
};
/** A type 3 score: its length and text. */
const text = (score: string): Buffer => bytes([score.length], Buffer.from(score, 'latin1'));
const payload = (type: number, ...parts: Buffer[]): Buffer => withFooter(bytes([type], ...parts));

/** A listpack of short strings and small integers (enough for these cases). */
function listpack(items: readonly (string | number)[]): Buffer {
  const entries = items.map((item) => {
    const entry =
      typeof item === 'number'
        ? Buffer.from([item])
        : bytes([0x80 | item.length], Buffer.from(item, 'latin1'));
    return bytes(entry, [entry.length]);
  });
  const body = Buffer.concat(entries);
  const out = Buffer.alloc(6 + body.length + 1, 0xff);
  out.writeUInt32LE(out.length, 0);
  out.writeUInt16LE(items.length, 4);
  body.copy(out, 6);
  return out;
}

/** A ziplist (Redis 6) of short strings and small integers (int16). */
function ziplist(items: readonly (string | number)[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  for (const item of items) {
    const content =
      typeof item === 'number'
        ? bytes([0xc0], Buffer.from(new Uint8Array(new Int16Array([item]).buffer)))
        : bytes([item.length], Buffer.from(item, 'latin1'));
    const entry = bytes([prev], content);
    entries.push(entry);
    prev = entry.length;
  }
  const body = Buffer.concat(entries);
  const out = Buffer.alloc(10 + body.length + 1, 0xff);
  out.writeUInt32LE(out.length, 0);
  out.writeUInt32LE(10 + body.length - (entries.at(-1)?.length ?? 0), 4);
  out.writeUInt16LE(items.length, 8);
  body.copy(out, 10);
  return out;
}

/**
 * Payloads redis-server 7 does not write (types 3 and 12) or that are malformed. Left out, where the two
 * servers differ on purpose: a listpack with a NaN score (redis-server keeps it, Sluice refuses it) and
 * one whose members are out of order (redis-server keeps that order, Sluice sorts them).
 */
const CRAFTED: Record<string, Buffer> = {
  z3: payload(
    3,
    encodeLength(5),
    str('a'),
    text('1.5'),
    str('b'),
    bytes([254]),
    str('c'),
    bytes([255]),
    str('d'),
    text(' 12abc'),
    str('e'),
    text('0x10'),
  ),
  z3huge: payload(3, encodeLength(2), str('a'), text('1e400'), str('b'), text('-0')),
  z3nan: payload(3, encodeLength(1), str('a'), bytes([253])),
  z3text: payload(3, encodeLength(1), str('a'), text('abc')),
  z3dup: payload(3, encodeLength(2), str('a'), text('1'), str('a'), text('2')),
  z3short: payload(3, encodeLength(2), str('a'), text('1')),
  z5: payload(
    5,
    encodeLength(3),
    str('c'),
    binary(3),
    str('a'),
    binary(-0),
    str('b'),
    binary(Number.NEGATIVE_INFINITY),
  ),
  z5empty: payload(5, encodeLength(0)),
  z5nan: payload(5, encodeLength(1), str('a'), binary(Number.NaN)),
  z5dup: payload(5, encodeLength(2), str('a'), binary(1), str('a'), binary(2)),
  z5cut: payload(5, encodeLength(1), str('a'), Buffer.alloc(4)),
  z12: payload(12, encodeString(ziplist(['c', -300, '7', 'x', 'd', '-0', 'a', 1, 'b', '2.5']))),
  z12dup: payload(12, encodeString(ziplist(['a', 1, 'a', 2]))),
  z12odd: payload(12, encodeString(ziplist(['a', 1, 'b']))),
  z12empty: payload(12, encodeString(ziplist([]))),
  z17: payload(17, encodeString(listpack(['c', 'abc', 'e', '-0', 'a', 1, 'b', '1.5', 'd', '12x']))),
  z17long: payload(17, encodeString(listpack(['a'.repeat(40), 1, 'b', 2]))),
  z17dup: payload(17, encodeString(listpack(['a', 1, 'a', 2]))),
  z17odd: payload(17, encodeString(listpack(['a', 1, 'b']))),
  z17empty: payload(17, encodeString(listpack([]))),
  z17cut: payload(17, encodeString(listpack(['a', 1]).subarray(0, 9))),
};
