/**
 * Bitmaps and HyperLogLogs through real clients on a real sluice-server: ioredis's and redis-py's own
 * methods for SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO, PFADD, PFCOUNT and PFMERGE
 * send and decode them as they do with redis-server (the expected values are redis-server 7.0's).
 */
import { python, type RunningServer, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const users = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `user:${from + i}`);

describe('bitmaps and HyperLogLogs through client libraries', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ioredis', async () => {
    const client = new Redis(server.port, '127.0.0.1');
    try {
      await client.flushall();
      expect(await client.setbit('bits', 7, 1)).toBe(0);
      expect(await client.getbit('bits', 7)).toBe(1);
      expect(await client.setbit('bits', 100, 1)).toBe(0);
      expect(await client.bitcount('bits')).toBe(2);
      expect(await client.bitcount('bits', 0, 7, 'BIT')).toBe(1);
      expect(await client.bitpos('bits', 1)).toBe(7);
      expect(await client.bitop('OR', 'dest', 'bits', 'missing')).toBe(13);
      expect(await client.getBuffer('dest')).toEqual(await client.getBuffer('bits'));
      expect(await client.bitfield('bf', 'SET', 'u8', 0, 200)).toEqual([0]);
      expect(await client.bitfield('bf', 'INCRBY', 'u8', 0, 100)).toEqual([44]);
      expect(await client.bitfield('bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', 0, 1)).toEqual([45]);
      expect(await client.bitfield('bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', 0, 1000)).toEqual([null]);
      expect(await client.call('BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'GET', 'i4', '4')).toEqual([45, -3]);
      expect(await client.pfadd('visitors', ...users(1, 1000))).toBe(1);
      expect(await client.pfadd('visitors', 'user:1')).toBe(0);
      expect(await client.pfcount('visitors')).toBe(1007);
      expect(await client.pfadd('other', ...users(500, 1500))).toBe(1);
      expect(await client.pfcount('visitors', 'other')).toBe(1516);
      expect(await client.pfmerge('all', 'visitors', 'other')).toBe('OK');
      expect(await client.pfcount('all')).toBe(1516);
      await expect(client.pfadd('bits', 'x')).rejects.toThrow(
        'WRONGTYPE Key is not a valid HyperLogLog string value.',
      );
      await expect(client.setbit('bits', 1, 2)).rejects.toThrow('ERR bit is not an integer or out of range');
    } finally {
      client.disconnect();
    }
  });

  it('redis-py', async () => {
    const result = await python(
      `
import json, redis
r = redis.Redis(port=${server.port})
r.flushall()
out = [r.setbit('bits', 7, 1), r.getbit('bits', 7), r.setbit('bits', 100, 1), r.bitcount('bits'),
       r.bitcount('bits', 0, 0), r.bitpos('bits', 1), r.bitop('AND', 'dest', 'bits', 'missing'), r.get('dest').hex()]
bf = r.bitfield('bf')
out.append(bf.set('u8', 0, 200).incrby('u8', 0, 100).overflow('FAIL').incrby('u8', 0, 1).execute())
out.append(r.bitfield('bf').overflow('FAIL').incrby('u8', '#0', 1000).get('i8', 0).execute())
out.append(r.execute_command('BITFIELD_RO', 'bf', 'GET', 'u8', 0))
out.append(r.pfadd('visitors', *['user:%d' % i for i in range(1, 1001)]))
out.append(r.pfcount('visitors'))
r.pfadd('other', *['user:%d' % i for i in range(500, 1501)])
out.append(r.pfcount('visitors', 'other'))
out.append(r.pfmerge('all', 'visitors', 'other'))
out.append(r.pfcount('all'))
try:
    r.pfcount('bits')
except redis.exceptions.ResponseError as e:
    out.append(str(e))
print(json.dumps(out))
`,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      0,
      1,
      0,
      2,
      1,
      7,
      13,
      '00000000000000000000000000',
      [0, 44, 45],
      [null, 45],
      [45],
      1,
      1007,
      1516,
      true,
      1516,
      'WRONGTYPE Key is not a valid HyperLogLog string value.',
    ]);
  });
});
