/**
 * Client-side caching (CLIENT TRACKING), byte-exact against redis-server 7.0.15 and sluice-server:
 * invalidation pushes to a RESP3 connection and `__redis__:invalidate` messages to the RESP2 subscriber it
 * redirects to; default mode (keys read by read-only commands, once each), BCAST with prefixes, OPTIN /
 * OPTOUT with CLIENT CACHING, NOLOOP; invalidations caused by another connection, MULTI/EXEC, a script,
 * active expiry and FLUSHALL / FLUSHDB (a null: everything); CLIENT TRACKINGINFO, GETREDIR, CLIENT LIST's
 * flags and redir, INFO's tracking fields, tracking-table-max-keys; and every error CLIENT TRACKING and
 * CLIENT CACHING give.
 */
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { array, bulk, ERR, error, int, NIL, NULL3, OK } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const keys = (...names: string[]): string => array(...names.map((n) => bulk(n)));
/** The RESP3 push a tracking connection (or the RESP3 connection it redirects to) gets. */
const push = (value: string): string => `>2\r\n${bulk('invalidate')}${value}`;
/** The Pub/Sub message a RESP2 subscriber gets when a tracking connection redirects to it. */
const message = (value: string): string => `*3\r\n${bulk('message')}${bulk('__redis__:invalidate')}${value}`;

/** Nothing more arrives within a short while (no stray invalidation). */
async function quiet(c: RawClient): Promise<void> {
  expect(await c.read(150, 50)).toBe('');
}

/** Sends one command and reads its reply plus `n` frames after it. */
async function callThen(c: RawClient, n: number, ...args: string[]): Promise<string[]> {
  c.sendCommand(...args);
  return c.readReplies(1 + n);
}

const idOf = (reply: string): number => Number(reply.slice(1, -2));

