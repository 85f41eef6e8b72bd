/**
 * Byte-exact replies over a raw socket, RESP2 and RESP3, checked against redis-server 7 and sluice-server.
 * Where the two may legitimately differ (server name, version, ids, command counts) only the shape is
 * asserted.
 */
import { realpath } from 'node:fs/promises';
import type { ReplyValue } from '@sluice/protocol';
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { array, bulk, bulks, ERR, entries, error, int, NIL, NULL3, nil, OK, parse, simple } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(targets())('raw protocol against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  /** A connection switched to `proto` (HELLO 3 for RESP3). */
  async function connect(proto: 2 | 3 = 2): Promise<RawClient> {
    const c = await t.connect();
    if (proto === 3) expect(await c.call('HELLO', '3')).toMatch(/^%7\r\n/);
    return c;
  }

  /** Send `args`, decode the one reply. */
  async function value(c: RawClient, ...args: string[]): Promise<ReplyValue> {
    return parse(await c.call(...args));
  }

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let c: RawClient;
    beforeEach(async () => {
      c = await connect(proto);
    });

    describe('GET SET MGET DEL', () => {
      it('GET of a missing key is null', async () => {
        expect(await c.call('GET', 'missing')).toBe(nil(proto));
      });

      it('SET then GET', async () => {
        expect(await c.call('SET', 'k', 'hello')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('hello'));
        expect(await c.call('SET', 'k', 'again')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('again'));
      });

      it('MGET mixes values and nulls', async () => {
        await c.call('SET', 'a', '1');
        await c.call('SET', 'c', '3');
        expect(await c.call('MGET', 'a', 'b', 'c', 'a')).toBe(
          array(bulk('1'), nil(proto), bulk('3'), bulk('1')),
        );
      });

      it('DEL counts removed keys, repeats counted once', async () => {
        await c.call('SET', 'a', '1');
        await c.call('SET', 'b', '2');
        expect(await c.call('DEL', 'a', 'a', 'b', 'missing')).toBe(int(2));
        expect(await c.call('DEL', 'a')).toBe(int(0));
        expect(await c.call('GET', 'a')).toBe(nil(proto));
      });

      it('arity errors', async () => {
        expect(await c.call('GET')).toBe(ERR.arity('get'));
        expect(await c.call('GET', 'a', 'b')).toBe(ERR.arity('get'));
        expect(await c.call('SET', 'k')).toBe(ERR.arity('set'));
        expect(await c.call('MGET')).toBe(ERR.arity('mget'));
        expect(await c.call('DEL')).toBe(ERR.arity('del'));
      });
    });

    describe('SET options', () => {
      it('NX sets only a missing key; XX only an existing one', async () => {
        expect(await c.call('SET', 'k', 'v1', 'NX')).toBe(OK);
        expect(await c.call('SET', 'k', 'v2', 'NX')).toBe(nil(proto));
        expect(await c.call('GET', 'k')).toBe(bulk('v1'));
        expect(await c.call('SET', 'k', 'v3', 'XX')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('v3'));
        expect(await c.call('SET', 'other', 'v', 'XX')).toBe(nil(proto));
        expect(await c.call('EXISTS', 'other')).toBe(int(0));
      });

      it('GET returns the old value (null when missing)', async () => {
        expect(await c.call('SET', 'k', 'v1', 'GET')).toBe(nil(proto));
        expect(await c.call('SET', 'k', 'v2', 'GET')).toBe(bulk('v1'));
        expect(await c.call('GET', 'k')).toBe(bulk('v2'));
      });

      it('NX GET on an existing key returns the old value and does not set', async () => {
        expect(await c.call('SET', 'k', 'new', 'NX', 'GET')).toBe(nil(proto));
        expect(await c.call('GET', 'k')).toBe(bulk('new'));
        expect(await c.call('SET', 'k', 'newer', 'NX', 'GET')).toBe(bulk('new'));
        expect(await c.call('GET', 'k')).toBe(bulk('new'));
      });

      it('XX GET on a missing key returns null and does not set', async () => {
        expect(await c.call('SET', 'k', 'v', 'XX', 'GET')).toBe(nil(proto));
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
      });

      it('EX and PX set a TTL', async () => {
        expect(await c.call('SET', 'k', 'v', 'EX', '100')).toBe(OK);
        expect(await value(c, 'TTL', 'k')).toBeOneOf([99, 100]);
        expect(await c.call('SET', 'k', 'v', 'PX', '50000')).toBe(OK);
        const pttl = await value(c, 'PTTL', 'k');
        expect(pttl).toBeGreaterThan(45_000);
        expect(pttl).toBeLessThanOrEqual(50_000);
      });

      it('EXAT and PXAT set an absolute expiry', async () => {
        const nowSeconds = Math.floor(Date.now() / 1000);
        expect(await c.call('SET', 'k', 'v', 'EXAT', String(nowSeconds + 100))).toBe(OK);
        const ttl = await value(c, 'TTL', 'k');
        expect(ttl).toBeGreaterThanOrEqual(95);
        expect(ttl).toBeLessThanOrEqual(101);
        expect(await c.call('SET', 'k', 'v', 'PXAT', String(Date.now() + 100_000))).toBe(OK);
        const pttl = await value(c, 'PTTL', 'k');
        expect(pttl).toBeGreaterThan(95_000);
        expect(pttl).toBeLessThanOrEqual(100_000);
      });

      it('EXAT/PXAT in the past: +OK and the key is gone', async () => {
        expect(await c.call('SET', 'k', 'v', 'EXAT', '1')).toBe(OK);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        expect(await c.call('SET', 'k', 'v', 'PXAT', '1')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(nil(proto));
      });

      it('KEEPTTL keeps the TTL; a plain SET clears it', async () => {
        await c.call('SET', 'k', 'v1', 'EX', '100');
        expect(await c.call('SET', 'k', 'v2', 'KEEPTTL')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('v2'));
        expect(await value(c, 'TTL', 'k')).toBeOneOf([99, 100]);
        expect(await c.call('SET', 'k', 'v3', 'XX', 'KEEPTTL', 'GET')).toBe(bulk('v2'));
        expect(await value(c, 'TTL', 'k')).toBeOneOf([99, 100]);
        expect(await c.call('SET', 'k', 'v4')).toBe(OK);
        expect(await c.call('TTL', 'k')).toBe(int(-1));
      });

      it('options are case-insensitive, and repeating the same option is allowed', async () => {
        expect(await c.call('SET', 'k', 'v', 'ex', '100', 'get')).toBe(nil(proto));
        expect(await c.call('SET', 'k', 'v', 'Ex', '100', 'EX', '200')).toBe(OK);
        expect(await value(c, 'TTL', 'k')).toBeOneOf([199, 200]);
        expect(await c.call('SET', 'k', 'v', 'NX', 'NX')).toBe(nil(proto));
        expect(await c.call('SET', 'k', 'w', 'GET', 'GET')).toBe(bulk('v'));
      });

      it.each([
        ['NX', 'XX'],
        ['XX', 'NX'],
        ['EX', '10', 'PX', '100'],
        ['PX', '100', 'EX', '10'],
        ['EX', '10', 'EXAT', '9999999999'],
        ['PXAT', '9999999999999', 'EXAT', '9999999999'],
        ['KEEPTTL', 'EX', '10'],
        ['EX', '10', 'KEEPTTL'],
        ['PX', '10', 'KEEPTTL'],
        ['EX'],
        ['PX'],
        ['EXAT'],
        ['PXAT'],
        ['FOO'],
        ['EX', '10', 'FOO'],
      ])('syntax error: SET k v %s', async (...options: string[]) => {
        expect(await c.call('SET', 'k', 'v', ...options)).toBe(ERR.syntax);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
      });

      it.each([
        ['EX', 'x'],
        ['EX', '1.5'],
        ['PX', ''],
        ['EXAT', '10abc'],
        ['PXAT', '99999999999999999999'],
        ['EX', ' 10'],
      ])('not an integer: SET k v %s %j', async (option, arg) => {
        expect(await c.call('SET', 'k', 'v', option, arg)).toBe(ERR.notInteger);
      });

      it.each([
        ['EX', '0'],
        ['EX', '-1'],
        ['PX', '0'],
        ['PX', '-100'],
        ['EXAT', '0'],
        ['PXAT', '0'],
        ['PXAT', '-1'],
        ['EX', '9223372036854775'],
        ['PX', '9223372036854775807'],
      ])('invalid expire time: SET k v %s %s', async (option, arg) => {
        expect(await c.call('SET', 'k', 'v', option, arg)).toBe(ERR.setExpire);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
      });
    });

    describe('expiry', () => {
      it('a key set with PX 100 is gone 250 ms later', async () => {
        expect(await c.call('SET', 'k', 'v', 'PX', '100')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('v'));
        await sleep(250);
        expect(await c.call('GET', 'k')).toBe(nil(proto));
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        expect(await c.call('TTL', 'k')).toBe(int(-2));
      });

      it('TTL/PTTL: -2 missing, -1 without expiry, positive with expiry', async () => {
        expect(await c.call('TTL', 'missing')).toBe(int(-2));
        expect(await c.call('PTTL', 'missing')).toBe(int(-2));
        await c.call('SET', 'plain', 'v');
        expect(await c.call('TTL', 'plain')).toBe(int(-1));
        expect(await c.call('PTTL', 'plain')).toBe(int(-1));
        await c.call('SET', 'timed', 'v', 'EX', '1000');
        expect(await value(c, 'TTL', 'timed')).toBeOneOf([999, 1000]);
        const pttl = await value(c, 'PTTL', 'timed');
        expect(pttl).toBeGreaterThan(990_000);
        expect(pttl).toBeLessThanOrEqual(1_000_000);
      });

      it('KEYS and SCAN skip expired keys', async () => {
        await c.call('SET', 'short', 'v', 'PX', '50');
        await c.call('SET', 'long', 'v');
        await sleep(150);
        expect(await c.call('KEYS', '*')).toBe(bulks('long'));
        expect(await c.call('SCAN', '0')).toBe(array(bulk('0'), bulks('long')));
      });

      it('expired keys leave DBSIZE within a second, without being touched (active expiry)', async () => {
        // redis expires keys in the background (hz 10), so no command needs to read the key first.
        await c.call('SET', 'short', 'v', 'PX', '50');
        await c.call('SET', 'long', 'v');
        expect(await c.call('DBSIZE')).toBe(int(2));
        await sleep(1000);
        expect(await c.call('DBSIZE')).toBe(int(1));
        expect(await value(c, 'INFO', 'keyspace')).toMatch(/\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n/);
      });
    });

    describe('keyspace', () => {
      it('EXISTS counts every argument, repeats included', async () => {
        await c.call('SET', 'a', '1');
        await c.call('SET', 'b', '2');
        expect(await c.call('EXISTS', 'a')).toBe(int(1));
        expect(await c.call('EXISTS', 'a', 'a', 'a')).toBe(int(3));
        expect(await c.call('EXISTS', 'a', 'b', 'missing', 'b')).toBe(int(3));
        expect(await c.call('EXISTS', 'missing')).toBe(int(0));
        expect(await c.call('EXISTS')).toBe(ERR.arity('exists'));
      });

      it('TYPE is string or none', async () => {
        await c.call('SET', 'a', '1');
        expect(await c.call('TYPE', 'a')).toBe(simple('string'));
        expect(await c.call('TYPE', 'missing')).toBe(simple('none'));
      });

      it('DBSIZE counts keys in the selected database', async () => {
        expect(await c.call('DBSIZE')).toBe(int(0));
        await c.call('SET', 'a', '1');
        await c.call('SET', 'b', '2');
        expect(await c.call('DBSIZE')).toBe(int(2));
        expect(await c.call('DBSIZE', 'x')).toBe(ERR.arity('dbsize'));
      });

      it('SELECT: databases 0-15 are separate', async () => {
        for (let db = 0; db < 16; db++) {
          expect(await c.call('SELECT', String(db))).toBe(OK);
          expect(await c.call('SET', 'k', `db${db}`)).toBe(OK);
          expect(await c.call('DBSIZE')).toBe(int(1));
        }
        for (let db = 15; db >= 0; db--) {
          await c.call('SELECT', String(db));
          expect(await c.call('GET', 'k')).toBe(bulk(`db${db}`));
        }
      });

      it('SELECT errors', async () => {
        expect(await c.call('SELECT', '16')).toBe(ERR.dbRange);
        expect(await c.call('SELECT', '-1')).toBe(ERR.dbRange);
        expect(await c.call('SELECT', 'x')).toBe(ERR.notInteger);
        expect(await c.call('SELECT', '2147483648')).toBe(ERR.intRange);
        expect(await c.call('SELECT', '-2147483649')).toBe(ERR.intRange);
        expect(await c.call('SELECT', '9223372036854775808')).toBe(ERR.notInteger);
        expect(await c.call('SELECT')).toBe(ERR.arity('select'));
      });

      it('FLUSHDB empties only the selected database; FLUSHALL empties all', async () => {
        await c.call('SET', 'a', '0');
        await c.call('SELECT', '1');
        await c.call('SET', 'a', '1');
        await c.call('SELECT', '2');
        await c.call('SET', 'a', '2');
        expect(await c.call('FLUSHDB')).toBe(OK);
        expect(await c.call('DBSIZE')).toBe(int(0));
        await c.call('SELECT', '1');
        expect(await c.call('DBSIZE')).toBe(int(1));
        expect(await c.call('FLUSHDB', 'ASYNC')).toBe(OK);
        expect(await c.call('DBSIZE')).toBe(int(0));
        expect(await c.call('FLUSHDB', 'foo')).toBe(ERR.syntax);
        await c.call('SELECT', '3');
        await c.call('SET', 'a', '3');
        expect(await c.call('FLUSHALL')).toBe(OK);
        expect(await c.call('DBSIZE')).toBe(int(0));
        await c.call('SELECT', '0');
        expect(await c.call('DBSIZE')).toBe(int(0));
        expect(await c.call('SET', 'a', '0')).toBe(OK);
        expect(await c.call('FLUSHALL', 'SYNC')).toBe(OK);
        expect(await c.call('EXISTS', 'a')).toBe(int(0));
      });

      it.each(['everysec', 'always'])(
        'commands pipelined after FLUSHDB, FLUSHALL and KEYS see their effect (appendfsync %s)',
        async (fsync) => {
          expect(await c.call('CONFIG', 'SET', 'appendfsync', fsync)).toBe(OK);
          // One write carrying every command: the server runs them in one turn.
          c.send(
            [
              ['SET', 'a', '1'],
              ['FLUSHDB'],
              ['GET', 'a'],
              ['EXISTS', 'a'],
              ['SET', 'b', '1'],
              ['FLUSHALL'],
              ['GET', 'b'],
              ['SET', 'c', '1'],
              ['KEYS', '*'],
              ['GET', 'c'],
            ]
              .map((args) => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`)
              .join(''),
          );
          expect(await c.readReplies(10)).toEqual([
            OK,
            OK,
            nil(proto),
            int(0),
            OK,
            OK,
            nil(proto),
            OK,
            array(bulk('c')),
            bulk('1'),
          ]);
          expect(await c.call('CONFIG', 'SET', 'appendfsync', 'everysec')).toBe(OK);
        },
      );

      it('KEYS with glob patterns', async () => {
        for (const key of ['k', 'ka', 'kb', 'kab', 'kc', 'k*', 'k?', 'x', 'kkk'])
          await c.call('SET', key, '1');
        const keys = async (pattern: string) => ((await value(c, 'KEYS', pattern)) as string[]).sort();
        expect(await keys('*')).toEqual(['k', 'k*', 'k?', 'ka', 'kab', 'kb', 'kc', 'kkk', 'x']);
        expect(await keys('k?')).toEqual(['k*', 'k?', 'ka', 'kb', 'kc']);
        expect(await keys('k[ab]*')).toEqual(['ka', 'kab', 'kb']);
        expect(await keys('k[^ab]')).toEqual(['k*', 'k?', 'kc']);
        expect(await keys('k[a-b]')).toEqual(['ka', 'kb']);
        expect(await keys('k\\*')).toEqual(['k*']);
        expect(await keys('k\\?')).toEqual(['k?']);
        expect(await keys('nomatch*')).toEqual([]);
        expect(await c.call('KEYS', 'x')).toBe(bulks('x'));
        expect(await c.call('KEYS')).toBe(ERR.arity('keys'));
      });

      it('SCAN with MATCH and COUNT visits every matching key and ends at cursor 0', async () => {
        for (let i = 0; i < 300; i++) c.sendCommand('SET', i % 2 === 0 ? `user:${i}` : `item:${i}`, 'v');
        expect(new Set(await c.readReplies(300))).toEqual(new Set([OK]));

        const scanAll = async (...options: string[]): Promise<string[]> => {
          const seen = new Set<string>();
          let cursor = '0';
          for (let rounds = 0; rounds < 10_000; rounds++) {
            const reply = await value(c, 'SCAN', cursor, ...options);
            expect(reply).toEqual([expect.stringMatching(/^\d+$/), expect.any(Array)]);
            const [next, keys] = reply as [string, string[]];
            for (const key of keys) seen.add(key);
            cursor = next;
            if (cursor === '0') return [...seen].sort();
          }
          throw new Error('SCAN did not finish');
        };
        const all = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `user:${i}` : `item:${i}`)).sort();
        expect(await scanAll()).toEqual(all);
        expect(await scanAll('COUNT', '7')).toEqual(all);
        expect(await scanAll('MATCH', 'user:*', 'COUNT', '50')).toEqual(
          all.filter((k) => k.startsWith('user:')),
        );
        expect(await scanAll('MATCH', 'item:1?')).toEqual([
          'item:11',
          'item:13',
          'item:15',
          'item:17',
          'item:19',
        ]);
        expect(await scanAll('MATCH', 'none*')).toEqual([]);
      });

      it('SCAN errors', async () => {
        expect(await c.call('SCAN')).toBe(ERR.arity('scan'));
        expect(await c.call('SCAN', 'x')).toBe(error('ERR invalid cursor'));
        expect(await c.call('SCAN', '0', 'COUNT', '0')).toBe(ERR.syntax);
        expect(await c.call('SCAN', '0', 'COUNT', 'x')).toBe(ERR.notInteger);
        expect(await c.call('SCAN', '0', 'MATCH')).toBe(ERR.syntax);
        expect(await c.call('SCAN', '0', 'FOO', 'bar')).toBe(ERR.syntax);
      });

      it('SCAN of an empty database', async () => {
        expect(await c.call('SCAN', '0')).toBe(array(bulk('0'), array()));
      });
    });

    describe('connection commands', () => {
      it('PING, PING msg, ECHO', async () => {
        expect(await c.call('PING')).toBe(simple('PONG'));
        expect(await c.call('PING', 'hello world')).toBe(bulk('hello world'));
        expect(await c.call('PING', 'a', 'b')).toBe(ERR.arity('ping'));
        expect(await c.call('ECHO', 'hi')).toBe(bulk('hi'));
        expect(await c.call('ECHO', '')).toBe(bulk(''));
        expect(await c.call('ECHO')).toBe(ERR.arity('echo'));
      });

      it('TIME is [unix seconds, microseconds] as bulk strings', async () => {
        const raw = await c.call('TIME');
        expect(raw).toMatch(/^\*2\r\n\$\d+\r\n\d+\r\n\$\d\r\n\d{1,6}\r\n$/);
        const [seconds] = parse(raw) as [string, string];
        expect(Math.abs(Number(seconds) - Date.now() / 1000)).toBeLessThan(5);
      });
    });
  });

  describe('errors and request parsing', () => {
    let c: RawClient;
    beforeEach(async () => {
      c = await connect();
    });

    it('unknown command, exact text with the trailing space', async () => {
      expect(await c.call('foo', 'a', 'b')).toBe(
        error("ERR unknown command 'foo', with args beginning with: 'a' 'b' "),
      );
      expect(await c.call('foo')).toBe(error("ERR unknown command 'foo', with args beginning with: "));
      expect(await c.call('FOO', 'x y')).toBe(
        error("ERR unknown command 'FOO', with args beginning with: 'x y' "),
      );
    });

    it('wrong number of arguments', async () => {
      expect(await c.call('get')).toBe(error("ERR wrong number of arguments for 'get' command"));
      expect(await c.call('GET')).toBe(error("ERR wrong number of arguments for 'get' command"));
    });

    it('command names are case-insensitive', async () => {
      expect(await c.call('sEt', 'k', 'v')).toBe(OK);
      expect(await c.call('gEt', 'k')).toBe(bulk('v'));
      expect(await c.call('get', 'k')).toBe(bulk('v'));
      expect(await c.call('PiNg')).toBe(simple('PONG'));
    });

    it('inline commands with quoting', async () => {
      c.send('SET k "a b"\r\n');
      expect(await c.readReplies(1)).toEqual([OK]);
      c.send('GET k\r\n');
      expect(await c.readReplies(1)).toEqual([bulk('a b')]);
      c.send('SET k "a\\x41\\n"\r\nGET k\r\n');
      expect(await c.readReplies(2)).toEqual([OK, bulk('aA\n')]);
      c.send("SET k 'it\\'s'\r\nGET k\r\n");
      expect(await c.readReplies(2)).toEqual([OK, bulk("it's")]);
      c.send('SET k a\\b\r\nGET k\r\n');
      expect(await c.readReplies(2)).toEqual([OK, bulk('a\\b')]);
      c.send('SET "" empty\r\nGET ""\r\n');
      expect(await c.readReplies(2)).toEqual([OK, bulk('empty')]);
    });

    it('inline: LF alone ends a line, blank lines are ignored, extra spaces are separators', async () => {
      c.send('PING\n\r\n   \r\n  ECHO   x  \r\n');
      expect(await c.readReplies(2)).toEqual([simple('PONG'), bulk('x')]);
      expect(await c.read(200)).toBe('');
    });

    it('a command sent one byte at a time', async () => {
      for (const byte of Buffer.from(
        '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nbytes\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n',
      )) {
        c.send(Buffer.from([byte]));
        await sleep(1);
      }
      expect(await c.readReplies(2)).toEqual([OK, bulk('bytes')]);
    });

    it('pipelining: 20 commands in one write, 20 replies in order', async () => {
      const commands: string[] = [];
      const expected: string[] = [];
      for (let i = 0; i < 10; i++) {
        commands.push(`*3\r\n$3\r\nSET\r\n$2\r\nk${i}\r\n$2\r\nv${i}\r\n`);
        expected.push(OK);
      }
      for (let i = 9; i >= 0; i--) {
        commands.push(`*2\r\n$3\r\nGET\r\n$2\r\nk${i}\r\n`);
        expected.push(bulk(`v${i}`));
      }
      c.send(commands.join(''));
      expect(await c.readReplies(20)).toEqual(expected);
      expect(await c.read(200)).toBe('');
    });

    it('pipelining mixes RESP and inline requests', async () => {
      c.send('*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nz\r\nECHO y\r\n');
      expect(await c.readReplies(4)).toEqual([simple('PONG'), simple('PONG'), bulk('z'), bulk('y')]);
    });

    it('binary-safe keys and values', async () => {
      const key = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const val = Buffer.from('\r\n\0\xff$-1\r\n*2\r\n', 'latin1');
      expect(await c.call('SET', key, val)).toBe(OK);
      expect(await c.call('GET', key)).toBe(bulk(val));
      expect(parse(await c.call('KEYS', '*'))).toEqual([key.toString('latin1')]);
    });

    it('the empty key and the empty value', async () => {
      expect(await c.call('SET', '', '')).toBe(OK);
      expect(await c.call('GET', '')).toBe(bulk(''));
      expect(await c.call('EXISTS', '')).toBe(int(1));
      expect(await c.call('SET', '', 'x')).toBe(OK);
      expect(await c.call('GET', '')).toBe(bulk('x'));
      expect(await c.call('DEL', '')).toBe(int(1));
    });

    it('a 3000-byte key', async () => {
      const key = `${'k'.repeat(2999)}!`;
      expect(await c.call('SET', key, 'long')).toBe(OK);
      expect(await c.call('GET', key)).toBe(bulk('long'));
      expect(await c.call('KEYS', '*!')).toBe(bulks(key));
    });

    it('a 1 MiB value', async () => {
      const big = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
      expect(await c.call('SET', 'big', big)).toBe(OK);
      const reply = await c.call('GET', 'big');
      expect(reply.length).toBe(big.length + '$1048576\r\n\r\n'.length);
      expect(reply === bulk(big)).toBe(true);
    });
  });

  describe('HELLO and AUTH', () => {
    const FIELDS = ['server', 'version', 'proto', 'id', 'mode', 'role', 'modules'];

    function checkHello(reply: ReplyValue, proto: 2 | 3): void {
      const fields = entries(reply);
      expect(fields.map(([name]) => name)).toEqual(FIELDS);
      const hello = Object.fromEntries(fields.map(([name, v]) => [String(name), v]));
      expect(hello.server).toEqual(expect.any(String));
      expect(hello.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(hello.proto).toBe(proto);
      expect(hello.id).toEqual(expect.any(Number));
      expect(hello.mode).toBe('standalone');
      expect(hello.role).toBe('master');
      expect(hello.modules).toEqual([]);
    }

    it('HELLO 3 replies with a map, HELLO 2 with a flat array', async () => {
      const c = await connect();
      const three = await c.call('HELLO', '3');
      expect(three).toMatch(/^%7\r\n\$6\r\nserver\r\n/);
      checkHello(parse(three), 3);
      const two = await c.call('HELLO', '2');
      expect(two).toMatch(/^\*14\r\n\$6\r\nserver\r\n/);
      checkHello(parse(two), 2);
    });

    it('HELLO without arguments reports the current protocol without changing it', async () => {
      const c = await connect();
      checkHello(await value(c, 'HELLO'), 2);
      await c.call('HELLO', '3');
      const reply = await c.call('HELLO');
      expect(reply).toMatch(/^%7\r\n/);
      checkHello(parse(reply), 3);
    });

    it('the HELLO id is the CLIENT ID', async () => {
      const c = await connect();
      const hello = Object.fromEntries(entries(await value(c, 'HELLO', '3')));
      expect(await c.call('CLIENT', 'ID')).toBe(int(hello.id as number));
    });

    it('HELLO with an unsupported protocol version', async () => {
      const c = await connect();
      expect(await c.call('HELLO', '4')).toBe(error('NOPROTO unsupported protocol version'));
      expect(await c.call('HELLO', '1')).toBe(error('NOPROTO unsupported protocol version'));
      expect(await c.call('HELLO', 'x')).toBe(
        error('ERR Protocol version is not an integer or out of range'),
      );
      expect(await c.call('GET', 'missing')).toBe(NIL);
    });

    it('HELLO 3 SETNAME sets the client name', async () => {
      const c = await connect();
      checkHello(await value(c, 'HELLO', '3', 'SETNAME', 'conn-1'), 3);
      expect(await c.call('CLIENT', 'GETNAME')).toBe(bulk('conn-1'));
      expect(await c.call('GET', 'missing')).toBe(NULL3);
    });

    it('HELLO applies each option as it reads it: SETNAME before a later error', async () => {
      const c = await connect();
      expect(await c.call('HELLO', '2', 'SETNAME', 'x', 'FOO')).toBe(
        error("ERR Syntax error in HELLO option 'FOO'"),
      );
      expect(await c.call('CLIENT', 'GETNAME')).toBe(bulk('x'));
      expect(await c.call('HELLO', '3', 'SETNAME', 'y', 'SETNAME', 'a b')).toBe(
        error('ERR Client names cannot contain spaces, newlines or special characters.'),
      );
      expect(await c.call('CLIENT', 'GETNAME')).toBe(bulk('y'));
      expect(await c.call('GET', 'missing')).toBe(NIL);
    });

    it('AUTH without a configured password', async () => {
      const c = await connect();
      expect(await c.call('AUTH', 'secret')).toBe(
        error(
          'ERR AUTH <password> called without any password configured for the default user. ' +
            'Are you sure your configuration is correct?',
        ),
      );
      expect(await c.call('AUTH', 'someone', 'secret')).toBe(ERR.wrongPass);
      expect(await c.call('AUTH')).toBe(ERR.arity('auth'));
      expect(await c.call('PING')).toBe(simple('PONG'));
    });
  });

  describe('CLIENT', () => {
    it('ID, SETNAME, GETNAME', async () => {
      const c = await connect();
      expect(await c.call('CLIENT', 'ID')).toMatch(/^:[1-9]\d*\r\n$/);
      expect(await c.call('CLIENT', 'GETNAME')).toBe(NIL);
      expect(await c.call('CLIENT', 'SETNAME', 'my-conn')).toBe(OK);
      expect(await c.call('CLIENT', 'GETNAME')).toBe(bulk('my-conn'));
      expect(await c.call('CLIENT', 'SETNAME', 'a b')).toBe(
        error('ERR Client names cannot contain spaces, newlines or special characters.'),
      );
      expect(await c.call('CLIENT', 'SETNAME')).toBe(ERR.arity('client|setname'));
      expect(await c.call('CLIENT', 'SETNAME', '')).toBe(OK);
      expect(await c.call('CLIENT', 'GETNAME')).toBe(NIL);
    });

    it('INFO and LIST describe the connection', async () => {
      const c = await connect();
      const id = Number((await c.call('CLIENT', 'ID')).slice(1, -2));
      await c.call('CLIENT', 'SETNAME', 'lister');
      await c.call('SELECT', '3');
      const info = await c.call('CLIENT', 'INFO');
      expect(info).toMatch(/^\$\d+\r\n/);
      const line = parse(info) as string;
      expect(line).toMatch(/\n$/);
      expect(line).toMatch(new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:\\d+ `));
      expect(line.trimEnd().split(' ')).toEqual(expect.arrayContaining(['name=lister', 'db=3', 'resp=2']));

      const other = await connect(3);
      const list = parse(await c.call('CLIENT', 'LIST')) as string;
      const lines = list.split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const l of lines) expect(l).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+ .*\bname=\S* .*\bdb=\d+ /);
      const mine = lines.find((l) => l.startsWith(`id=${id} `));
      expect(mine?.split(' ')).toEqual(expect.arrayContaining(['name=lister', 'db=3']));
      expect(lines.some((l) => l.includes(' resp=3'))).toBe(true);

      const verbatim = await other.call('CLIENT', 'INFO');
      // Fields are checked by name, not position: redis 7.2 appends lib-name= lib-ver= after resp=.
      expect(verbatim).toMatch(/^=\d+\r\ntxt:id=\d+ addr=127\.0\.0\.1:\d+ .*\bresp=3\b.*\n\r\n$/);
    });

    it('SETINFO: +OK (redis >= 7.2) or unknown subcommand (redis 7.0)', async () => {
      // redis 7.0 has no CLIENT SETINFO; node-redis and ioredis send it on connect and ignore the error.
      const c = await connect();
      const reply = await c.call('CLIENT', 'SETINFO', 'lib-name', 'compat-test');
      expect(reply).toBeOneOf([OK, error("ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.")]);
      if (reply === OK) {
        expect(await c.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3')).toBe(OK);
        // redis 7.2 names the attribute as it was sent.
        expect(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'a b')).toBe(
          error('ERR LIB-NAME cannot contain spaces, newlines or special characters.'),
        );
        const info = parse(await c.call('CLIENT', 'INFO')) as string;
        expect(info.trimEnd().split(' ')).toEqual(
          expect.arrayContaining(['lib-name=compat-test', 'lib-ver=1.2.3']),
        );
      }
    });
  });

  describe('QUIT and RESET', () => {
    it('QUIT replies +OK and closes the connection', async () => {
      const c = await connect();
      c.send('QUIT\r\n');
      expect(await c.readReplies(1)).toEqual([OK]);
      await c.closed;
      expect(c.isClosed).toBe(true);
    });

    it('RESET: +RESET, back to db 0, RESP2 and no name', async () => {
      const c = await connect();
      await c.call('SET', 'k', 'db0');
      await c.call('SELECT', '5');
      await c.call('CLIENT', 'SETNAME', 'temp');
      await c.call('HELLO', '3');
      expect(await c.call('GET', 'missing')).toBe(NULL3);
      expect(await c.call('RESET')).toBe(simple('RESET'));
      expect(await c.call('GET', 'missing')).toBe(NIL);
      expect(await c.call('GET', 'k')).toBe(bulk('db0'));
      expect(await c.call('CLIENT', 'GETNAME')).toBe(NIL);
      expect(await c.call('PING')).toBe(simple('PONG'));
    });
  });

  describe('INFO', () => {
    const SECTIONS = [
      'Server',
      'Clients',
      'Memory',
      'Persistence',
      'Stats',
      'Replication',
      'Cluster',
      'Keyspace',
    ];

    /** The section names of an INFO text, in order. */
    const headers = (text: string) => [...text.matchAll(/^# (\w+)\r$/gm)].map((m) => m[1]);

    it('without arguments: the default sections in order, CRLF line endings', async () => {
      const c = await connect();
      const raw = await c.call('INFO');
      expect(raw).toMatch(/^\$\d+\r\n# Server\r\n/);
      const text = parse(raw) as string;
      const found = headers(text).filter((name) => name !== undefined && SECTIONS.includes(name));
      expect(found).toEqual(SECTIONS);
      expect(text).not.toMatch(/[^\r]\n/);
      expect(text).toMatch(/\r\nloading:0\r\n/);
      expect(text).toMatch(/\r\nrole:master\r\n/);
    });

    it.each(SECTIONS)('INFO %s has just that section', async (section) => {
      const c = await connect();
      const text = (await value(c, 'INFO', section.toLowerCase())) as string;
      expect(text.startsWith(`# ${section}\r\n`)).toBe(true);
      expect(headers(text)).toEqual([section]);
      expect(text).toMatch(/\r\n$/);
    });

    it('section contents', async () => {
      const c = await connect();
      expect(await value(c, 'INFO', 'persistence')).toMatch(/\r\nloading:0\r\n/);
      expect(await value(c, 'INFO', 'replication')).toMatch(/^# Replication\r\nrole:master\r\n/);
      expect(await value(c, 'INFO', 'server')).toMatch(new RegExp(`\\r\\ntcp_port:${t.port}\\r\\n`));
      expect(await value(c, 'INFO', 'clients')).toMatch(/\r\nconnected_clients:\d+\r\n/);
      expect(await value(c, 'INFO', 'stats')).toMatch(/\r\ntotal_commands_processed:\d+\r\n/);
      expect(await value(c, 'INFO', 'memory')).toMatch(/\r\nused_memory:\d+\r\n/);
    });

    it('INFO keyspace: empty, then db lines with keys and expires', async () => {
      const c = await connect();
      expect(await c.call('INFO', 'keyspace')).toBe(bulk('# Keyspace\r\n'));
      await c.call('SET', 'a', '1');
      await c.call('SET', 'b', '2', 'EX', '100');
      await c.call('SELECT', '3');
      await c.call('SET', 'c', '3');
      const text = (await value(c, 'INFO', 'keyspace')) as string;
      expect(text).toMatch(
        /^# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n$/,
      );
    });

    it('several sections, case-insensitive, and an unknown section', async () => {
      const c = await connect();
      expect(headers((await value(c, 'INFO', 'SERVER', 'Clients')) as string)).toEqual(['Server', 'Clients']);
      expect(await c.call('INFO', 'nosuchsection')).toBe(bulk(''));
    });

    it('in RESP3 INFO is a verbatim string', async () => {
      const c = await connect(3);
      expect(await c.call('INFO', 'keyspace')).toBe('=16\r\ntxt:# Keyspace\r\n\r\n');
      expect(await c.call('INFO')).toMatch(/^=\d+\r\ntxt:# Server\r\n/);
    });
  });

  describe('CONFIG', () => {
    it('CONFIG GET of single parameters', async () => {
      const c = await connect();
      expect(await c.call('CONFIG', 'GET', 'save')).toBe(bulks('save', ''));
      // redis runs here with --appendonly no; sluice always journals and says yes. Both are legitimate.
      expect(await c.call('CONFIG', 'GET', 'appendonly')).toMatch(
        /^\*2\r\n\$10\r\nappendonly\r\n\$(2\r\nno|3\r\nyes)\r\n$/,
      );
      expect(await c.call('CONFIG', 'GET', 'databases')).toBe(bulks('databases', '16'));
      expect(await c.call('CONFIG', 'GET', 'port')).toBe(bulks('port', String(t.port)));
      expect(await c.call('CONFIG', 'GET', 'appendfsync')).toBe(bulks('appendfsync', 'everysec'));
      expect(await c.call('CONFIG', 'GET', 'maxclients')).toMatch(
        /^\*2\r\n\$10\r\nmaxclients\r\n\$\d+\r\n\d+\r\n$/,
      );
      const [, dir] = (await value(c, 'CONFIG', 'GET', 'dir')) as [string, string];
      expect(await realpath(dir)).toBe(await realpath(t.server.dir));
      expect(await c.call('CONFIG', 'GET', 'nosuchparameter')).toBe(array());
      expect(await c.call('CONFIG', 'GET')).toBe(ERR.arity('config|get'));
    });

    it('CONFIG GET is case-insensitive, echoes the name as sent, and is a map in RESP3', async () => {
      const c = await connect(3);
      // redis 7.0 replies with the parameter name exactly as the client spelled it.
      expect(await c.call('CONFIG', 'GET', 'PORT')).toBe(`%1\r\n${bulk('PORT')}${bulk(String(t.port))}`);
      expect(await c.call('config', 'get', 'databases')).toBe(`%1\r\n${bulk('databases')}${bulk('16')}`);
    });

    it('CONFIG GET with a glob', async () => {
      const c = await connect();
      const pairs = entries(await value(c, 'CONFIG', 'GET', 'max*'));
      const names = pairs.map(([name]) => name as string);
      expect(names).toContain('maxclients');
      for (const name of names) expect(name).toMatch(/^max/);
      expect(new Set(names).size).toBe(names.length);
    });

    it('CONFIG GET answers a setting once, whatever the case; a backslash alone makes no pattern', async () => {
      const c = await connect();
      expect(await c.call('CONFIG', 'GET', 'Timeout', 'TIMEOUT')).toBe(bulks('Timeout', '0'));
      expect(await c.call('CONFIG', 'GET', 'TimeOut', 'time*')).toBe(bulks('TimeOut', '0'));
      expect(await c.call('CONFIG', 'GET', 'time*', 'TIMEOUT')).toBe(bulks('timeout', '0'));
      expect(await c.call('CONFIG', 'GET', 'time\\out')).toBe(array());
      expect(await c.call('CONFIG', 'GET', 'time\\*')).toBe(array());
      const c3 = await connect(3);
      expect(await c3.call('CONFIG', 'GET', 'TIMEOUT', 'timeout')).toBe(
        `%1\r\n${bulk('TIMEOUT')}${bulk('0')}`,
      );
    });

    it('CONFIG SET checks every name before any value; the first bad name is the error, as sent', async () => {
      const c = await connect();
      const unknown = (name: string) =>
        error(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
      const failed = (name: string, why: string) =>
        error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`);
      const immutable = (name: string) => failed(name, "can't set immutable config");
      expect(await c.call('CONFIG', 'SET', 'timeout', '1', 'maxclients')).toBe(ERR.syntax);
      expect(await c.call('CONFIG', 'SET', 'timeout')).toBe(ERR.arity('config|set'));
      expect(await c.call('CONFIG', 'SET', 'DATABASES', '2')).toBe(immutable('DATABASES'));
      expect(await c.call('CONFIG', 'SET', 'timeout', 'abc', 'nosuch', '1')).toBe(unknown('nosuch'));
      expect(await c.call('CONFIG', 'SET', 'timeout', 'abc', 'databases', '2')).toBe(immutable('databases'));
      expect(await c.call('CONFIG', 'SET', 'databases', '2', 'nosuch', '1')).toBe(immutable('databases'));
      expect(await c.call('CONFIG', 'SET', 'nosuch', '1', 'databases', '2')).toBe(unknown('nosuch'));
      expect(await c.call('CONFIG', 'SET', 'timeout', '5', 'TIMEOUT', '6', 'nosuch', '1')).toBe(
        failed('TIMEOUT', 'duplicate parameter'),
      );
      // A bad value is named as the setting is called.
      expect(await c.call('CONFIG', 'SET', 'timeout', '5', 'TIMEOUT', 'abc')).toBe(
        failed('TIMEOUT', 'duplicate parameter'),
      );
      expect(await c.call('CONFIG', 'SET', 'maxclients', '100', 'TIMEOUT', 'abc')).toBe(
        failed('timeout', "argument couldn't be parsed into an integer"),
      );
      expect(await c.call('CONFIG', 'GET', 'timeout')).toBe(bulks('timeout', '0'));
    });

    it("CONFIG SET refuses a value with redis-server 7.0's ranges and value lists", async () => {
      const c = await connect();
      const invalid = async (name: string, value: string, why: string) =>
        expect(await c.call('CONFIG', 'SET', name, value)).toBe(
          error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`),
        );
      const llong = (min: number) => `argument must be between ${min} and 9223372036854775807 inclusive`;
      await invalid('appendfsync', 'bogus', 'argument(s) must be one of the following: everysec, always, no');
      await invalid(
        'loglevel',
        'bogus',
        'argument(s) must be one of the following: debug, verbose, notice, warning',
      );
      await invalid('protected-mode', 'maybe', "argument must be 'yes' or 'no'");
      await invalid('timeout', '-5', 'argument must be between 0 and 2147483647 inclusive');
      await invalid('maxclients', '0', 'argument must be between 1 and 4294967295 inclusive');
      await invalid('slowlog-max-len', '-1', llong(0));
      await invalid('slowlog-log-slower-than', '-2', llong(-1));
      await invalid('proto-max-bulk-len', '10', llong(1048576));
      await invalid('proto-max-bulk-len', '99999999999999999999', llong(1048576));
      await invalid('proto-max-bulk-len', '1'.repeat(128), 'argument must be a memory value');
      await invalid('client-query-buffer-limit', '-1', 'argument must be a memory value');
    });

    it('CONFIG SET of a memory value past 2^64 takes it wrapped around, as redis-server does', async () => {
      const c = await connect();
      try {
        expect(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '20000000000gb')).toBe(OK);
        expect(await c.call('CONFIG', 'GET', 'proto-max-bulk-len')).toBe(
          bulks('proto-max-bulk-len', '3028092406290448384'),
        );
      } finally {
        expect(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb')).toBe(OK);
      }
    });

    it('CONFIG SET maxclients then GET', async () => {
      const c = await connect();
      const [, before] = (await value(c, 'CONFIG', 'GET', 'maxclients')) as [string, string];
      expect(await c.call('CONFIG', 'SET', 'maxclients', '100')).toBe(OK);
      expect(await c.call('CONFIG', 'GET', 'maxclients')).toBe(bulks('maxclients', '100'));
      expect(await c.call('CONFIG', 'SET', 'maxclients', before)).toBe(OK);
      expect(await c.call('CONFIG', 'GET', 'maxclients')).toBe(bulks('maxclients', before));
    });
  });

  describe('COMMAND', () => {
    it('COMMAND COUNT is a positive integer', async () => {
      const c = await connect();
      expect(await c.call('COMMAND', 'COUNT')).toMatch(/^:[1-9]\d*\r\n$/);
    });

    it('COMMAND INFO get', async () => {
      const c = await connect();
      const reply = (await value(c, 'COMMAND', 'INFO', 'get')) as ReplyValue[][];
      expect(reply).toHaveLength(1);
      const [name, arity, flags, first, last, step] = reply[0] ?? [];
      expect(name).toBe('get');
      expect([2, -2]).toContain(arity);
      expect(flags).toContain('readonly');
      expect([first, last, step]).toEqual([1, 1, 1]);
      expect(await value(c, 'COMMAND', 'INFO', 'nosuchcommand')).toEqual([null]);
    });

    it('COMMAND INFO of an unknown name is a null bulk string in RESP2, a null in RESP3', async () => {
      const c = await connect();
      expect(await c.call('COMMAND', 'INFO', 'nosuchcommand')).toBe(array(NIL));
      const c3 = await connect(3);
      expect(await c3.call('COMMAND', 'INFO', 'nosuchcommand')).toBe(array(NULL3));
    });

    it('COMMAND LIST names the subcommands too, with or without a filter', async () => {
      const c = await connect();
      const list = async (...args: string[]) =>
        ((await value(c, 'COMMAND', 'LIST', ...args)) as string[]).sort();
      expect(await list()).toEqual(
        expect.arrayContaining(['config', 'config|get', 'config|set', 'client|list']),
      );
      // redis-server also has config|rewrite, which Sluice does not.
      expect(await list('FILTERBY', 'PATTERN', 'config*')).toEqual(
        expect.arrayContaining(['config', 'config|get', 'config|help', 'config|resetstat', 'config|set']),
      );
      expect(await list('FILTERBY', 'PATTERN', 'config|[gs]et')).toEqual(['config|get', 'config|set']);
      expect(await list('FILTERBY', 'PATTERN', 'CONFIG|G*')).toEqual(['config|get']);
      expect(await list('FILTERBY', 'ACLCAT', 'admin')).toEqual(
        expect.arrayContaining(['config|get', 'config|set', 'client|kill']),
      );
    });

    it('COMMAND INFO in RESP3 has flags as a set of simple strings', async () => {
      const c = await connect(3);
      expect(await c.call('COMMAND', 'INFO', 'get')).toMatch(
        /^\*1\r\n\*\d+\r\n\$3\r\nget\r\n:-?2\r\n~\d+\r\n(\+\w+\r\n)+:1\r\n:1\r\n:1\r\n/,
      );
    });

    it('COMMAND DOCS get', async () => {
      const c = await connect();
      const docs = new Map(entries(await value(c, 'COMMAND', 'DOCS', 'get')));
      expect([...docs.keys()]).toEqual(['get']);
      const doc = new Map(entries(docs.get('get')));
      expect(doc.get('summary')).toEqual(expect.stringMatching(/\w/));
      expect(doc.get('since')).toMatch(/^\d+\.\d+\.\d+$/);
      expect(doc.get('group')).toBe('string');
    });

    it('COMMAND LIST includes get and set', async () => {
      const c = await connect();
      const names = (await value(c, 'COMMAND', 'LIST')) as string[];
      expect(names).toEqual(expect.arrayContaining(['get', 'set', 'ping', 'hello', 'command']));
    });
  });
});

describe.each(targets())('with requirepass against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target, { args: ['--requirepass', 'sekret'] });

  it('commands before AUTH get NOAUTH; wrong passwords get WRONGPASS', async () => {
    const c = await t.connect();
    expect(await c.call('GET', 'k')).toBe(ERR.noAuth);
    expect(await c.call('PING')).toBe(ERR.noAuth);
    expect(await c.call('AUTH', 'wrong')).toBe(ERR.wrongPass);
    expect(await c.call('AUTH', 'default', 'wrong')).toBe(ERR.wrongPass);
    expect(await c.call('HELLO', '3')).toBe(
      error(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH ' +
          '<user> <pass> option can be used to authenticate the client and select the RESP protocol ' +
          'version at the same time',
      ),
    );
    expect(await c.call('AUTH', 'sekret')).toBe(OK);
    expect(await c.call('GET', 'k')).toBe(NIL);
  });

  it('AUTH default <password>, and HELLO 3 AUTH', async () => {
    const c = await t.connect();
    expect(await c.call('AUTH', 'default', 'sekret')).toBe(OK);
    expect(await c.call('PING')).toBe(simple('PONG'));
    const d = await t.connect();
    expect(await d.call('HELLO', '3', 'AUTH', 'default', 'wrong')).toBe(ERR.wrongPass);
    expect(await d.call('HELLO', '3', 'AUTH', 'default', 'sekret', 'SETNAME', 'authed')).toMatch(/^%7\r\n/);
    expect(await d.call('CLIENT', 'GETNAME')).toBe(bulk('authed'));
    expect(await d.call('GET', 'k')).toBe(NULL3);
  });

  it('HELLO applies AUTH and SETNAME as it reads them, before it checks the authentication', async () => {
    const c = await t.connect();
    expect(await c.call('HELLO', '3', 'SETNAME', 'a b')).toBe(
      error('ERR Client names cannot contain spaces, newlines or special characters.'),
    );
    expect(await c.call('HELLO', '3', 'SETNAME', 'early')).toMatch(/^-NOAUTH HELLO must be called/);
    expect(await c.call('HELLO', '3', 'AUTH', 'bob', 'x', 'FOO')).toBe(ERR.wrongPass);
    expect(await c.call('GET', 'k')).toBe(ERR.noAuth);
    expect(await c.call('HELLO', '3', 'AUTH', 'default', 'sekret', 'FOO')).toBe(
      error("ERR Syntax error in HELLO option 'FOO'"),
    );
    expect(await c.call('GET', 'k')).toBe(NIL);
    expect(await c.call('CLIENT', 'GETNAME')).toBe(bulk('early'));
  });

  it('RESET forgets the authentication', async () => {
    const c = await t.connect();
    expect(await c.call('AUTH', 'sekret')).toBe(OK);
    expect(await c.call('RESET')).toBe(simple('RESET'));
    expect(await c.call('GET', 'k')).toBe(ERR.noAuth);
  });
});
