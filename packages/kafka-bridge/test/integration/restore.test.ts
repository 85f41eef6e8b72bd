/**
 * Records with `sluice-format: dump` (whole collections, as sluice-server's log mode writes them) reach a
 * real redis-server as `RESTORE … REPLACE ABSTTL`: the payloads are sluice-server's own DUMP replies, the
 * keys held a value of another type before, one record expires, and a corrupt payload is skipped while
 * the rest of the transaction and the offset go in.
 */
import { type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/kafka/source.js';
import { silentLogger } from '../../src/log.js';
import { OffsetKeys } from '../../src/offsets.js';
import { planRecords } from '../../src/plan.js';
import { DUMP_FORMAT, FORMAT_HEADER } from '../../src/record-headers.js';
import { RedisTarget } from '../../src/target/redis-target.js';

describe('RESTORE of DUMP records into redis-server', () => {
  let redis: RunningServer;
  let sluice: RunningServer;

  beforeAll(async () => {
    redis = await startRedis();
    sluice = await startSluice();
  }, 60_000);

  afterAll(async () => {
    await redis?.dispose();
    await sluice?.dispose();
  });

  it('restores hashes, sets, lists, sorted sets and streams whole, replacing the old value, with their expiry', async () => {
    const source = new Redis(sluice.port, '127.0.0.1');
    const target = new Redis(redis.port, '127.0.0.1');
    const bridge = new RedisTarget({
      url: `redis://127.0.0.1:${redis.port}`,
      connections: 1,
      transactions: 'auto',
      keys: new OffsetKeys('topic', Buffer.alloc(0)),
      connectTimeoutMs: 2_000,
      logger: silentLogger,
    });
    try {
      await source.hset('h', 'f', '1', 'g', 'two');
      await source.sadd('s', 'a', 'b', '3');
      await source.rpush('l', 'x', 'y', 'z');
      await source.zadd('z', 1.5, 'm', -2, 'n');
      await source.xadd('x', '1-1', 'a', '1');
      await source.xadd('x', '2-1', 'a', '2', 'b', 'other');
      await source.xdel('x', '1-1');
      await source.xgroup('CREATE', 'x', 'g', '0');
      await source.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 'x', '>');
      const dump = async (key: string) => (await source.dumpBuffer(key)) as Buffer;
      // The keys hold another type in the target first: RESTORE … REPLACE replaces them.
      await target.set('h', 'old string');
      await target.rpush('z', 'old list');
      const at = Date.now() + 600_000;
      const header = { [FORMAT_HEADER]: DUMP_FORMAT };
      const corrupt = Buffer.from(await dump('h'));
      corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
      const records: SourceRecord[] = [
        { key: Buffer.from('h'), value: await dump('h'), headers: header },
        { key: Buffer.from('s'), value: await dump('s'), headers: header },
        {
          key: Buffer.from('l'),
          value: await dump('l'),
          headers: { ...header, 'sluice-expire-at': String(at) },
        },
        { key: Buffer.from('z'), value: await dump('z'), headers: header },
        { key: Buffer.from('x'), value: await dump('x'), headers: header },
        { key: Buffer.from('broken'), value: corrupt, headers: header },
        { key: Buffer.from('plain'), value: Buffer.from('a string') },
      ];
      const plan = planRecords({ records, offsetOf: (i) => BigInt(i) }, 0, records.length, -1n, {
        keyPrefix: Buffer.alloc(0),
        skipReserved: true,
        now: Date.now(),
      });
      expect(plan.restores?.map((r) => r.key.toString())).toEqual(['h', 's', 'l', 'z', 'x', 'broken']);
      expect(await bridge.apply(0, plan, 6n, null)).toEqual({ applied: true });
      expect(await target.hgetall('h')).toEqual({ f: '1', g: 'two' });
      expect((await target.smembers('s')).sort()).toEqual(['3', 'a', 'b']);
      expect(await target.lrange('l', 0, -1)).toEqual(['x', 'y', 'z']);
      expect(Number(await target.call('PEXPIRETIME', 'l'))).toBe(at);
      expect(await target.zrange('z', 0, -1, 'WITHSCORES')).toEqual(['n', '-2', 'm', '1.5']);
      expect(await target.xrange('x', '-', '+')).toEqual([['2-1', ['a', '2', 'b', 'other']]]);
      expect(await target.xpending('x', 'g')).toEqual([1, '2-1', '2-1', [['c', '1']]]);
      expect(await target.call('XINFO', 'STREAM', 'x', 'FULL')).toEqual(
        await source.call('XINFO', 'STREAM', 'x', 'FULL'),
      );
      expect(await target.exists('broken')).toBe(0);
      expect(await target.get('plain')).toBe('a string');
      expect(await bridge.readOffsets([0])).toEqual(new Map([[0, 6n]]));
    } finally {
      await bridge.close();
      source.disconnect();
      target.disconnect();
    }
  }, 30_000);
});
