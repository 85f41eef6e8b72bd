/**
 * Sets on a real sluice-server through real clients: ioredis, node-redis in RESP2 and RESP3 (where the
 * set replies are RESP3 sets), and redis-py; then SIGKILL under a write load of sets: every acknowledged
 * SADD and SMOVE is there after the restart, and no command is there in part.
 */
import { python, type RunningServer, startSluice, tempDir } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sorted = (items: Iterable<string>): string[] => [...items].sort();

describe('sets from client libraries', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSluice();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ioredis', async () => {
    const io = new Redis(server.port, '127.0.0.1');
    expect(await io.sadd('io:a', 3, 1, 2)).toBe(3);
    expect(await io.sadd('io:a', '2', 'x')).toBe(1);
    expect(sorted(await io.smembers('io:a'))).toEqual(['1', '2', '3', 'x']);
    expect(await io.scard('io:a')).toBe(4);
    expect(await io.sismember('io:a', 'x')).toBe(1);
    expect(await io.smismember('io:a', '1', 'nope')).toEqual([1, 0]);
    expect(await io.srem('io:a', 'x', 'nope')).toBe(1);
    await io.sadd('io:b', 2, 3, 4);
    expect(await io.sinter('io:a', 'io:b')).toEqual(['2', '3']);
    expect(await io.sunion('io:a', 'io:b')).toEqual(['1', '2', '3', '4']);
    expect(await io.sdiff('io:a', 'io:b')).toEqual(['1']);
    expect(await io.sintercard(2, 'io:a', 'io:b', 'LIMIT', 1)).toBe(1);
    expect(await io.sinterstore('io:c', 'io:a', 'io:b')).toBe(2);
    expect(await io.sunionstore('io:c', 'io:a', 'io:b')).toBe(4);
    expect(await io.sdiffstore('io:c', 'io:a', 'io:b')).toBe(1);
    expect(await io.smove('io:a', 'io:b', '1')).toBe(1);
    expect(await io.smembers('io:b')).toEqual(['1', '2', '3', '4']);
    expect(await io.object('ENCODING', 'io:b')).toBe('intset');
    expect(await io.srandmember('io:b', 10)).toEqual(['1', '2', '3', '4']);
    expect(await io.srandmember('io:b', -6)).toHaveLength(6);
    expect(['1', '2', '3', '4']).toContain(await io.srandmember('io:b'));
    const popped = await io.spop('io:b', 2);
    expect(popped).toHaveLength(2);
    expect(await io.scard('io:b')).toBe(2);
    expect(await io.sscan('io:b', 0)).toEqual([
      '0',
      sorted(['1', '2', '3', '4']).filter((m) => !popped.includes(m)),
    ]);
    await io.set('io:s', 'v');
    await expect(io.sadd('io:s', 'a')).rejects.toThrow('WRONGTYPE');
    await expect(io.spop('io:b', -1)).rejects.toThrow('ERR value is out of range, must be positive');
    // A hashtable set walked with sscanStream.
    const many = Array.from({ length: 500 }, (_, i) => `m${i}`);
    await io.sadd('io:big', ...many);
    const seen = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      io.sscanStream('io:big', { count: 50 })
        .on('data', (batch: string[]) => {
          for (const m of batch) seen.add(m);
        })
        .on('end', resolve)
        .on('error', reject);
    });
    expect(sorted(seen)).toEqual(sorted(many));
    // A transaction mixing sets and strings.
    const replies = await io
      .multi()
      .sadd('io:t', 'a')
      .set('io:u', '1')
      .scard('io:t')
      .sadd('io:u', 'x')
      .exec();
    expect(replies?.map(([err, value]) => (err ? err.message.split(' ')[0] : value))).toEqual([
      1,
      'OK',
      1,
      'WRONGTYPE',
    ]);
    io.disconnect();
  });

  it('node-redis, in RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      const k = (name: string) => `nr${RESP}:${name}`;
      expect(await client.sAdd(k('a'), ['5', '1', '3'])).toBe(3);
      expect(await client.sAdd(k('b'), ['3', '5', 'x'])).toBe(3);
      expect([...(await client.sMembers(k('a')))]).toEqual(['1', '3', '5']);
      expect(sorted(await client.sMembers(k('b')))).toEqual(['3', '5', 'x']);
      expect(await client.sCard(k('a'))).toBe(3);
      expect(await client.sIsMember(k('a'), '3')).toBe(1);
      expect(await client.smIsMember(k('a'), ['1', '2'])).toEqual([1, 0]);
      expect([...(await client.sInter([k('a'), k('b')]))]).toEqual(['3', '5']);
      expect(sorted(await client.sUnion([k('a'), k('b')]))).toEqual(['1', '3', '5', 'x']);
      expect([...(await client.sDiff([k('a'), k('b')]))]).toEqual(['1']);
      expect(await client.sInterCard([k('a'), k('b')])).toBe(2);
      expect(await client.sInterCard([k('a'), k('b')], { LIMIT: 1 })).toBe(1);
      expect(await client.sInterStore(k('c'), [k('a'), k('b')])).toBe(2);
      expect(await client.sUnionStore(k('c'), [k('a'), k('b')])).toBe(4);
      expect(await client.sDiffStore(k('c'), [k('b'), k('a')])).toBe(1);
      expect(await client.sMove(k('a'), k('b'), '1')).toBe(1);
      expect(await client.sRem(k('b'), ['1', 'nope'])).toBe(1);
      expect(await client.sRandMember(k('a'))).toMatch(/^[35]$/);
      expect(sorted(await client.sRandMemberCount(k('a'), 5))).toEqual(['3', '5']);
      expect(await client.sRandMemberCount(k('a'), -3)).toHaveLength(3);
      expect(sorted(await client.sPopCount(k('b'), 5))).toEqual(['3', '5', 'x']);
      expect(await client.exists(k('b'))).toBe(0);
      expect(await client.sPop(k('b'))).toBeNull();
      expect(await client.sScan(k('a'), '0')).toEqual({ cursor: '0', members: ['3', '5'] });
      await client.set(k('s'), 'v');
      await expect(client.sMembers(k('s'))).rejects.toThrow('WRONGTYPE');
      await client.quit();
    }
  });

  it('redis-py', async () => {
    const out = await python(`
import redis
r = redis.Redis(port=${server.port}, decode_responses=True)
print(r.sadd('py:a', 3, 1, 2, 'x'), sorted(r.smembers('py:a')), r.scard('py:a'), r.sismember('py:a', 'x'))
print(r.smismember('py:a', ['1', 'nope']), r.srem('py:a', 'x'), r.object('encoding', 'py:a'))
r.sadd('py:b', 2, 3, 4)
print(sorted(r.sinter('py:a', 'py:b')), sorted(r.sunion('py:a', 'py:b')), sorted(r.sdiff('py:a', 'py:b')))
print(r.sintercard(2, ['py:a', 'py:b'], limit=1), r.sinterstore('py:c', ['py:a', 'py:b']), r.sunionstore('py:c', ['py:a', 'py:b']), r.sdiffstore('py:c', ['py:a', 'py:b']))
print(r.smove('py:a', 'py:d', 1), r.smembers('py:d'), r.object('encoding', 'py:d'), r.type('py:d'))
print(len(r.srandmember('py:b', -5)), sorted(r.srandmember('py:b', 10)), r.sscan('py:b', 0))
print(sorted(r.spop('py:b', 10)), r.exists('py:b'), r.spop('py:b'))
r.set('py:s', 'v')
try:
    r.sadd('py:s', 'a')
except redis.exceptions.ResponseError as e:
    print(e)
`);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim().split('\n')).toEqual([
      "4 ['1', '2', '3', 'x'] 4 True",
      '[1, 0] 1 hashtable',
      "['2', '3'] ['1', '2', '3', '4'] ['1']",
      '1 2 4 1',
      "True {'1'} intset set",
      "5 ['2', '3', '4'] (0, ['2', '3', '4'])",
      "['2', '3', '4'] 0 None",
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    ]);
  });
});

