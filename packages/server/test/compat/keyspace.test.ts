/**
 * The keyspace family of issue 4, byte-exact against redis-server 7 and sluice-server: COPY, EXPIRE and
 * siblings with NX/XX/GT/LT, EXPIRETIME, PEXPIRETIME, PERSIST, RANDOMKEY, RENAME, RENAMENX, MOVE, SWAPDB,
 * TOUCH, UNLINK, OBJECT, SCAN TYPE, FLUSHDB/FLUSHALL ASYNC.
 */
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { array, bulk, bulks, ERR, error, int, nil, OK } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(targets())('keyspace commands against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let c: RawClient;
    beforeEach(async () => {
      c = await t.connect();
      if (proto === 3) await c.call('HELLO', '3');
    });

    it('EXPIRE family sets, conditions and rejects', async () => {
      expect(await c.call('EXPIRE', 'missing', '100')).toBe(int(0));
      await c.call('SET', 'k', 'v');
      expect(await c.call('EXPIRE', 'k', '100', 'XX')).toBe(int(0));
      expect(await c.call('EXPIRE', 'k', '100', 'NX')).toBe(int(1));
      expect(await c.call('EXPIRE', 'k', '200', 'NX')).toBe(int(0));
      expect(await c.call('EXPIRE', 'k', '50', 'GT')).toBe(int(0));
      expect(await c.call('EXPIRE', 'k', '500', 'GT')).toBe(int(1));
      expect(await c.call('EXPIRE', 'k', '900', 'LT')).toBe(int(0));
      expect(await c.call('EXPIRE', 'k', '300', 'LT')).toBe(int(1));
      expect(await c.call('TTL', 'k')).toBe(int(300));
      expect(await c.call('PEXPIRE', 'k', '250000', 'XX')).toBe(int(1));
      expect(await c.call('TTL', 'k')).toBe(int(250));
      await c.call('SET', 'p', 'v');
      expect(await c.call('EXPIRE', 'p', '100', 'GT')).toBe(int(0));
      expect(await c.call('EXPIRE', 'p', '100', 'LT')).toBe(int(1));
      const at = Math.floor(Date.now() / 1000) + 1000;
      expect(await c.call('EXPIREAT', 'p', String(at))).toBe(int(1));
      expect(await c.call('EXPIRETIME', 'p')).toBe(int(at));
      expect(await c.call('PEXPIREAT', 'p', String(at * 1000 + 5))).toBe(int(1));
      expect(await c.call('PEXPIRETIME', 'p')).toBe(int(at * 1000 + 5));
      expect(await c.call('EXPIRETIME', 'missing')).toBe(int(-2));
      await c.call('SET', 'forever', 'v');
      expect(await c.call('PEXPIRETIME', 'forever')).toBe(int(-1));
    });

    it('EXPIRETIME rounds to the nearest second; LLONG_MAX is read back exactly', async () => {
      await c.call('SET', 'k', 'v', 'PXAT', '4000000000600');
      expect(await c.call('EXPIRETIME', 'k')).toBe(int(4000000001));
      await c.call('SET', 'k', 'v', 'PXAT', '4000000000499');
      expect(await c.call('EXPIRETIME', 'k')).toBe(int(4000000000));
      expect(await c.call('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toBe(OK);
      expect(await c.call('PEXPIRETIME', 'k')).toBe(int(9223372036854775807n));
      expect(await c.call('EXPIRETIME', 'k')).toBe(int(9223372036854776n));
      await c.call('SET', 'p', 'v');
      expect(await c.call('PEXPIREAT', 'p', '9223372036854775807')).toBe(int(1));
      expect(await c.call('PEXPIRETIME', 'p')).toBe(int(9223372036854775807n));
      const ttl = BigInt((await c.call('PTTL', 'p')).slice(1, -2));
      expect(9223372036854775807n - ttl).toBeGreaterThanOrEqual(BigInt(Date.now() - 5000));
      expect(9223372036854775807n - ttl).toBeLessThanOrEqual(BigInt(Date.now()));
    });

    it('EXPIRE errors', async () => {
      await c.call('SET', 'k', 'v');
      expect(await c.call('EXPIRE', 'k', 'x')).toBe(ERR.notInteger);
      expect(await c.call('EXPIRE', 'k', '10', 'NX', 'XX')).toBe(
        error('ERR NX and XX, GT or LT options at the same time are not compatible'),
      );
      expect(await c.call('EXPIRE', 'k', '10', 'GT', 'LT')).toBe(
        error('ERR GT and LT options at the same time are not compatible'),
      );
      expect(await c.call('EXPIRE', 'k', '10', 'FOO')).toBe(error('ERR Unsupported option FOO'));
      expect(await c.call('EXPIRE', 'k', '9223372036854775807')).toBe(
        error("ERR invalid expire time in 'expire' command"),
      );
      expect(await c.call('PEXPIRE', 'k', '9223372036854775807')).toBe(
        error("ERR invalid expire time in 'pexpire' command"),
      );
      expect(await c.call('EXPIRE', 'k')).toBe(error("ERR wrong number of arguments for 'expire' command"));
    });

    it('a time already past deletes the key', async () => {
      await c.call('SET', 'k', 'v');
      expect(await c.call('EXPIRE', 'k', '-1')).toBe(int(1));
      expect(await c.call('EXISTS', 'k')).toBe(int(0));
      await c.call('SET', 'k', 'v');
      expect(await c.call('PEXPIREAT', 'k', '1')).toBe(int(1));
      expect(await c.call('GET', 'k')).toBe(nil(proto));
    });

    it('PERSIST removes an expiry', async () => {
      await c.call('SET', 'k', 'v', 'EX', '100');
      expect(await c.call('PERSIST', 'k')).toBe(int(1));
      expect(await c.call('PERSIST', 'k')).toBe(int(0));
      expect(await c.call('PERSIST', 'missing')).toBe(int(0));
      expect(await c.call('TTL', 'k')).toBe(int(-1));
    });

    it('RENAME and RENAMENX move the value and the expiry', async () => {
      expect(await c.call('RENAME', 'missing', 'x')).toBe(error('ERR no such key'));
      expect(await c.call('RENAMENX', 'missing', 'x')).toBe(error('ERR no such key'));
      await c.call('SET', 'a', '1', 'EX', '100');
      expect(await c.call('RENAME', 'a', 'b')).toBe(OK);
      expect(await c.call('GET', 'a')).toBe(nil(proto));
      expect(await c.call('GET', 'b')).toBe(bulk('1'));
      expect(await c.call('TTL', 'b')).toBe(int(100));
      expect(await c.call('RENAME', 'b', 'b')).toBe(OK);
      await c.call('SET', 'c', '3');
      expect(await c.call('RENAMENX', 'b', 'c')).toBe(int(0));
      expect(await c.call('RENAMENX', 'b', 'b')).toBe(int(0));
      expect(await c.call('RENAMENX', 'b', 'd')).toBe(int(1));
      expect(await c.call('RENAME', 'd', 'c')).toBe(OK);
      expect(await c.call('GET', 'c')).toBe(bulk('1'));
    });

    it('COPY within and across databases', async () => {
      await c.call('SET', 'src', 'v', 'EX', '100');
      expect(await c.call('COPY', 'src', 'dst')).toBe(int(1));
      expect(await c.call('COPY', 'src', 'dst')).toBe(int(0));
      expect(await c.call('COPY', 'src', 'dst', 'REPLACE')).toBe(int(1));
      expect(await c.call('TTL', 'dst')).toBe(int(100));
      expect(await c.call('COPY', 'src', 'src')).toBe(
        error('ERR source and destination objects are the same'),
      );
      expect(await c.call('COPY', 'src', 'src', 'DB', '1')).toBe(int(1));
      expect(await c.call('COPY', 'missing', 'x')).toBe(int(0));
      expect(await c.call('COPY', 'src', 'x', 'DB', '99')).toBe(error('ERR DB index is out of range'));
      expect(await c.call('COPY', 'src', 'x', 'DB', 'one')).toBe(ERR.notInteger);
      expect(await c.call('COPY', 'src', 'x', 'DB', '2147483648')).toBe(ERR.intRange);
      expect(await c.call('COPY', 'src', 'x', 'BOGUS')).toBe(ERR.syntax);
      await c.call('SELECT', '1');
      expect(await c.call('GET', 'src')).toBe(bulk('v'));
    });

    it('COPY onto an existing key, or one past its expiry, copies the source', async () => {
      await c.call('SET', 'src', 'hello');
      await c.call('HSET', 'hsrc', 'f', 'v');
      // With `new` key events on, COPY reads the target (to announce it) after the source.
      expect(await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'En')).toBe(OK);
      try {
        await c.call('SET', 'dst', 'world');
        expect(await c.call('COPY', 'src', 'dst', 'REPLACE')).toBe(int(1));
        expect(await c.call('GET', 'dst')).toBe(bulk('hello'));
        await c.call('SET', 'hdst', 'world');
        expect(await c.call('COPY', 'hsrc', 'hdst', 'REPLACE')).toBe(int(1));
        expect(await c.call('TYPE', 'hdst')).toBe('+hash\r\n');
        expect(await c.call('HGET', 'hdst', 'f')).toBe(bulk('v'));
      } finally {
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      }
      // A target whose time has come but that active expiry has not removed yet.
      await c.call('SET', 'gone', 'old', 'PX', '20');
      await sleep(40);
      expect(await c.call('COPY', 'src', 'gone')).toBe(int(1));
      expect(await c.call('GET', 'gone')).toBe(bulk('hello'));
      expect(await c.call('TTL', 'gone')).toBe(int(-1));
    });

    it('MOVE to another database', async () => {
      await c.call('SET', 'k', 'v');
      expect(await c.call('MOVE', 'k', '0')).toBe(error('ERR source and destination objects are the same'));
      expect(await c.call('MOVE', 'k', '16')).toBe(error('ERR DB index is out of range'));
      expect(await c.call('MOVE', 'k', 'x')).toBe(ERR.notInteger);
      expect(await c.call('MOVE', 'k', '2147483648')).toBe(ERR.intRange);
      expect(await c.call('MOVE', 'k', '-2147483649')).toBe(ERR.intRange);
      expect(await c.call('MOVE', 'k', '2')).toBe(int(1));
      expect(await c.call('MOVE', 'k', '2')).toBe(int(0));
      await c.call('SET', 'k', 'here');
      await c.call('SELECT', '2');
      expect(await c.call('GET', 'k')).toBe(bulk('v'));
      expect(await c.call('MOVE', 'k', '0')).toBe(int(0));
    });

    it('SWAPDB swaps what connections see', async () => {
      const other = await t.connect();
      await c.call('SET', 'zero', '0');
      await other.call('SELECT', '1');
      await other.call('SET', 'one', '1');
      expect(await c.call('SWAPDB', '0', '1')).toBe(OK);
      expect(await c.call('GET', 'one')).toBe(bulk('1'));
      expect(await other.call('GET', 'zero')).toBe(bulk('0'));
      expect(await c.call('SWAPDB', '0', '0')).toBe(OK);
      expect(await c.call('SWAPDB', 'x', '1')).toBe(error('ERR invalid first DB index'));
      expect(await c.call('SWAPDB', '0', 'y')).toBe(error('ERR invalid second DB index'));
      expect(await c.call('SWAPDB', '0', '16')).toBe(error('ERR DB index is out of range'));
      expect(await c.call('SWAPDB', '1', '0')).toBe(OK);
    });

    it('TOUCH and UNLINK count', async () => {
      await c.call('SET', 'a', '1');
      await c.call('SET', 'b', '2');
      expect(await c.call('TOUCH', 'a', 'b', 'nope', 'a')).toBe(int(3));
      expect(await c.call('UNLINK', 'a', 'nope', 'a')).toBe(int(1));
      expect(await c.call('EXISTS', 'a', 'b')).toBe(int(1));
    });

    it('RANDOMKEY returns one of the keys, or null', async () => {
      expect(await c.call('RANDOMKEY')).toBe(nil(proto));
      const keys = ['alpha', 'beta', 'gamma'];
      for (const k of keys) await c.call('SET', k, 'v');
      for (let i = 0; i < 10; i++) {
        const reply = await c.call('RANDOMKEY');
        expect(keys.map((k) => bulk(k))).toContain(reply);
      }
    });

    it('OBJECT ENCODING and REFCOUNT', async () => {
      await c.call('SET', 'n', '12345');
      await c.call('SET', 's', 'short string');
      await c.call('SET', 'r', 'x'.repeat(45));
      expect(await c.call('OBJECT', 'ENCODING', 'n')).toBe(bulk('int'));
      expect(await c.call('OBJECT', 'ENCODING', 's')).toBe(bulk('embstr'));
      expect(await c.call('OBJECT', 'ENCODING', 'r')).toBe(bulk('raw'));
      expect(await c.call('OBJECT', 'ENCODING', 'missing')).toBe(nil(proto));
      expect(await c.call('OBJECT', 'REFCOUNT', 's')).toBe(int(1));
      expect(await c.call('OBJECT', 'REFCOUNT', 'n')).toBe(int(1));
      for (const small of ['0', '1', '9999']) {
        await c.call('SET', 'small', small);
        expect(await c.call('OBJECT', 'REFCOUNT', 'small')).toBe(int(2147483647));
      }
      await c.call('SET', 'small', '10000');
      expect(await c.call('OBJECT', 'REFCOUNT', 'small')).toBe(int(1));
      await c.call('SET', 'small', '-1');
      expect(await c.call('OBJECT', 'REFCOUNT', 'small')).toBe(int(1));
      await c.call('SET', 'max', '9223372036854775807');
      await c.call('SET', 'min', '-9223372036854775808');
      await c.call('SET', 'over', '9223372036854775808');
      expect(await c.call('OBJECT', 'ENCODING', 'max')).toBe(bulk('int'));
      expect(await c.call('OBJECT', 'ENCODING', 'min')).toBe(bulk('int'));
      expect(await c.call('OBJECT', 'ENCODING', 'over')).toBe(bulk('embstr'));
      expect(await c.call('OBJECT', 'FREQ', 's')).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
      expect(await c.call('OBJECT', 'BOGUS', 's')).toBe(
        error("ERR unknown subcommand 'BOGUS'. Try OBJECT HELP."),
      );
    });

    it('SCAN TYPE filters by type', async () => {
      await c.call('SET', 'a', '1');
      await c.call('SET', 'b', '2');
      const all: string[] = [];
      let cursor = '0';
      do {
        const raw = await c.call('SCAN', cursor, 'TYPE', 'string', 'COUNT', '1');
        const m = raw.match(/^\*2\r\n\$\d+\r\n(\d+)\r\n\*(\d+)\r\n([\s\S]*)$/);
        expect(m).not.toBeNull();
        cursor = m?.[1] ?? '0';
        for (const [, key] of (m?.[3] ?? '').matchAll(/\$\d+\r\n([^\r]*)\r\n/g)) all.push(key as string);
      } while (cursor !== '0');
      expect(all.sort()).toEqual(['a', 'b']);
      expect(await c.call('SCAN', '0', 'TYPE', 'list')).toBe(array(bulk('0'), array()));
    });

    it('SCAN reads its cursor as strtoul does', async () => {
      const done = array(bulk('0'), array());
      for (const cursor of ['', '+0', '-1', '007', '18446744073709551615', '-18446744073709551615', '0\0x']) {
        expect(await c.call('SCAN', cursor), JSON.stringify(cursor)).toBe(done);
      }
      const invalid = error('ERR invalid cursor');
      for (const cursor of [
        '18446744073709551616',
        '-18446744073709551616',
        '+',
        '-',
        ' 1',
        '1 ',
        '+-1',
        '0x1',
      ]) {
        expect(await c.call('SCAN', cursor), JSON.stringify(cursor)).toBe(invalid);
      }
      expect(await c.call('SCAN', '', 'COUNT', '0')).toBe(ERR.syntax);
    });

    it('FLUSHDB ASYNC and FLUSHALL SYNC', async () => {
      await c.call('SET', 'a', '1');
      expect(await c.call('FLUSHDB', 'ASYNC')).toBe(OK);
      expect(await c.call('DBSIZE')).toBe(int(0));
      await c.call('SET', 'a', '1');
      expect(await c.call('FLUSHALL', 'SYNC')).toBe(OK);
      expect(await c.call('DBSIZE')).toBe(int(0));
      expect(await c.call('FLUSHALL', 'LATER')).toBe(ERR.syntax);
    });
  });

  it('expired keys vanish from DBSIZE without being read', async () => {
    const c = await t.connect();
    for (let i = 0; i < 50; i++) await c.call('SET', `short:${i}`, 'v', 'PX', '100');
    await c.call('SET', 'stays', 'v');
    expect(await c.call('DBSIZE')).toBe(int(51));
    const deadline = Date.now() + 3000;
    let size = '';
    while (Date.now() < deadline) {
      size = await c.call('DBSIZE');
      if (size === int(1)) break;
      await sleep(100);
    }
    expect(size).toBe(int(1));
    expect(await c.call('KEYS', '*')).toBe(bulks('stays'));
  });
});
