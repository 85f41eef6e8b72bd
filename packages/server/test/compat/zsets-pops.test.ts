/**
 * Sorted-set pops, random members and scans, differentially: ZPOPMIN, ZPOPMAX, ZMPOP, BZPOPMIN,
 * BZPOPMAX, BZMPOP, ZRANDMEMBER and ZSCAN run on redis-server 7 and on sluice-server, in RESP2 and RESP3.
 * Deterministic replies (pops, errors, a listpack's scan, a whole set from ZRANDMEMBER) must be the same
 * bytes; random ones (ZRANDMEMBER's picks, a large set's scan order) must have the same shape and obey
 * the same rules on both servers. Blocking pops run with several connections: order of service,
 * timeouts, wake-ups from other connections, MULTI/EXEC, scripts and RENAME, CLIENT UNBLOCK.
 */
import { type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectIn, header, openPair, random } from './differential.js';
import { parse } from './resp.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];

const LLONG_MAX = '9223372036854775807';
const LLONG_MIN = '-9223372036854775808';
/** LONG_MAX / 2: ZRANDMEMBER's bound on a count with WITHSCORES. */
const HALF_MAX = '4611686018427387903';
const PAST_HALF_MAX = '4611686018427387904';

const CASES: Record<string, readonly Args[]> = {
  'ZPOPMIN and ZPOPMAX, without and with a count': [
    ['ZPOPMIN', 'missing'],
    ['ZPOPMAX', 'missing', '0'],
    ['ZPOPMIN', 'missing', '3'],
    ['ZPOPMIN', 'missing', '-1'],
    ['ZPOPMAX', 'missing', 'x'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '5', 'f', '-inf', 'lo', 'inf', 'hi'],
    ['ZADD', 'z', '2.5', 'x', '0.1', 'y', '1e20', 'big', '-1.5e-7', 'tiny', '0', 'bin\x00\xff\r\n'],
    ['ZPOPMIN', 'z'],
    ['ZPOPMAX', 'z'],
    ['ZPOPMIN', 'z', '0'],
    ['ZPOPMIN', 'z', '1'],
    ['ZPOPMAX', 'z', '1'],
    ['ZPOPMIN', 'z', '3'],
    ['ZPOPMAX', 'z', '2'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZPOPMIN', 'z', '-1'],
    ['ZPOPMIN', 'z', 'x'],
    ['ZPOPMIN', 'z', '1.5'],
    ['ZPOPMIN', 'z', ' 1'],
    ['ZPOPMIN', 'z', '01'],
    ['ZPOPMIN', 'z', LLONG_MIN],
    ['ZPOPMIN', 'z', '1', '2'],
    ['ZPOPMAX', 'z', '1', 'COUNT'],
    ['ZCARD', 'z'],
    ['ZPOPMAX', 'z', LLONG_MAX],
    ['EXISTS', 'z'],
    ['ZPOPMAX', 'z'],
    ['ZADD', 'one', '7', 'm'],
    ['ZPOPMAX', 'one', '5'],
    ['EXISTS', 'one'],
    ['SET', 's', 'v'],
    ['ZPOPMIN', 's'],
    ['ZPOPMAX', 's', '0'],
    ['ZPOPMIN', 's', '-1'],
    ['GET', 's'],
  ],
  'pops from a skiplist: -0 keeps its sign, and the encoding stays': [
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
    ['ZADD', 'z', '-0', 'nz', '0', 'pz', '1', 'a', '2', 'b', '-2', 'c'],
    ['OBJECT', 'ENCODING', 'z'],
    ['ZPOPMIN', 'z', '2'],
    ['ZPOPMIN', 'z'],
    ['ZPOPMAX', 'z', '1'],
    ['OBJECT', 'ENCODING', 'z'],
    ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '3'],
    ['EXISTS', 'z'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ],
  'ZMPOP: keys, MIN/MAX, COUNT, and its errors': [
    ['ZMPOP', '1', 'missing', 'MIN'],
    ['ZMPOP', '2', 'missing', 'other', 'MAX', 'COUNT', '3'],
    ['ZMPOP', '0', 'k', 'MIN'],
    ['ZMPOP', '-1', 'k', 'MIN'],
    ['ZMPOP', 'x', 'k', 'MIN'],
    ['ZMPOP', LLONG_MAX, 'k', 'MIN'],
    ['ZMPOP', '2', 'k', 'MIN'],
    ['ZMPOP', '1', 'k', 'FOO'],
    ['ZMPOP', '1', 'k', 'LEFT'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT', '0'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT', '-1'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT', 'x'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT', '1', 'COUNT', '2'],
    ['ZMPOP', '1', 'k', 'MIN', 'junk'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT', '0', 'junk'],
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'],
    ['ZADD', 'b', '10', 'p', '20', 'q'],
    ['SET', 's', 'v'],
    ['ZMPOP', '3', 'missing', 'a', 'b', 'MIN'],
    ['ZMPOP', '2', 'b', 'a', 'max', 'count', '10'],
    ['EXISTS', 'b'],
    ['ZMPOP', '2', 'missing', 's', 'MIN'],
    ['ZMPOP', '2', 'a', 's', 'MAX'],
    ['ZMPOP', '1', 'a', 'MIN', 'COUNT', LLONG_MAX],
    ['EXISTS', 'a'],
    ['ZMPOP', '1', 'a', 'MIN'],
  ],
  'BZPOPMIN, BZPOPMAX and BZMPOP when a set is there, their errors, and their timeout': [
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z', '4', 'w', '5', 'v', '6', 'u', '7', 't', '8', 's'],
    ['SET', 's', 'v'],
    ['BZPOPMIN', 'missing', 'a', '0'],
    ['BZPOPMAX', 'a', 'missing', '0.5'],
    ['BZPOPMIN', 's', 'a', '0'],
    ['BZPOPMIN', 'a', 's', '0'],
    ['BZPOPMIN', 'missing', 's', '0'],
    ['BZPOPMIN', 'a', 'x'],
    ['BZPOPMIN', 'a', ''],
    ['BZPOPMIN', 'a', '-1'],
    ['BZPOPMAX', 'a', '-0.0001'],
    ['BZPOPMIN', 'a', 'inf'],
    ['BZPOPMIN', 'a', 'nan'],
    ['BZPOPMIN', 'a', '1e400'],
    ['BZPOPMIN', 'a', '0x10'],
    ['BZMPOP', 'x', '1', 'a', 'MIN'],
    ['BZMPOP', '-1', '1', 'a', 'MIN'],
    ['BZMPOP', 'x', '0', 'a', 'MIN'],
    ['BZMPOP', 'x', '1', 'a', 'FOO'],
    ['BZMPOP', 'x', '1', 'a', 'MIN', 'COUNT', '0'],
    ['BZMPOP', 'x', '2', 'a', 'MIN'],
    ['BZMPOP', '0', '1', 'a', 'MIN', 'COUNT', '1', 'junk'],
    ['BZMPOP', '0', '2', 'missing', 'a', 'MAX', 'COUNT', '5'],
    ['EXISTS', 'a'],
    ['BZMPOP', '0', '2', 'missing', 's', 'MIN'],
    ['BZPOPMIN', 'missing', '0.01'],
    ['BZPOPMAX', 'missing', 'other', '0.01'],
    ['BZMPOP', '0.01', '2', 'missing', 'other', 'MIN'],
  ],
  'inside MULTI/EXEC and scripts nothing blocks': [
    ['MULTI'],
    ['BZPOPMIN', 'missing', '0'],
    ['BZPOPMAX', 'missing', '0'],
    ['BZMPOP', '0', '1', 'missing', 'MIN'],
    ['ZADD', 'k', '1', 'a', '2', 'b'],
    ['BZPOPMAX', 'k', '0'],
    ['BZMPOP', '0', '1', 'k', 'MIN', 'COUNT', '9'],
    ['EXISTS', 'k'],
    ['EXEC'],
    ['EVAL', "return redis.call('bzpopmin', KEYS[1], 0)", '1', 'missing'],
    ['EVAL', "return redis.call('bzmpop', 0, 1, KEYS[1], 'MIN')", '1', 'missing'],
    ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c'],
    ['EVAL', "return redis.call('bzmpop', 0, 1, KEYS[1], 'MAX', 'COUNT', 2)", '1', 'k'],
    ['EVAL', "return redis.call('zpopmin', KEYS[1])", '1', 'k'],
    ['EVAL', "return redis.call('zmpop', 1, KEYS[1], 'MIN')", '1', 'k'],
  ],
  'ZRANDMEMBER: errors, a missing key, and the whole set': [
    ['ZRANDMEMBER', 'missing'],
    ['ZRANDMEMBER', 'missing', '5'],
    ['ZRANDMEMBER', 'missing', '-5', 'WITHSCORES'],
    ['ZRANDMEMBER', 'missing', 'x'],
    ['ZRANDMEMBER', 'missing', '1', 'bad'],
    ['ZRANDMEMBER', 'missing', LLONG_MIN],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'd', '-inf', 'lo', '0.1', 'tenth'],
    ['ZRANDMEMBER', 'z', '0'],
    ['ZRANDMEMBER', 'z', '0', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '6'],
    ['ZRANDMEMBER', 'z', '7', 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', '100', 'withscores'],
    ['ZRANDMEMBER', 'z', LLONG_MAX],
    ['ZRANDMEMBER', 'z', HALF_MAX, 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', PAST_HALF_MAX, 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', `-${PAST_HALF_MAX}`, 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', LLONG_MAX, 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', LLONG_MIN],
    ['ZRANDMEMBER', 'z', LLONG_MIN, 'WITHSCORES'],
    ['ZRANDMEMBER', 'z', 'x'],
    ['ZRANDMEMBER', 'z', '1.5'],
    ['ZRANDMEMBER', 'z', '1', 'WITHSCORE'],
    ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'],
    ['ZADD', 'one', '5', 'm'],
    ['ZRANDMEMBER', 'one'],
    ['ZRANDMEMBER', 'one', '1'],
    ['ZRANDMEMBER', 'one', '1', 'WITHSCORES'],
    ['ZRANDMEMBER', 'one', '-3'],
    ['ZRANDMEMBER', 'one', '-3', 'WITHSCORES'],
    ['SET', 's', 'v'],
    ['ZRANDMEMBER', 's'],
    ['ZRANDMEMBER', 's', '1'],
    ['ZRANDMEMBER', 's', 'x'],
  ],
  'ZSCAN on a listpack: all at once with cursor 0, scores as the listpack holds them': [
    ['ZSCAN', 'missing', '0'],
    ['ZSCAN', 'missing', 'x'],
    ['ZSCAN', 'missing', '0', 'COUNT', '0'],
    ['ZADD', 'z', '1', 'a', '2.5', 'b', '0.1', 'c', '1e20', 'd', '-inf', 'e', 'inf', 'f', '-0', 'g'],
    ['ZADD', 'z', '123456789012345678', 'h', '-1e-5', 'i', '4611686018427387904', 'j', LLONG_MAX, 'k'],
    ['ZADD', 'z', '4611686018427388928', 'l', '-4611686018427387904', 'm', '12', '007', '5', '12'],
    ['ZSCAN', 'z', '0'],
    ['ZSCAN', 'z', '0', 'COUNT', '1'],
    ['ZSCAN', 'z', '17'],
    ['ZSCAN', 'z', '-1'],
    ['ZSCAN', 'z', '0', 'MATCH', '[a-d]'],
    ['ZSCAN', 'z', '0', 'match', '*2', 'count', '100'],
    ['ZSCAN', 'z', '0', 'MATCH', 'nothing'],
    ['ZSCAN', 'z', 'x'],
    ['ZSCAN', 'z', '1.5'],
    ['ZSCAN', 'z', '0', 'COUNT', '0'],
    ['ZSCAN', 'z', '0', 'COUNT', '-1'],
    ['ZSCAN', 'z', '0', 'COUNT', 'x'],
    ['ZSCAN', 'z', '0', 'MATCH'],
    ['ZSCAN', 'z', '0', 'FOO', 'bar'],
    ['ZSCAN', 'z', '0', 'TYPE', 'zset'],
    ['SET', 's', 'v'],
    ['ZSCAN', 's', '0'],
    ['ZSCAN', 's', 'x'],
  ],
};

/** The extra connections of a blocking scenario (as many as it asked for). */
type Peers = readonly [RawClient, RawClient, RawClient, RawClient];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A decoded ZRANDMEMBER or ZSCAN reply's (member, score) pairs: RESP2's flat list or RESP3's pairs. */
function pairsOf(raw: string, withScores: boolean): [string, number][] {
  const value = parse(raw) as unknown[];
  if (!withScores) return value.map((m) => [m as string, Number.NaN]);
  if (Array.isArray(value[0])) return (value as [string, string | number][]).map(([m, s]) => [m, Number(s)]);
  const out: [string, number][] = [];
  for (let i = 0; i < value.length; i += 2) out.push([value[i] as string, Number(value[i + 1])]);
  return out;
}

describe('sorted-set pops, random members and scans against redis-server and sluice-server', {
  timeout: TEST_TIMEOUT_MS,
}, () => {
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
    const extra: RawClient[] = [];
    beforeEach(async () => {
      [r, s] = await openPair(redis, sluice, proto);
      return async () => {
        await Promise.all([r.close(), s.close(), ...extra.map((c) => c.close())]);
        extra.length = 0;
      };
    });

    /** `n` more connections to `server`, in the test's protocol. */
    async function more(server: RunningServer, n: number): Promise<RawClient[]> {
      const out: RawClient[] = [];
      for (let i = 0; i < n; i++) {
        const c = await connectIn(server, proto);
        extra.push(c);
        out.push(c);
      }
      return out;
    }

    async function compare(step: Args, label: unknown = undefined): Promise<void> {
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      expect({ label, step, reply: actual }).toEqual({ label, step, reply: expected });
    }

    /** Runs `step` on both servers and returns both replies, redis-server's first. */
    async function both(...step: string[]): Promise<[string, string]> {
      return [await r.call(...step), await s.call(...step)];
    }

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of steps) await compare(step);
    });

    /**
     * Runs `scenario` on each server and expects the same transcript: what each connection received,
     * in the order the scenario read it.
     */
    async function sameOnBoth(
      connections: number,
      scenario: (main: RawClient, others: Peers, log: (what: string) => void) => Promise<void>,
    ): Promise<void> {
      const transcripts: string[][] = [];
      for (const [server, main] of [
        [redis, r],
        [sluice, s],
      ] as const) {
        const others = await more(server, connections);
        const lines: string[] = [];
        await scenario(main, others as unknown as Peers, (what) => lines.push(what));
        transcripts.push(lines);
      }
      expect(transcripts[1]).toEqual(transcripts[0]);
    }

    it('blocked clients are served in the order they blocked, each as much as it asked', async () => {
      await sameOnBoth(4, async (main, [a, b, c, d], log) => {
        a.sendCommand('BZPOPMIN', 'q', '0');
        await sleep(30);
        b.sendCommand('BZPOPMAX', 'other', 'q', '0');
        await sleep(30);
        c.sendCommand('BZMPOP', '0', '1', 'q', 'MIN', 'COUNT', '2');
        await sleep(30);
        d.sendCommand('BZPOPMIN', 'q', '0');
        await sleep(30);
        log(await main.call('ZADD', 'q', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'));
        log((await a.readReplies(1)).join(''));
        log((await b.readReplies(1)).join(''));
        log((await c.readReplies(1)).join(''));
        log((await d.readReplies(1)).join(''));
        log(await main.call('ZRANGE', 'q', '0', '-1', 'WITHSCORES'));
        // Fewer members than waiters: the first ones are served, the last waits on.
        a.sendCommand('BZMPOP', '0', '1', 'q2', 'MAX', 'COUNT', '10');
        await sleep(30);
        b.sendCommand('BZPOPMIN', 'q2', '0');
        await sleep(30);
        log(await main.call('ZADD', 'q2', '1', 'x', '2', 'y'));
        log((await a.readReplies(1)).join(''));
        log(await b.read(200, 100));
        log(await main.call('EXISTS', 'q2'));
        log(await main.call('ZADD', 'q2', '3', 'z'));
        log((await b.readReplies(1)).join(''));
        log(await main.call('EXISTS', 'q2'));
      });
    });

    it('a blocked pop times out with a null reply, and the connection goes on', async () => {
      await sameOnBoth(1, async (main, [a], log) => {
        const started = Date.now();
        a.sendCommand('BZPOPMIN', 'q', '0.2');
        a.sendCommand('PING');
        log((await a.readReplies(2)).join(''));
        const waited = Date.now() - started;
        log(waited >= 180 && waited < 5000 ? 'waited the timeout' : `waited ${waited} ms`);
        a.sendCommand('BZPOPMAX', 'q', 'q2', '0.05');
        log((await a.readReplies(1)).join(''));
        a.sendCommand('BZMPOP', '0.05', '2', 'q', 'q2', 'MAX', 'COUNT', '3');
        log((await a.readReplies(1)).join(''));
        // Woken before its timeout, a pop replies at once.
        a.sendCommand('BZPOPMAX', 'q', '5');
        await sleep(50);
        log(await main.call('ZADD', 'q', '1.5', 'm'));
        log((await a.readReplies(1)).join(''));
        log(await main.call('EXISTS', 'q'));
      });
    });

    it('woken by writes from MULTI/EXEC, from a script, by RENAME, ZRANGESTORE and ZINCRBY', async () => {
      await sameOnBoth(4, async (main, [a, b, c, d], log) => {
        a.sendCommand('BZPOPMIN', 'k1', '0');
        b.sendCommand('BZMPOP', '0', '2', 'k2', 'k3', 'MAX', 'COUNT', '5');
        c.sendCommand('BZPOPMAX', 'k4', '0');
        d.sendCommand('BZPOPMIN', 'k5', 'k6', '0');
        await sleep(50);
        log(await main.call('MULTI'));
        log(await main.call('ZADD', 'k1', '1', 'x', '2', 'y'));
        log(await main.call('SET', 'plain', 'v'));
        log(await main.call('EXEC'));
        log((await a.readReplies(1)).join(''));
        log(await main.call('EVAL', "return redis.call('zadd', KEYS[1], 1, 'p', 2, 'q')", '1', 'k3'));
        log((await b.readReplies(1)).join(''));
        log(await main.call('ZADD', 'tmp', '7', 'moved'));
        log(await main.call('RENAME', 'tmp', 'k4'));
        log((await c.readReplies(1)).join(''));
        log(await main.call('ZRANGESTORE', 'k6', 'k1', '0', '-1'));
        log((await d.readReplies(1)).join(''));
        d.sendCommand('BZPOPMAX', 'k7', '0');
        await sleep(50);
        log(await main.call('ZINCRBY', 'k7', '2.5', 'inc'));
        log((await d.readReplies(1)).join(''));
        log(await main.call('ZRANGE', 'k1', '0', '-1', 'WITHSCORES'));
        log(await main.call('EXISTS', 'k3', 'k4', 'k6', 'k7'));
      });
    });

    it('a sorted-set pop waits for a sorted set: a string or a list under its key does not wake it', async () => {
      await sameOnBoth(2, async (main, [a, b], log) => {
        a.sendCommand('BZPOPMIN', 'k', '0');
        await sleep(30);
        b.sendCommand('BLPOP', 'k', '0');
        await sleep(50);
        log(await main.call('SET', 'k', 'string'));
        log(await a.read(200, 100));
        log(await main.call('DEL', 'k'));
        log(await main.call('RPUSH', 'k', 'item'));
        log((await b.readReplies(1)).join(''));
        log(await a.read(200, 100));
        log(await main.call('ZADD', 'k', '1', 'm'));
        log((await a.readReplies(1)).join(''));
        log(await main.call('EXISTS', 'k'));
      });
    });

    it('CLIENT UNBLOCK ends a blocked pop as a timeout or with UNBLOCKED', async () => {
      await sameOnBoth(1, async (main, [a], log) => {
        const id = (await a.call('CLIENT', 'ID')).slice(1, -2);
        a.sendCommand('BZPOPMIN', 'k', '0');
        a.sendCommand('ECHO', 'after');
        await sleep(50);
        log(await main.call('CLIENT', 'UNBLOCK', id, 'TIMEOUT'));
        log((await a.readReplies(2)).join(''));
        a.sendCommand('BZMPOP', '0', '1', 'k', 'MIN');
        await sleep(50);
        log(await main.call('CLIENT', 'UNBLOCK', id, 'ERROR'));
        log((await a.readReplies(1)).join(''));
        a.sendCommand('BZPOPMAX', 'k', '10');
        await sleep(50);
        log(await main.call('CLIENT', 'UNBLOCK', id));
        log((await a.readReplies(1)).join(''));
        log(await main.call('CLIENT', 'UNBLOCK', id));
        log(await main.call('ZADD', 'k', '1', 'v'));
        log(await main.call('ZCARD', 'k'));
      });
    });

    it('CLIENT LIST and INFO show a blocked pop as redis-server does', async () => {
      const fieldsOf = (list: string, id: string): string => {
        const line = list.split('\n').find((l) => l.includes(`id=${id} `)) ?? '';
        return ['flags', 'cmd'].map((f) => new RegExp(`\\b${f}=(\\S*)`).exec(line)?.[0]).join(' ');
      };
      const textOf = (raw: string): string => {
        const body = raw.slice(raw.indexOf('\r\n') + 2, -2);
        return raw.startsWith('=') ? body.slice(4) : body;
      };
      const clientsInfo = (info: string): string =>
        info
          .split('\r\n')
          .filter((l) => /^(blocked_clients|clients_in_timeout_table):/.test(l))
          .join(' ');
      await sameOnBoth(2, async (main, [a, b], log) => {
        const idA = (await a.call('CLIENT', 'ID')).slice(1, -2);
        const idB = (await b.call('CLIENT', 'ID')).slice(1, -2);
        a.sendCommand('BZPOPMIN', 'k', '0');
        b.sendCommand('BZMPOP', '30', '1', 'k2', 'MIN');
        await sleep(80);
        const list = textOf(await main.call('CLIENT', 'LIST'));
        log(fieldsOf(list, idA));
        log(fieldsOf(list, idB));
        log(clientsInfo(textOf(await main.call('INFO', 'clients'))));
        log(await main.call('ZADD', 'k', '1', 'x'));
        log(await main.call('ZADD', 'k2', '2', 'y'));
        log((await a.readReplies(1)).join(''));
        log((await b.readReplies(1)).join(''));
        log(clientsInfo(textOf(await main.call('INFO', 'clients'))));
      });
    });

    it('pops from a large set (many tree nodes) agree, down to an empty set', async () => {
      const rand = random(proto === 2 ? 31 : 32);
      for (let b = 0; b < 20; b++) {
        const args = ['ZADD', 'big'];
        for (let k = 0; k < 150; k++) args.push(String(rand.below(400) - 200), `m${b * 150 + k}`);
        await compare(args, b);
      }
      await compare(['OBJECT', 'ENCODING', 'big']);
      for (let k = 0; k < 30; k++) {
        const count = String(1 + rand.below(60));
        const step = rand.pick<Args>([
          ['ZPOPMIN', 'big', count],
          ['ZPOPMAX', 'big', count],
          ['ZPOPMIN', 'big'],
          ['ZPOPMAX', 'big'],
          ['ZMPOP', '2', 'none', 'big', rand.pick(['MIN', 'MAX']), 'COUNT', count],
          ['BZPOPMIN', 'none', 'big', '0'],
          ['BZMPOP', '0', '1', 'big', 'MAX', 'COUNT', count],
        ]);
        await compare(step, k);
        await compare(['ZRANGE', 'big', String(rand.below(100)), String(rand.below(100) + 100)], k);
        await compare(['ZCARD', 'big'], k);
      }
      await compare(['ZRANGE', 'big', '0', '-1', 'WITHSCORES']);
      await compare(['ZPOPMIN', 'big', '1000']);
      await compare(['ZMPOP', '1', 'big', 'MAX', 'COUNT', '100000']);
      await compare(['EXISTS', 'big']);
    });

    it('ZRANDMEMBER on a listpack: distinct picks, repeats, scores, and redis-server’s orders', async () => {
      const args = ['ZADD', 'lp'];
      for (let i = 0; i < 100; i++) args.push(String(i), `m${i}`);
      await compare(args);
      await compare(['OBJECT', 'ENCODING', 'lp']);
      const member = (m: string): number => Number(m.slice(1));
      for (const [name, c] of [
        ['redis', r],
        ['sluice', s],
      ] as const) {
        // A count below a third of a listpack: distinct members, in the set's order.
        for (let t = 0; t < 5; t++) {
          const raw = await c.call('ZRANDMEMBER', 'lp', '8', 'WITHSCORES');
          expect(header(raw), name).toBe(proto === 2 ? '*16\r\n' : '*8\r\n');
          const picks = pairsOf(raw, true);
          const ranks = picks.map(([m]) => member(m));
          expect(new Set(ranks).size, name).toBe(8);
          expect(ranks, name).toEqual([...ranks].sort((x, y) => x - y));
          for (const [m, score] of picks) expect(score, `${name} ${m}`).toBe(member(m));
        }
        // A third of the set or more: distinct members, in no particular order.
        const many = pairsOf(await c.call('ZRANDMEMBER', 'lp', '40'), false).map(([m]) => m);
        expect(many, name).toHaveLength(40);
        expect(new Set(many).size, name).toBe(40);
        for (const m of many) expect(member(m) >= 0 && member(m) < 100, `${name} ${m}`).toBe(true);
        // Repeats: more picks than members, so some member comes twice.
        const repeats = pairsOf(await c.call('ZRANDMEMBER', 'lp', '-150', 'WITHSCORES'), true);
        expect(repeats, name).toHaveLength(150);
        expect(new Set(repeats.map(([m]) => m)).size < 150, name).toBe(true);
        for (const [m, score] of repeats) expect(score, `${name} ${m}`).toBe(member(m));
        // Single picks reach every member of a small set.
        const seen = new Set<string>();
        for (let t = 0; t < 200; t++) seen.add(parse(await c.call('ZRANDMEMBER', 'lp')) as string);
        expect(seen.size > 50, name).toBe(true);
      }
      await compare(['ZRANDMEMBER', 'lp', '100', 'WITHSCORES']);
    });

    it('ZRANDMEMBER on a large set: picks by rank, distinct or repeated, and the whole set', async () => {
      const size = 3000;
      for (let b = 0; b < size; b += 500) {
        const args = ['ZADD', 'big'];
        for (let i = b; i < b + 500; i++) args.push(String(i / 2), `m${i}`);
        await compare(args, b);
      }
      await compare(['OBJECT', 'ENCODING', 'big']);
      const member = (m: string): number => Number(m.slice(1));
      const [theirs, ours] = await both('ZRANDMEMBER', 'big', '5000', 'WITHSCORES');
      expect(ours).toBe(theirs);
      for (const [name, c] of [
        ['redis', r],
        ['sluice', s],
      ] as const) {
        for (const count of [10, 1500, 2999]) {
          const raw = await c.call('ZRANDMEMBER', 'big', String(count), 'WITHSCORES');
          expect(header(raw), name).toBe(`*${proto === 2 ? count * 2 : count}\r\n`);
          const picks = pairsOf(raw, true);
          expect(new Set(picks.map(([m]) => m)).size, `${name} ${count}`).toBe(count);
          for (const [m, score] of picks) expect(score, `${name} ${m}`).toBe(member(m) / 2);
        }
        const repeats = pairsOf(await c.call('ZRANDMEMBER', 'big', '-2000'), false);
        expect(repeats, name).toHaveLength(2000);
        for (const [m] of repeats) expect(member(m) >= 0 && member(m) < size, `${name} ${m}`).toBe(true);
        expect(new Set(repeats.map(([m]) => m)).size > 1000, name).toBe(true);
        const single = parse(await c.call('ZRANDMEMBER', 'big')) as string;
        expect(member(single) >= 0 && member(single) < size, name).toBe(true);
      }
    });

    it('ZSCAN of a large set: the cursor walks every member exactly once, with its score', async () => {
      const long = (i: number): string => `long${i}:`.padEnd(2100, 'x');
      for (let b = 0; b < 3000; b += 500) {
        const args = ['ZADD', 'big'];
        for (let i = b; i < b + 500; i++) args.push(i % 7 === 0 ? '-0' : String(i / 4), `m${i}`);
        await compare(args, b);
      }
      await compare(['ZADD', 'big', '1.5', long(1), '0.1', long(2), '-inf', long(3)]);
      await compare(['ZREM', 'big', 'm10', 'm20', 'm30']);
      /** Every (member, score) pair of a full scan, and how many calls it took. */
      const scanAll = async (c: RawClient, ...options: string[]) => {
        const pairs: string[] = [];
        let cursor = '0';
        let calls = 0;
        do {
          const [next, items] = parse(await c.call('ZSCAN', 'big', cursor, ...options)) as [string, string[]];
          for (let i = 0; i < items.length; i += 2) pairs.push(`${items[i]} ${items[i + 1]}`);
          cursor = next;
          calls++;
        } while (cursor !== '0' && calls < 10_000);
        return { pairs, calls };
      };
      for (const options of [['COUNT', '100'], [], ['MATCH', '*1*', 'COUNT', '250']]) {
        const theirs = await scanAll(r, ...options);
        const ours = await scanAll(s, ...options);
        // redis-server may list a member twice (while its table rehashes); Sluice lists each once.
        expect(new Set(ours.pairs).size, options.join(' ')).toBe(ours.pairs.length);
        expect([...ours.pairs].sort(), options.join(' ')).toEqual([...new Set(theirs.pairs)].sort());
        expect(ours.calls > 1, options.join(' ')).toBe(true);
      }
      // A cursor Sluice never handed out starts the scan over.
      const [cursor] = parse(await s.call('ZSCAN', 'big', '987654321', 'COUNT', '5')) as [string];
      expect(cursor).not.toBe('0');
    });
  });
});
