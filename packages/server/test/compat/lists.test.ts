/**
 * Lists, differentially: each case runs on redis-server 7 and on sluice-server, in RESP2 and RESP3, and
 * the raw reply bytes must be equal. Covers every list command with its options and errors, WRONGTYPE
 * both ways, the generic commands on lists, DUMP/RESTORE both ways, MULTI/EXEC, blocking pops (order of
 * service, timeouts, wake-ups by pushes from other connections, MULTI/EXEC, scripts and RENAME, CLIENT
 * UNBLOCK), and a seeded random sequence on both servers.
 */
import { type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkTexts, connectIn, openPair, random } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];

const LLONG_MAX = '9223372036854775807';
const LLONG_MIN = '-9223372036854775808';

const CASES: Record<string, readonly Args[]> = {
  'pushes, pops, LLEN, and a list that empties is gone': [
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['LPUSH', 'l', 'z', 'y'],
    ['LLEN', 'l'],
    ['LRANGE', 'l', '0', '-1'],
    ['LPOP', 'l'],
    ['RPOP', 'l'],
    ['LPOP', 'l', '2'],
    ['RPOP', 'l', '0'],
    ['LPOP', 'l', '10'],
    ['EXISTS', 'l'],
    ['LPOP', 'l'],
    ['LPOP', 'l', '0'],
    ['LPOP', 'l', '3'],
    ['RPOP', 'l', '-1'],
    ['LPOP', 'l', 'x'],
    ['LPOP', 'l', '1', '2'],
    ['LLEN', 'l'],
    ['LPUSHX', 'l', 'a'],
    ['RPUSHX', 'l', 'a'],
    ['RPUSH', 'l', 'x'],
    ['LPUSHX', 'l', 'w', 'v'],
    ['RPUSHX', 'l', 'y', 'z'],
    ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', 'l'],
    ['LLEN', 'l', 'x'],
    ['RPUSH', 'e', ''],
    ['LRANGE', 'e', '0', '-1'],
    ['RPUSH', 'bin', '\x00\xff\r\n', 'é'],
    ['LRANGE', 'bin', '0', '-1'],
  ],
  'LRANGE and LINDEX: every kind of index': [
    ['RPUSH', 'l', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['LRANGE', 'l', '0', '0'],
    ['LRANGE', 'l', '-3', '-1'],
    ['LRANGE', 'l', '-100', '2'],
    ['LRANGE', 'l', '5', '100'],
    ['LRANGE', 'l', '7', '3'],
    ['LRANGE', 'l', '10', '12'],
    ['LRANGE', 'l', '-1', '-2'],
    ['LRANGE', 'l', LLONG_MIN, LLONG_MAX],
    ['LRANGE', 'l', 'x', '1'],
    ['LRANGE', 'l', '1', '1.5'],
    ['LRANGE', 'missing', '0', '-1'],
    ['LRANGE', 'missing', 'x', '1'],
    ['LINDEX', 'l', '0'],
    ['LINDEX', 'l', '9'],
    ['LINDEX', 'l', '10'],
    ['LINDEX', 'l', '-10'],
    ['LINDEX', 'l', '-11'],
    ['LINDEX', 'l', LLONG_MIN],
    ['LINDEX', 'l', 'x'],
    ['LINDEX', 'missing', '0'],
    ['LINDEX', 'missing', 'x'],
  ],
  'LSET, LTRIM': [
    ['LSET', 'missing', '0', 'v'],
    ['LSET', 'missing', 'x', 'v'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
    ['LSET', 'l', '0', 'A'],
    ['LSET', 'l', '-1', 'E'],
    ['LSET', 'l', '5', 'x'],
    ['LSET', 'l', '-6', 'x'],
    ['LSET', 'l', 'x', 'x'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '1', '-2'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '-100', '100'],
    ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', 'x', '1'],
    ['LTRIM', 'missing', '0', '1'],
    ['LTRIM', 'missing', 'x', '1'],
    ['LTRIM', 'l', '2', '1'],
    ['EXISTS', 'l'],
    ['RPUSH', 'l', '1', '2', '3'],
    ['LTRIM', 'l', '5', '10'],
    ['EXISTS', 'l'],
  ],
  'LINSERT before and after, near either end': [
    ['LINSERT', 'missing', 'BEFORE', 'a', 'x'],
    ['LINSERT', 'missing', 'middle', 'a', 'x'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'b'],
    ['LINSERT', 'l', 'BEFORE', 'a', '1'],
    ['LINSERT', 'l', 'after', 'b', '2'],
    ['LINSERT', 'l', 'AFTER', 'f', '3'],
    ['LINSERT', 'l', 'before', 'e', '4'],
    ['LINSERT', 'l', 'AFTER', 'nope', '5'],
    ['LINSERT', 'l', 'middle', 'a', 'x'],
    ['LRANGE', 'l', '0', '-1'],
    ['LINDEX', 'l', '0'],
    ['LINDEX', 'l', '-1'],
    ['LLEN', 'l'],
    ['RPUSH', 'one', 'x'],
    ['LINSERT', 'one', 'BEFORE', 'x', 'w'],
    ['LINSERT', 'one', 'AFTER', 'x', 'y'],
    ['LRANGE', 'one', '0', '-1'],
  ],
  'LREM from the head, from the tail, all': [
    ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'd', 'a'],
    ['LREM', 'l', '1', 'a'],
    ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '-2', 'a'],
    ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', 'l', 'a', 'a', 'b'],
    ['LREM', 'l', '0', 'a'],
    ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'zzz'],
    ['LREM', 'l', 'x', 'a'],
    ['LREM', 'missing', '0', 'a'],
    ['LREM', 'missing', 'x', 'a'],
    ['LREM', 'l', LLONG_MIN, 'b'],
    ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'c'],
    ['LREM', 'l', '0', 'd'],
    ['EXISTS', 'l'],
  ],
  'LPOS with RANK, COUNT and MAXLEN': [
    ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '3', 'c', 'c'],
    ['LPOS', 'l', 'c'],
    ['LPOS', 'l', 'c', 'RANK', '2'],
    ['LPOS', 'l', 'c', 'RANK', '-1'],
    ['LPOS', 'l', 'c', 'RANK', '-3'],
    ['LPOS', 'l', 'c', 'RANK', '4'],
    ['LPOS', 'l', 'c', 'COUNT', '0'],
    ['LPOS', 'l', 'c', 'COUNT', '2'],
    ['LPOS', 'l', 'c', 'COUNT', '2', 'RANK', '-1'],
    ['LPOS', 'l', 'c', 'COUNT', '0', 'MAXLEN', '7'],
    ['LPOS', 'l', 'c', 'RANK', '-1', 'MAXLEN', '1'],
    ['LPOS', 'l', 'c', 'MAXLEN', '2'],
    ['LPOS', 'l', 'x'],
    ['LPOS', 'l', 'x', 'COUNT', '3'],
    ['LPOS', 'l', 'c', 'RANK', LLONG_MIN],
    ['LPOS', 'l', 'c', 'RANK', LLONG_MAX],
    ['LPOS', 'l', 'c', 'RANK', '0'],
    ['LPOS', 'l', 'c', 'RANK', 'x'],
    ['LPOS', 'l', 'c', 'COUNT', '-1'],
    ['LPOS', 'l', 'c', 'COUNT', 'x'],
    ['LPOS', 'l', 'c', 'MAXLEN', '-1'],
    ['LPOS', 'l', 'c', 'MAXLEN', 'x'],
    ['LPOS', 'l', 'c', 'RANK'],
    ['LPOS', 'l', 'c', 'BOGUS', '1'],
    ['LPOS', 'missing', 'c'],
    ['LPOS', 'missing', 'c', 'COUNT', '1'],
    ['LPOS', 'missing', 'c', 'RANK', '0'],
  ],
  'LMOVE and RPOPLPUSH, between lists and onto the same list': [
    ['RPUSH', 'src', 'a', 'b', 'c'],
    ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
    ['LMOVE', 'src', 'dst', 'RIGHT', 'LEFT'],
    ['LRANGE', 'dst', '0', '-1'],
    ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'],
    ['LRANGE', 'dst', '0', '-1'],
    ['RPOPLPUSH', 'dst', 'dst'],
    ['LRANGE', 'dst', '0', '-1'],
    ['RPOPLPUSH', 'src', 'dst'],
    ['EXISTS', 'src'],
    ['LMOVE', 'src', 'dst', 'LEFT', 'LEFT'],
    ['RPOPLPUSH', 'src', 'dst'],
    ['LMOVE', 'dst', 'x', 'UP', 'LEFT'],
    ['LMOVE', 'dst', 'x', 'LEFT', 'DOWN'],
    ['SET', 'str', 'v'],
    ['LMOVE', 'dst', 'str', 'LEFT', 'LEFT'],
    ['LRANGE', 'dst', '0', '-1'],
    ['LMOVE', 'str', 'dst', 'LEFT', 'LEFT'],
    ['RPOPLPUSH', 'dst', 'str'],
    ['RPUSH', 'one', 'x'],
    ['LMOVE', 'one', 'one', 'RIGHT', 'LEFT'],
    ['LRANGE', 'one', '0', '-1'],
  ],
  'LMPOP: parsing and errors': [
    ['RPUSH', 'b', '1', '2', '3', '4'],
    ['LMPOP', '2', 'a', 'b', 'LEFT'],
    ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '2'],
    ['LMPOP', '1', 'b', 'left', 'count', '10'],
    ['LMPOP', '2', 'a', 'b', 'LEFT'],
    ['LMPOP', '0', 'a', 'LEFT'],
    ['LMPOP', '-1', 'a', 'LEFT'],
    ['LMPOP', 'x', 'a', 'LEFT'],
    ['LMPOP', '3', 'a', 'b', 'LEFT'],
    ['LMPOP', '1', 'a', 'UP'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
    ['LMPOP', '1', 'a', 'LEFT', 'EXTRA'],
    ['SET', 's', 'v'],
    ['RPUSH', 'c', 'x'],
    ['LMPOP', '2', 's', 'c', 'LEFT'],
    ['LMPOP', '2', 'c', 's', 'LEFT'],
    ['LMPOP', '2', 'c', 's', 'LEFT'],
  ],
  'blocking commands that need not block, and their argument errors': [
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['BLPOP', 'missing', 'l', '0'],
    ['BRPOP', 'l', '0.5'],
    ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'],
    ['BRPOPLPUSH', 'm', 'l', '0'],
    ['BLMPOP', '0', '2', 'missing', 'l', 'RIGHT', 'COUNT', '5'],
    ['EXISTS', 'l'],
    ['LRANGE', 'm', '0', '-1'],
    ['BLPOP', 'l', 'x'],
    ['BLPOP', 'l', '-1'],
    ['BLPOP', 'l', 'inf'],
    ['BLPOP', 'l', '-inf'],
    ['BLPOP', 'l', 'nan'],
    ['BLPOP', 'l', '1e20'],
    ['BLPOP', 'l', ' 1'],
    ['BLPOP', 'l', '9223372036854776'],
    ['BLMOVE', 'l', 'm', 'UP', 'LEFT', 'x'],
    ['BLMOVE', 'l', 'm', 'LEFT', 'LEFT', 'x'],
    ['BLMPOP', 'x', '1', 'l', 'LEFT'],
    ['BLMPOP', '0', '0', 'l', 'LEFT'],
    ['BLMPOP', '0', '1', 'l', 'UP'],
    ['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '0'],
    ['BLPOP', 'l'],
    ['BLPOP', 'l', '0.01'],
    ['BRPOP', 'l', '0.01'],
    ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0.01'],
    ['BRPOPLPUSH', 'l', 'm', '0.01'],
    ['BLMPOP', '0.01', '1', 'l', 'LEFT'],
    ['BLPOP', 'l', '1e-4'],
    ['SET', 's', 'v'],
    ['BLPOP', 's', '0'],
    ['BLPOP', 'missing', 's', '0'],
    ['BLMPOP', '0', '1', 's', 'LEFT'],
    ['BRPOPLPUSH', 's', 'l', '0'],
  ],
  'inside MULTI/EXEC nothing blocks; a transaction mixes types': [
    ['MULTI'],
    ['BLPOP', 'l', '0'],
    ['BRPOP', 'l', '0'],
    ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'],
    ['BRPOPLPUSH', 'l', 'm', '0'],
    ['BLMPOP', '0', '1', 'l', 'LEFT'],
    ['RPUSH', 'l', 'a', 'b'],
    ['SET', 'str', 'v'],
    ['LPUSH', 'str', 'x'],
    ['BLPOP', 'l', '0'],
    ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'],
    ['EXEC'],
    ['LRANGE', 'm', '0', '-1'],
    ['EXISTS', 'l'],
  ],
  'WRONGTYPE both ways, and the generic commands on lists': [
    ['SET', 'str', 'v'],
    ['LPUSH', 'str', 'a'],
    ['RPUSHX', 'str', 'a'],
    ['LPOP', 'str'],
    ['LLEN', 'str'],
    ['LINDEX', 'str', '0'],
    ['LRANGE', 'str', '0', '1'],
    ['LSET', 'str', '0', 'v'],
    ['LINSERT', 'str', 'BEFORE', 'a', 'b'],
    ['LREM', 'str', '0', 'a'],
    ['LTRIM', 'str', '0', '1'],
    ['LPOS', 'str', 'a'],
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['GET', 'l'],
    ['APPEND', 'l', 'x'],
    ['HSET', 'l', 'f', 'v'],
    ['SADD', 'l', 'm'],
    ['TYPE', 'l'],
    ['OBJECT', 'ENCODING', 'l'],
    ['EXPIRE', 'l', '100'],
    ['TTL', 'l'],
    ['PERSIST', 'l'],
    ['COPY', 'l', 'l2'],
    ['LRANGE', 'l2', '0', '-1'],
    ['RPUSH', 'l2', 'd'],
    ['LRANGE', 'l', '0', '-1'],
    ['RENAME', 'l2', 'l3'],
    ['LRANGE', 'l3', '0', '-1'],
    ['MOVE', 'l3', '1'],
    ['SELECT', '1'],
    ['LRANGE', 'l3', '0', '-1'],
    ['LPOP', 'l3'],
    ['SELECT', '0'],
    ['SCAN', '0', 'TYPE', 'list'],
    ['SET', 'l', 'overwritten'],
    ['GET', 'l'],
    ['RPUSH', 'l', 'again'],
    ['DEL', 'l'],
    ['RPUSH', 'l', 'again'],
    ['LRANGE', 'l', '0', '-1'],
    ['UNLINK', 'l'],
    ['EXISTS', 'l'],
  ],
};