describe('SIGKILL under a write load of sets', () => {
  it('keeps every acknowledged SADD and SMOVE, and every command whole', async () => {
    const dir = await tempDir('sluice-set-kill-');
    let server = await startSluice({ dir });
    const acked: number[] = [];
    let stop = false;
    const lanes = Array.from({ length: 8 }, async (_, lane) => {
      const client = new Redis(server.port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      for (let i = lane; !stop; i += 8) {
        try {
          // Two members in one SADD: both or neither. Then one of them moves to another set.
          await client.sadd(`s:${i % 20}`, `a:${i}`, `b:${i}`);
          await client.smove(`s:${i % 20}`, `moved:${i % 20}`, `b:${i}`);
          acked.push(i);
        } catch {
          break;
        }
      }
      client.disconnect();
    });
    await new Promise((r) => setTimeout(r, 1500));
    await server.kill();
    stop = true;
    await Promise.all(lanes);
    expect(acked.length).toBeGreaterThan(100);

    server = await startSluice({ dir });
    const client = new Redis(server.port, '127.0.0.1');
    for (const i of acked) {
      expect(await client.smismember(`s:${i % 20}`, `a:${i}`, `b:${i}`)).toEqual([1, 0]);
      expect(await client.sismember(`moved:${i % 20}`, `b:${i}`)).toBe(1);
    }
    // No half-applied command: each b:i is in exactly one place, and only beside its a:i.
    for (let k = 0; k < 20; k++) {
      const here = new Set(await client.smembers(`s:${k}`));
      const moved = await client.smembers(`moved:${k}`);
      expect(await client.scard(`s:${k}`)).toBe(here.size);
      expect(await client.scard(`moved:${k}`)).toBe(moved.length);
      for (const m of moved) {
        expect(here.has(m)).toBe(false);
        expect(here.has(`a:${m.slice(2)}`)).toBe(true);
      }
      for (const m of here) if (m.startsWith('b:')) expect(here.has(`a:${m.slice(2)}`)).toBe(true);
    }
    client.disconnect();
    await server.dispose();
  }, 60_000);
});
