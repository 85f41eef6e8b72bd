/** MULTI, EXEC, DISCARD, WATCH, UNWATCH, byte-exact against redis-server 7 and sluice-server. */
import type { RawClient } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { array, bulk, ERR, error, nil, OK } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const QUEUED = '+QUEUED\r\n';

describe.each(targets())('transactions against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let c: RawClient;
    beforeEach(async () => {
      c = await t.connect();
      if (proto === 3) await c.call('HELLO', '3');
    });

    it('queues commands and runs them in EXEC, errors as elements', async () => {
      expect(await c.call('MULTI')).toBe(OK);
      expect(await c.call('SET', 'a', '1')).toBe(QUEUED);
      expect(await c.call('GET', 'a')).toBe(QUEUED);
      expect(await c.call('SET', 'a', '2', 'EX', 'x')).toBe(QUEUED);
      expect(await c.call('MGET', 'a', 'missing')).toBe(QUEUED);
      expect(await c.call('EXEC')).toBe(array(OK, bulk('1'), ERR.notInteger, array(bulk('1'), nil(proto))));
      expect(await c.call('GET', 'a')).toBe(bulk('1'));
    });

    it('an error while queuing aborts EXEC', async () => {
      await c.call('MULTI');
      expect(await c.call('SET', 'a')).toBe(error("ERR wrong number of arguments for 'set' command"));
      expect(await c.call('SET', 'b', '1')).toBe(QUEUED);
      expect(await c.call('NOSUCHCOMMAND')).toBe(
        error("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: "),
      );
      expect(await c.call('EXEC')).toBe(error('EXECABORT Transaction discarded because of previous errors.'));
      expect(await c.call('GET', 'b')).toBe(nil(proto));
    });

    it('rejects misuse', async () => {
      expect(await c.call('EXEC')).toBe(error('ERR EXEC without MULTI'));
      expect(await c.call('DISCARD')).toBe(error('ERR DISCARD without MULTI'));
      await c.call('MULTI');
      expect(await c.call('MULTI')).toBe(error('ERR MULTI calls can not be nested'));
      expect(await c.call('WATCH', 'k')).toBe(error('ERR WATCH inside MULTI is not allowed'));
      expect(await c.call('DISCARD')).toBe(OK);
      expect(await c.call('EXEC')).toBe(error('ERR EXEC without MULTI'));
    });

    it('DISCARD drops the queue', async () => {
      await c.call('MULTI');
      await c.call('SET', 'a', '1');
      expect(await c.call('DISCARD')).toBe(OK);
      expect(await c.call('GET', 'a')).toBe(nil(proto));
    });

    it('EXEC of an empty transaction is an empty array', async () => {
      await c.call('MULTI');
      expect(await c.call('EXEC')).toBe(array());
    });

    it('a WATCHed key changed by another client makes EXEC return null', async () => {
      const other = await t.connect();
      await c.call('SET', 'balance', '10');
      expect(await c.call('WATCH', 'balance')).toBe(OK);
      expect(await other.call('SET', 'balance', '20')).toBe(OK);
      await c.call('MULTI');
      await c.call('SET', 'balance', '0');
      expect(await c.call('EXEC')).toBe(proto === 3 ? '_\r\n' : '*-1\r\n');
      expect(await c.call('GET', 'balance')).toBe(bulk('20'));
    });

    it('an HSET that leaves a WATCHed hash as it was still makes EXEC return null', async () => {
      const other = await t.connect();
      await c.call('HSET', 'h', 'f', 'v');
      expect(await c.call('WATCH', 'h')).toBe(OK);
      expect(await other.call('HSET', 'h', 'f', 'v')).toBe(':0\r\n');
      await c.call('MULTI');
      await c.call('HSET', 'h', 'f', 'mine');
      expect(await c.call('EXEC')).toBe(proto === 3 ? '_\r\n' : '*-1\r\n');
      expect(await c.call('HGET', 'h', 'f')).toBe(bulk('v'));
    });

    it('an untouched WATCH lets EXEC run, and EXEC forgets the WATCH', async () => {
      const other = await t.connect();
      await c.call('SET', 'k', '1');
      await c.call('WATCH', 'k', 'other');
      await other.call('SET', 'unrelated', 'x');
      await c.call('MULTI');
      await c.call('SET', 'k', '2');
      expect(await c.call('EXEC')).toBe(array(OK));
      await other.call('SET', 'k', '3');
      await c.call('MULTI');
      await c.call('GET', 'k');
      expect(await c.call('EXEC')).toBe(array(bulk('3')));
    });

    it('UNWATCH forgets watched keys', async () => {
      const other = await t.connect();
      await c.call('WATCH', 'k');
      expect(await c.call('UNWATCH')).toBe(OK);
      await other.call('SET', 'k', 'x');
      await c.call('MULTI');
      await c.call('GET', 'k');
      expect(await c.call('EXEC')).toBe(array(bulk('x')));
    });

    it('FLUSHALL spoils a WATCH on an existing key', async () => {
      const other = await t.connect();
      await c.call('SET', 'k', 'v');
      await c.call('WATCH', 'k');
      await other.call('FLUSHALL');
      await c.call('MULTI');
      await c.call('SET', 'k', 'mine');
      expect(await c.call('EXEC')).toBe(proto === 3 ? '_\r\n' : '*-1\r\n');
    });
  });

  it('WATCH aborts EXEC on a concurrent write from another client (ioredis)', async () => {
    const a = new Redis(t.port, '127.0.0.1');
    const b = new Redis(t.port, '127.0.0.1');
    try {
      await a.set('counter', '0');
      let aborted = 0;
      let committed = 0;
      for (let round = 0; round < 20; round++) {
        await a.watch('counter');
        const current = Number(await a.get('counter'));
        if (round % 2 === 0) await b.set('counter', String(-round)); // a concurrent write between WATCH and EXEC
        const result = await a
          .multi()
          .set('counter', String(current + 100))
          .exec();
        if (result === null) aborted++;
        else committed++;
      }
      expect(aborted).toBe(10);
      expect(committed).toBe(10);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});