/** The extra connections of a blocking scenario (as many as it asked for). */
type Peers = readonly [RawClient, RawClient, RawClient, RawClient];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lists against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS }, () => {
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

    it('blocked clients are served in the order they blocked, one element each', async () => {
      await sameOnBoth(3, async (main, [a, b, c], log) => {
        a.sendCommand('BLPOP', 'q', '0');
        await sleep(30);
        b.sendCommand('BLPOP', 'other', 'q', '0');
        await sleep(30);
        c.sendCommand('BRPOP', 'q', '0');
        await sleep(30);
        log(await main.call('RPUSH', 'q', 'one', 'two'));
        log((await a.readReplies(1)).join(''));
        log((await b.readReplies(1)).join(''));
        log(await main.call('LLEN', 'q'));
        log(await main.call('RPUSH', 'q', 'three'));
        log((await c.readReplies(1)).join(''));
        log(await main.call('EXISTS', 'q'));
      });
    });

    it('a blocked command times out with a null reply, and the connection goes on', async () => {
      await sameOnBoth(1, async (main, [a], log) => {
        const started = Date.now();
        a.sendCommand('BLPOP', 'q', '0.2');
        a.sendCommand('PING');
        log((await a.readReplies(2)).join(''));
        const waited = Date.now() - started;
        log(waited >= 180 && waited < 5000 ? 'waited the timeout' : `waited ${waited} ms`);
        a.sendCommand('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.05');
        log((await a.readReplies(1)).join(''));
        a.sendCommand('BLMPOP', '0.05', '1', 'q', 'LEFT');
        log((await a.readReplies(1)).join(''));
        log(await main.call('EXISTS', 'd'));
      });
    });

    it('woken by pushes from MULTI/EXEC, from a script, by RENAME and by LMOVE', async () => {
      await sameOnBoth(4, async (main, [a, b, c, d], log) => {
        a.sendCommand('BLPOP', 'k1', '0');
        b.sendCommand('BLMOVE', 'k2', 'k1', 'RIGHT', 'LEFT', '0');
        c.sendCommand('BLMPOP', '0', '2', 'k3', 'k4', 'LEFT', 'COUNT', '5');
        d.sendCommand('BRPOPLPUSH', 'k5', 'k5', '0');
        await sleep(50);
        log(await main.call('MULTI'));
        log(await main.call('RPUSH', 'k2', 'x', 'y'));
        log(await main.call('SET', 'plain', 'v'));
        log(await main.call('EXEC'));
        // BLMOVE takes y from k2 into k1; BLPOP on k1 then gets it.
        log((await b.readReplies(1)).join(''));
        log((await a.readReplies(1)).join(''));
        log(await main.call('EVAL', "return redis.call('rpush', KEYS[1], 'p', 'q', 'r')", '1', 'k4'));
        log((await c.readReplies(1)).join(''));
        log(await main.call('RPUSH', 'tmp', 'moved'));
        log(await main.call('RENAME', 'tmp', 'k5'));
        log((await d.readReplies(1)).join(''));
        log(await main.call('LRANGE', 'k5', '0', '-1'));
        log(await main.call('LRANGE', 'k2', '0', '-1'));
      });
    });

    it('a key that becomes a string does not wake a blocked pop; a list later does', async () => {
      await sameOnBoth(1, async (main, [a], log) => {
        a.sendCommand('BLPOP', 'k', '0');
        await sleep(50);
        log(await main.call('SET', 'k', 'string'));
        log(await a.read(200, 100));
        log(await main.call('DEL', 'k'));
        log(await main.call('LPUSH', 'k', 'v'));
        log((await a.readReplies(1)).join(''));
      });
    });

    it('CLIENT UNBLOCK ends a blocked pop as a timeout or with UNBLOCKED', async () => {
      await sameOnBoth(1, async (main, [a], log) => {
        const id = (await a.call('CLIENT', 'ID')).slice(1, -2);
        log(await main.call('CLIENT', 'UNBLOCK', id));
        a.sendCommand('BLPOP', 'k', '0');
        a.sendCommand('ECHO', 'after');
        await sleep(50);
        log(await main.call('CLIENT', 'UNBLOCK', id, 'BOGUS'));
        log(await main.call('CLIENT', 'UNBLOCK', 'x'));
        log(await main.call('CLIENT', 'UNBLOCK', id, 'TIMEOUT'));
        log((await a.readReplies(2)).join(''));
        a.sendCommand('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
        await sleep(50);
        log(await main.call('CLIENT', 'UNBLOCK', id, 'ERROR'));
        log((await a.readReplies(1)).join(''));
        a.sendCommand('BLMPOP', '0', '1', 'k', 'LEFT');
        await sleep(50);
        log(await main.call('CLIENT', 'UNBLOCK', id));
        log((await a.readReplies(1)).join(''));
        log(await main.call('CLIENT', 'UNBLOCK', id));
        log(await main.call('RPUSH', 'k', 'v'));
        log(await main.call('LLEN', 'k'));
      });
    });

    it('CLIENT LIST and INFO show blocked connections as redis-server does', async () => {
      /** The fields of CLIENT LIST's line for connection `id` that a blocked command sets. */
      const fieldsOf = (list: string, id: string): string => {
        const line = list.split('\n').find((l) => l.includes(`id=${id} `)) ?? '';
        return ['flags', 'cmd'].map((f) => new RegExp(`\\b${f}=(\\S*)`).exec(line)?.[0]).join(' ');
      };
      /** A bulk or (RESP3) verbatim string reply's text. */
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
        a.sendCommand('BLPOP', 'k', '0');
        b.sendCommand('BRPOPLPUSH', 'k2', 'k3', '30');
        await sleep(80);
        const list = textOf(await main.call('CLIENT', 'LIST'));
        log(fieldsOf(list, idA));
        log(fieldsOf(list, idB));
        expect(fieldsOf(list, idA)).toBe('flags=b cmd=blpop');
        log(clientsInfo(textOf(await main.call('INFO', 'clients'))));
        log(await main.call('RPUSH', 'k', 'x'));
        log(await main.call('RPUSH', 'k2', 'y'));
        log((await a.readReplies(1)).join(''));
        log((await b.readReplies(1)).join(''));
        log(clientsInfo(textOf(await main.call('INFO', 'clients'))));
      });
    });

    it('a closed blocked connection is forgotten: the push goes to the next waiter', async () => {
      await sameOnBoth(2, async (main, [a, b], log) => {
        a.sendCommand('BLPOP', 'k', '0');
        await sleep(30);
        b.sendCommand('BLPOP', 'k', '0');
        await sleep(30);
        await a.close();
        await sleep(50);
        log(await main.call('RPUSH', 'k', 'v'));
        log((await b.readReplies(1)).join(''));
        log(await main.call('EXISTS', 'k'));
      });
    });

    it('DUMP and RESTORE move lists both ways between redis-server and sluice-server', async () => {
      const items = [
        'a',
        '1',
        '-5',
        '300',
        '70000',
        '-2147483649',
        'x'.repeat(100),
        '',
        '9223372036854775807',
      ];
      for (const c of [r, s]) await c.call('RPUSH', 'l', ...items);
      // A list longer than one listpack node (list-max-listpack-size -2: 8 KiB), so several quicklist nodes.
      const many = Array.from({ length: 3000 }, (_, i) => `element-${i}`);
      for (const c of [r, s]) await c.call('RPUSH', 'big', ...many);
      for (const key of ['l', 'big']) {
        const fromRedis = Buffer.from(bulkTexts(await r.call('DUMP', key))[0] as string, 'latin1');
        const fromSluice = Buffer.from(bulkTexts(await s.call('DUMP', key))[0] as string, 'latin1');
        for (const [c, payload] of [
          [s, fromRedis],
          [r, fromSluice],
        ] as const) {
          expect(await c.call('RESTORE', `${key}-copy`, '0', payload)).toBe('+OK\r\n');
        }
        await compare(['LRANGE', `${key}-copy`, '0', '-1']);
        await compare(['OBJECT', 'ENCODING', `${key}-copy`]);
        await compare(['LLEN', `${key}-copy`]);
      }
    });

    it('long lists: ends, middle and ranges agree', async () => {
      const many = Array.from({ length: 5000 }, (_, i) => String(i));
      for (const c of [r, s]) {
        await c.call('RPUSH', 'big', ...many.slice(2500));
        await c.call('LPUSH', 'big', ...many.slice(0, 2500));
      }
      for (const step of [
        ['LLEN', 'big'],
        ['LINDEX', 'big', '2500'],
        ['LINDEX', 'big', '-1'],
        ['LRANGE', 'big', '2490', '2510'],
        ['LRANGE', 'big', '-600', '-1'],
        ['LPOS', 'big', '4000'],
        ['LPOS', 'big', '10', 'RANK', '-1'],
        ['LINSERT', 'big', 'BEFORE', '4990', 'ins'],
        ['LINSERT', 'big', 'AFTER', '3', 'ins'],
        ['LREM', 'big', '0', 'ins'],
        ['LSET', 'big', '2500', 'set'],
        ['LTRIM', 'big', '100', '-100'],
        ['LRANGE', 'big', '0', '5'],
        ['LRANGE', 'big', '-5', '-1'],
        ['LPOP', 'big', '3'],
        ['RPOP', 'big', '3'],
        ['LLEN', 'big'],
      ]) {
        await compare(step);
      }
    });

    it('long elements (stored out of line) through every kind of change', async () => {
      const big = (i: number, size: number) => `${i}:`.padEnd(size, String.fromCharCode(97 + (i % 26)));
      // Small and long elements mixed over several chunks of 16.
      const items = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? big(i, 300 + i * 97) : `s${i}`));
      for (const step of [
        ['RPUSH', 'l', ...items.slice(25)],
        ['LPUSH', 'l', ...items.slice(0, 25)],
        ['LRANGE', 'l', '0', '-1'],
        ['LRANGE', 'l', '10', '40'],
        ['LINDEX', 'l', '3'],
        ['LINDEX', 'l', '-2'],
        ['LSET', 'l', '3', 'now small'],
        ['LSET', 'l', '4', big(1000, 5000)],
        ['LINSERT', 'l', 'BEFORE', 's10', big(1001, 700)],
        ['LINSERT', 'l', 'AFTER', big(45, 300 + 45 * 97), big(1002, 20000)],
        ['LREM', 'l', '0', big(9, 300 + 9 * 97)],
        ['LPOS', 'l', big(1002, 20000)],
        ['LRANGE', 'l', '0', '-1'],
        ['LPOP', 'l', '5'],
        ['RPOP', 'l', '3'],
        ['LPUSH', 'l', big(2000, 400)],
        ['RPUSH', 'l', big(2001, 400), 'tail'],
        ['LPOP', 'l'],
        ['RPOP', 'l'],
        ['RPOP', 'l'],
        ['LINDEX', 'l', '0'],
        ['LINDEX', 'l', '-1'],
        ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
        ['LMOVE', 'l', 'l', 'RIGHT', 'LEFT'],
        ['LTRIM', 'l', '3', '-4'],
        ['LRANGE', 'l', '0', '-1'],
        ['LRANGE', 'm', '0', '-1'],
        ['LLEN', 'l'],
        ['LTRIM', 'l', '100', '200'],
        ['EXISTS', 'l'],
      ]) {
        await compare(step);
      }
    });

    it('a seeded random sequence leaves both servers with the same lists', async () => {
      await randomSequence(proto === 2 ? 20261206 : 11, 1);
    });

    // Commands of one MULTI/EXEC run in one batch: pushes and pops on a chunk no command has read meet
    // the chunk's deferred form (list/_shared.ts, ChunkEntries), reads see it, and rewrites replace it.
    it('the same in MULTI/EXEC blocks, many commands a batch', async () => {
      await randomSequence(proto === 2 ? 7 : 8, 12);
    });

    /** 400 random list commands on three keys, `block` commands to a MULTI/EXEC (1: none). */
    async function randomSequence(seed: number, block: number): Promise<void> {
      const rand = random(seed);
      const keys = ['k0', 'k1', 'k2'];
      const values = ['a', 'b', 'c', '1', '2', '', 'L'.repeat(300), 'M'.repeat(1000)];
      const value = (): string => rand.pick(values);
      const side = (): string => rand.pick(['LEFT', 'RIGHT']);
      const index = (): string => String(rand.below(9) - 4);
      for (let i = 0; i < 400; i++) {
        const key = rand.pick(keys);
        const other = rand.pick(keys);
        const ops: Args[] = [
          ['LPUSH', key, value(), value()],
          ['RPUSH', key, value()],
          ['LPUSHX', key, value()],
          ['RPUSHX', key, value()],
          ['LPOP', key],
          ['RPOP', key, String(rand.below(3))],
          ['LSET', key, index(), value()],
          ['LINSERT', key, rand.pick(['BEFORE', 'AFTER']), value(), value()],
          ['LREM', key, index(), value()],
          ['LTRIM', key, index(), index()],
          ['LMOVE', key, other, side(), side()],
          ['RPOPLPUSH', key, other],
          ['LMPOP', '2', key, other, side(), 'COUNT', String(1 + rand.below(3))],
          ['LPOS', key, value(), 'RANK', rand.pick(['1', '-1', '2']), 'COUNT', String(rand.below(3))],
          ['LINDEX', key, index()],
          ['LRANGE', key, index(), index()],
        ];
        const step = rand.pick(ops);
        if (block === 1) {
          await compare(step, i);
        } else {
          if (i % block === 0) await compare(['MULTI'], i);
          await compare(step, i);
          if (i % block !== block - 1 && i !== 399) continue;
          await compare(['EXEC'], i);
        }
        for (const k of keys) await compare(['LRANGE', k, '0', '-1'], { i, k });
      }
    }
  });
});