describe.each(targets())('client-side caching against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  async function resp3(): Promise<RawClient> {
    const c = await t.connect();
    await c.call('HELLO', '3');
    return c;
  }

  describe('RESP3: invalidation pushes on the tracking connection', () => {
    let c: RawClient;
    let other: RawClient;
    beforeEach(async () => {
      c = await resp3();
      other = await t.connect();
      expect(await c.call('CLIENT', 'TRACKING', 'ON')).toBe(OK);
    });

    it('a key read is invalidated once, on its next change by another connection', async () => {
      await other.call('SET', 'k', '1');
      expect(await c.call('GET', 'k')).toBe(bulk('1'));
      expect(await other.call('SET', 'k', '2')).toBe(OK);
      expect(await c.readReplies(1)).toEqual([push(keys('k'))]);
      // Forgotten once invalidated: a second change sends nothing until the key is read again.
      expect(await other.call('SET', 'k', '3')).toBe(OK);
      await quiet(c);
      // Missing keys, MGET's keys, TYPE and EXISTS count as read; a write does not.
      expect(await c.call('MGET', 'k', 'missing')).toBe(`*2\r\n${bulk('3')}${NULL3}`);
      expect(await c.call('TYPE', 't')).toBe('+none\r\n');
      expect(await c.call('SET', 'w', 'x')).toBe(OK);
      expect(await other.call('MSET', 'missing', 'a', 'k', 'b', 't', 'c', 'w', 'd')).toBe(OK);
      expect(await c.readReplies(3)).toEqual([push(keys('missing')), push(keys('k')), push(keys('t'))]);
      await quiet(c);
    });

    it("the connection's own write: the push follows the reply; in EXEC, after EXEC's array", async () => {
      await c.call('GET', 'k');
      expect(await callThen(c, 1, 'SET', 'k', '1')).toEqual([OK, push(keys('k'))]);
      await c.call('GET', 'k');
      expect(await c.call('MULTI')).toBe(OK);
      await c.call('SET', 'k', '5');
      await c.call('GET', 'k');
      await c.call('SET', 'k', '6');
      expect(await callThen(c, 2, 'EXEC')).toEqual([
        `*3\r\n${OK}${bulk('5')}${OK}`,
        push(keys('k')),
        push(keys('k')),
      ]);
      // A failed read (WRONGTYPE) still counts as read.
      await c.call('LPUSH', 'l', 'x');
      expect(await c.call('GET', 'l')).toBe(ERR.wrongType);
      expect(await other.call('DEL', 'l')).toBe(int(1));
      expect(await c.readReplies(1)).toEqual([push(keys('l'))]);
    });

    it('keys are global: a write in another database invalidates', async () => {
      await c.call('GET', 'x');
      await other.call('SELECT', '1');
      await other.call('SET', 'x', '1');
      expect(await c.readReplies(1)).toEqual([push(keys('x'))]);
    });

    it('scripts: keys a script reads are tracked, writes by a script invalidate; EVAL_RO itself tracks nothing', async () => {
      await c.call('EVAL', "return redis.call('get', KEYS[1])", '1', 'x');
      expect(await other.call('EVAL', "return redis.call('set', KEYS[1], '9')", '1', 'x')).toBe(OK);
      expect(await c.readReplies(1)).toEqual([push(keys('x'))]);
      await c.call('EVAL_RO', 'return 1', '1', 'y');
      await other.call('SET', 'y', '1');
      await quiet(c);
    });

    it('active expiry invalidates', async () => {
      await other.call('SET', 'e', '1', 'PX', '100');
      expect(await c.call('GET', 'e')).toBe(bulk('1'));
      expect(await c.readReplies(1, 3000)).toEqual([push(keys('e'))]);
    });

    it('FLUSHALL and FLUSHDB: a null invalidation (everything) to every tracking connection', async () => {
      const bcast = await resp3();
      await bcast.call('CLIENT', 'TRACKING', 'ON', 'BCAST');
      await c.call('GET', 'k');
      expect(await other.call('FLUSHALL')).toBe(OK);
      expect(await c.readReplies(1)).toEqual([push(NULL3)]);
      expect(await bcast.readReplies(1)).toEqual([push(NULL3)]);
      // The table is emptied: the key read before is not invalidated again.
      await other.call('SET', 'k', '1');
      await quiet(c);
      await bcast.readReplies(1);
      expect(await callThen(c, 1, 'FLUSHDB')).toEqual([OK, push(NULL3)]);
      expect(await bcast.readReplies(1)).toEqual([push(NULL3)]);
    });

    it('SWAPDB sends no invalidation (as redis-server 7.0)', async () => {
      await c.call('GET', 'x');
      expect(await other.call('SWAPDB', '0', '1')).toBe(OK);
      await quiet(c);
    });

    it('NOLOOP: no invalidation for the connection own writes', async () => {
      expect(await c.call('CLIENT', 'TRACKING', 'ON', 'NOLOOP')).toBe(OK);
      await c.call('GET', 'k');
      expect(await c.call('SET', 'k', '1')).toBe(OK);
      await quiet(c);
      await c.call('GET', 'k');
      await other.call('SET', 'k', '2');
      expect(await c.readReplies(1)).toEqual([push(keys('k'))]);
    });

    it('turned off: keys read while on are still invalidated if it turns on again', async () => {
      await c.call('GET', 'k');
      expect(await c.call('CLIENT', 'TRACKING', 'OFF')).toBe(OK);
      await other.call('SET', 'k', '1');
      await quiet(c);
      await c.call('CLIENT', 'TRACKING', 'ON');
      await c.call('GET', 'j');
      await c.call('CLIENT', 'TRACKING', 'OFF');
      await c.call('CLIENT', 'TRACKING', 'ON');
      await other.call('SET', 'j', '1');
      expect(await c.readReplies(1)).toEqual([push(keys('j'))]);
    });
  });

  describe('OPTIN and OPTOUT', () => {
    let c: RawClient;
    let other: RawClient;
    beforeEach(async () => {
      c = await resp3();
      other = await t.connect();
    });

    it('OPTIN: only the command after CACHING YES (CLIENT commands aside), or a whole transaction', async () => {
      expect(await c.call('CLIENT', 'TRACKING', 'ON', 'OPTIN')).toBe(OK);
      await c.call('GET', 'o1');
      expect(await c.call('CLIENT', 'CACHING', 'YES')).toBe(OK);
      await c.call('GET', 'o2');
      await c.call('GET', 'o3');
      await other.call('MSET', 'o1', '1', 'o2', '2', 'o3', '3');
      expect(await c.readReplies(1)).toEqual([push(keys('o2'))]);
      await quiet(c);

      await c.call('CLIENT', 'CACHING', 'YES');
      await c.call('CLIENT', 'ID');
      await c.call('GET', 'o1');
      await other.call('SET', 'o1', '1');
      expect(await c.readReplies(1)).toEqual([push(keys('o1'))]);

      await c.call('CLIENT', 'CACHING', 'YES');
      await c.call('MULTI');
      await c.call('GET', 'o1');
      await c.call('GET', 'o2');
      await c.call('EXEC');
      await c.call('GET', 'o3');
      await other.call('MSET', 'o1', '1', 'o2', '2', 'o3', '3');
      expect(await c.readReplies(2)).toEqual([push(keys('o1')), push(keys('o2'))]);
      await quiet(c);

      // Spent by any other command, a refused one included.
      for (const spend of [['PING'], ['NOSUCH'], ['GET']]) {
        await c.call('CLIENT', 'CACHING', 'YES');
        await c.call(...spend);
        await c.call('GET', 'o1');
        await other.call('SET', 'o1', '1');
        await quiet(c);
      }
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(
        `%3\r\n${bulk('flags')}~2\r\n${bulk('on')}${bulk('optin')}${bulk('redirect')}${int(0)}${bulk('prefixes')}*0\r\n`,
      );
      await c.call('CLIENT', 'CACHING', 'YES');
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(
        `%3\r\n${bulk('flags')}~3\r\n${bulk('on')}${bulk('optin')}${bulk('caching-yes')}${bulk('redirect')}${int(0)}${bulk('prefixes')}*0\r\n`,
      );
    });

    it('OPTOUT: every command but the one after CACHING NO', async () => {
      expect(await c.call('CLIENT', 'TRACKING', 'ON', 'OPTOUT')).toBe(OK);
      await c.call('GET', 'o1');
      expect(await c.call('CLIENT', 'CACHING', 'NO')).toBe(OK);
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(
        `%3\r\n${bulk('flags')}~3\r\n${bulk('on')}${bulk('optout')}${bulk('caching-no')}${bulk('redirect')}${int(0)}${bulk('prefixes')}*0\r\n`,
      );
      await c.call('GET', 'o2');
      await c.call('GET', 'o3');
      await other.call('MSET', 'o1', '1', 'o2', '2', 'o3', '3');
      expect(await c.readReplies(2)).toEqual([push(keys('o1')), push(keys('o3'))]);
      await quiet(c);
    });
  });

  describe('BCAST', () => {
    it('every changed key under a prefix, one message per prefix with the keys of the turn in byte order', async () => {
      const sub = await t.connect();
      const id = idOf(await sub.call('CLIENT', 'ID'));
      await sub.call('SUBSCRIBE', '__redis__:invalidate');
      const c = await t.connect();
      const other = await t.connect();
      expect(
        await c.call(
          'CLIENT',
          'TRACKING',
          'ON',
          'REDIRECT',
          String(id),
          'BCAST',
          'PREFIX',
          'u:',
          'PREFIX',
          'v:',
        ),
      ).toBe(OK);
      expect(await other.call('MSET', 'u:1', 'a', 'v:2', 'b', 'w:3', 'c')).toBe(OK);
      expect(await sub.readReplies(2)).toEqual([message(keys('u:1')), message(keys('v:2'))]);
      await other.call('MULTI');
      await other.call('SET', 'u:1', 'a');
      await other.call('SET', 'u:1', 'b');
      await other.call('SET', 'u:0', 'b');
      await other.call('EXEC');
      expect(await sub.readReplies(1)).toEqual([message(keys('u:0', 'u:1'))]);
      await quiet(sub);
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(
        `*6\r\n${bulk('flags')}*2\r\n${bulk('on')}${bulk('bcast')}${bulk('redirect')}${int(id)}${bulk('prefixes')}${keys('u:', 'v:')}`,
      );
      expect(await c.call('CLIENT', 'GETREDIR')).toBe(int(id));
      const info = await other.call('INFO', 'stats');
      expect(info).toMatch(/\r\ntracking_total_prefixes:2\r\n/);
      const line = (await c.call('CLIENT', 'INFO')).split(' ');
      expect(line).toContain('flags=tB');
      expect(line).toContain(`redir=${id}`);
    });

    it('NOLOOP leaves out the keys the connection changed itself; without prefixes, every key', async () => {
      const c = await resp3();
      const other = await t.connect();
      expect(await c.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP')).toBe(OK);
      expect(await c.call('SET', 'p', '1')).toBe(OK);
      await other.call('SET', 'q', '1');
      expect(await c.readReplies(1)).toEqual([push(keys('q'))]);
      await quiet(c);
      await c.call('CLIENT', 'TRACKING', 'OFF');
      await c.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'z');
      expect(await callThen(c, 1, 'SET', 'zz', '1')).toEqual([OK, push(keys('zz'))]);
    });
  });

  describe('RESP2: invalidations as messages to the subscriber redirected to', () => {
    let sub: RawClient;
    let subId: number;
    let c: RawClient;
    let other: RawClient;
    beforeEach(async () => {
      sub = await t.connect();
      subId = idOf(await sub.call('CLIENT', 'ID'));
      await sub.call('SUBSCRIBE', '__redis__:invalidate');
      c = await t.connect();
      other = await t.connect();
    });

    it('another connection, the tracking connection itself, and FLUSHALL', async () => {
      expect(await c.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(subId))).toBe(OK);
      expect(await c.call('GET', 'k')).toBe(NIL);
      await other.call('SET', 'k', '1');
      expect(await sub.readReplies(1)).toEqual([message(keys('k'))]);
      await c.call('GET', 'k');
      expect(await c.call('SET', 'k', '2')).toBe(OK);
      expect(await sub.readReplies(1)).toEqual([message(keys('k'))]);
      await c.call('GET', 'k');
      await other.call('FLUSHALL');
      expect(await sub.readReplies(1)).toEqual([message(NIL)]);
      const line = (await c.call('CLIENT', 'INFO')).split(' ');
      expect(line).toContain('flags=t');
      expect(line).toContain(`redir=${subId}`);
      expect(await other.call('INFO', 'clients')).toMatch(/\r\ntracking_clients:1\r\n/);
    });

    it('a RESP2 connection without a subscribed redirection gets nothing; a broken one is reported to RESP3', async () => {
      expect(await c.call('CLIENT', 'TRACKING', 'ON')).toBe(OK);
      await c.call('GET', 'k');
      expect(await c.call('SET', 'k', '1')).toBe(OK);
      await quiet(c);

      const gone = await t.connect();
      const goneId = idOf(await gone.call('CLIENT', 'ID'));
      const r3 = await resp3();
      expect(await r3.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(goneId))).toBe(OK);
      await gone.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await r3.call('GET', 'b');
      await other.call('SET', 'b', '1');
      const broken = `>2\r\n${bulk('tracking-redir-broken')}${int(goneId)}`;
      expect(await r3.readReplies(1)).toEqual([broken]);
      expect(await r3.call('CLIENT', 'TRACKINGINFO')).toBe(
        `%3\r\n${bulk('flags')}~2\r\n${bulk('on')}${bulk('broken_redirect')}${bulk('redirect')}${int(goneId)}${bulk('prefixes')}*0\r\n`,
      );
      expect((await r3.call('CLIENT', 'INFO')).split(' ')).toContain('flags=tR');
    });

    it('a RESP3 tracking connection redirected to a RESP2 subscriber: its flush null is RESP3', async () => {
      const r3 = await resp3();
      await r3.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(subId));
      await r3.call('GET', 'k');
      await other.call('FLUSHALL');
      expect(await sub.readReplies(1)).toEqual([message(NULL3)]);
    });
  });

  describe('introspection and limits', () => {
    it('TRACKINGINFO and GETREDIR when off; RESET turns tracking off', async () => {
      const c = await t.connect();
      const off = `*6\r\n${bulk('flags')}*1\r\n${bulk('off')}${bulk('redirect')}${int(-1)}${bulk('prefixes')}*0\r\n`;
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(off);
      expect(await c.call('CLIENT', 'GETREDIR')).toBe(int(-1));
      expect((await c.call('CLIENT', 'INFO')).split(' ')).toContain('redir=-1');
      await c.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'x', 'NOLOOP');
      expect(await c.call('CLIENT', 'GETREDIR')).toBe(int(0));
      // With no prefix, BCAST adds the empty prefix to those held.
      await c.call('CLIENT', 'TRACKING', 'ON', 'BCAST');
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(
        `*6\r\n${bulk('flags')}*2\r\n${bulk('on')}${bulk('bcast')}${bulk('redirect')}${int(0)}${bulk('prefixes')}${keys('', 'x')}`,
      );
      expect(await c.call('RESET')).toBe('+RESET\r\n');
      expect(await c.call('CLIENT', 'TRACKINGINFO')).toBe(off);
    });

    it('INFO counts keys and items; tracking-table-max-keys forgets keys with an invalidation', async () => {
      const c = await resp3();
      const d = await resp3();
      const admin = await t.connect();
      expect(await admin.call('CONFIG', 'GET', 'tracking-table-max-keys')).toBe(
        array(bulk('tracking-table-max-keys'), bulk('1000000')),
      );
      await c.call('CLIENT', 'TRACKING', 'ON');
      await d.call('CLIENT', 'TRACKING', 'ON');
      await c.call('MGET', 'a', 'b');
      await d.call('GET', 'a');
      const stats = await admin.call('INFO', 'stats');
      expect(stats).toMatch(
        /\r\ntracking_total_keys:2\r\ntracking_total_items:3\r\ntracking_total_prefixes:0\r\n/,
      );
      expect(await admin.call('INFO', 'clients')).toMatch(/\r\ntracking_clients:2\r\n/);
      await admin.call('FLUSHALL');
      await c.readReplies(1);
      await d.readReplies(1);

      expect(await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1')).toBe(OK);
      await c.call('GET', 'a');
      c.sendCommand('GET', 'b');
      // redis-server forgets a key picked at random, Sluice the oldest: one of the two, with its invalidation.
      const [reply, evicted] = await c.readReplies(2, 3000);
      expect(reply).toBe(NULL3);
      expect([push(keys('a')), push(keys('b'))]).toContain(evicted);
      expect(await admin.call('INFO', 'stats')).toMatch(/\r\ntracking_total_keys:1\r\n/);
      expect(await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '-1')).toBe(
        error(
          "ERR CONFIG SET failed (possibly related to argument 'tracking-table-max-keys') - argument must be between 0 and 9223372036854775807 inclusive",
        ),
      );
      await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    });
  });

  describe('errors', () => {
    it('CLIENT TRACKING', async () => {
      const c = await t.connect();
      const other = await t.connect();
      const otherId = (await other.call('CLIENT', 'ID')).slice(1, -2);
      const cases: [string[], string][] = [
        [['CLIENT', 'TRACKING'], ERR.arity('client|tracking')],
        [['CLIENT', 'TRACKING', 'maybe'], ERR.syntax],
        [['CLIENT', 'TRACKING', 'on', 'foo'], ERR.syntax],
        [['CLIENT', 'TRACKING', 'on', 'PREFIX'], ERR.syntax],
        [['CLIENT', 'TRACKING', 'on', 'REDIRECT'], ERR.syntax],
        [['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'], ERR.notInteger],
        [
          ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'],
          error('ERR The client ID you want redirect to does not exist'),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '0'],
          error('ERR The client ID you want redirect to does not exist'),
        ],
        [
          ['CLIENT', 'TRACKING', 'off', 'REDIRECT', '999999'],
          error('ERR The client ID you want redirect to does not exist'),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'REDIRECT', otherId, 'REDIRECT', otherId],
          error('ERR A client can only redirect to a single other client'),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'],
          error('ERR PREFIX option requires BCAST mode to be enabled'),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'],
          error("ERR You can't specify both OPTIN mode and OPTOUT mode"),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN', 'OPTOUT'],
          error('ERR OPTIN and OPTOUT are not compatible with BCAST'),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
          error(
            "ERR Prefix 'ab' overlaps with another provided prefix 'a'. Prefixes for a single client must not overlap.",
          ),
        ],
        [['CLIENT', 'TRACKING', 'off', 'BCAST', 'PREFIX', 'x', 'OPTIN', 'OPTOUT'], OK],
        [['CLIENT', 'TRACKING', 'on', 'OPTIN'], OK],
        [
          ['CLIENT', 'TRACKING', 'on', 'OPTOUT'],
          error(
            "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
          ),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'BCAST'],
          error(
            "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
          ),
        ],
        [['CLIENT', 'TRACKING', 'off'], OK],
        [['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'cd'], OK],
        [
          ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'abc'],
          error(
            "ERR Prefix 'abc' overlaps with an existing prefix 'ab'. Prefixes for a single client must not overlap.",
          ),
        ],
        [
          ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'c'],
          error(
            "ERR Prefix 'c' overlaps with an existing prefix 'cd'. Prefixes for a single client must not overlap.",
          ),
        ],
        [['CLIENT', 'TRACKING', 'off'], OK],
      ];
      for (const [args, reply] of cases)
        expect({ args, reply: await c.call(...args) }).toEqual({ args, reply });
    });

    it('CLIENT CACHING, GETREDIR and TRACKINGINFO', async () => {
      const c = await t.connect();
      const cases: [string[], string][] = [
        [['CLIENT', 'CACHING'], ERR.arity('client|caching')],
        [['CLIENT', 'CACHING', 'yes', 'no'], ERR.arity('client|caching')],
        [
          ['CLIENT', 'CACHING', 'yes'],
          error(
            'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
          ),
        ],
        [['CLIENT', 'GETREDIR', 'x'], ERR.arity('client|getredir')],
        [['CLIENT', 'TRACKINGINFO', 'x'], ERR.arity('client|trackinginfo')],
        [['CLIENT', 'TRACKING', 'on', 'OPTIN'], OK],
        [
          ['CLIENT', 'CACHING', 'no'],
          error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.'),
        ],
        [['CLIENT', 'CACHING', 'maybe'], ERR.syntax],
        [['CLIENT', 'TRACKING', 'off'], OK],
        [['CLIENT', 'TRACKING', 'on'], OK],
        [
          ['CLIENT', 'CACHING', 'yes'],
          error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.'),
        ],
      ];
      for (const [args, reply] of cases)
        expect({ args, reply: await c.call(...args) }).toEqual({ args, reply });
    });
  });
});
