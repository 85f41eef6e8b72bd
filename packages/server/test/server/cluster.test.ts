/**
 * Cluster mode on a real sluice-server (`--cluster-enabled yes`, no Kafka: a one-node cluster that serves
 * every slot): the cluster clients of four libraries write and read through it, with hash tags and
 * multi-key commands; CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT follow writes, deletions, expiry and
 * FLUSHALL, and the slot index is rebuilt when a data directory moves in and out of cluster mode; the node
 * keeps its id across restarts; the announced address is the one set.
 */

import { keySlot } from '@sluice/protocol';
import {
  connectRaw,
  python,
  type RawClient,
  type RunningServer,
  redisCli,
  removeDir,
  run,
  sluiceServerScript,
  startSluice,
  tempDir,
} from '@sluice/testkit';
import { Cluster } from 'ioredis';
import { Cluster as Cluster6 } from 'ioredis6';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../compat/resp.js';

const KEYS = 3000;
/** Keys of 50 hash tags, and the value each gets. */
const key = (i: number): string => `{user${i % 50}}:k${i}`;
const value = (i: number, lib: string): string => `${lib}-${i}`;
const slotOf = (k: string | Buffer): number => keySlot(typeof k === 'string' ? Buffer.from(k, 'latin1') : k);

async function call(port: number, ...argv: string[]): Promise<unknown> {
  const c = await connectRaw(port);
  const reply = parse(await c.call(...argv));
  await c.close();
  return reply;
}

describe('cluster clients against a one-node sluice-server cluster', () => {
  let sluice: RunningServer;
  beforeAll(async () => {
    sluice = await startSluice({ args: ['--cluster-enabled', 'yes'] });
  }, 60_000);
  afterAll(async () => {
    await sluice?.dispose();
  });

  it('ioredis 5 Cluster: 3,000 keys with hash tags, MSET and MGET of one tag, CROSSSLOT across tags', async () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: sluice.port }]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, t) => {
        const p = cluster.pipeline();
        for (let i = t; i < KEYS; i += 50) p.set(key(i), value(i, 'ioredis'));
        return p.exec();
      }),
    );
    expect(results.flat().every((r) => r?.[0] === null && r[1] === 'OK')).toBe(true);
    for (let i = 0; i < KEYS; i += 97) expect(await cluster.get(key(i))).toBe(value(i, 'ioredis'));
    await cluster.mset('{user7}:a', '1', '{user7}:b', '2');
    expect(await cluster.mget('{user7}:a', '{user7}:b', key(7))).toEqual(['1', '2', value(7, 'ioredis')]);
    await expect(cluster.mget('{user1}:x', '{user2}:x')).rejects.toThrow(/CROSSSLOT/);
    const tx = await cluster.multi().incr('{user9}:n').incr('{user9}:n').exec();
    expect(tx).toEqual([
      [null, 1],
      [null, 2],
    ]);
    cluster.disconnect();
  }, 60_000);

  it('ioredis 6 Cluster reads what ioredis 5 wrote and writes its own', async () => {
    const cluster = new Cluster6([{ host: '127.0.0.1', port: sluice.port }]);
    const got = await Promise.all(Array.from({ length: KEYS }, (_, i) => cluster.get(key(i))));
    expect(got).toEqual(Array.from({ length: KEYS }, (_, i) => value(i, 'ioredis')));
    await Promise.all(Array.from({ length: KEYS }, (_, i) => cluster.set(key(i), value(i, 'ioredis6'))));
    expect(await cluster.get(key(2999))).toBe(value(2999, 'ioredis6'));
    cluster.disconnect();
  }, 60_000);

  it('node-redis createCluster: 3,000 keys, MSET and MGET of one tag', async () => {
    const cluster = createCluster({ rootNodes: [{ url: sluice.url }] });
    await cluster.connect();
    for (let from = 0; from < KEYS; from += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => cluster.set(key(from + j), value(from + j, 'node-redis'))),
      );
    }
    const got = await Promise.all(Array.from({ length: KEYS }, (_, i) => cluster.get(key(i))));
    expect(got).toEqual(Array.from({ length: KEYS }, (_, i) => value(i, 'node-redis')));
    await cluster.mSet([
      ['{user3}:a', 'x'],
      ['{user3}:b', 'y'],
    ]);
    expect(await cluster.mGet(['{user3}:a', '{user3}:b'])).toEqual(['x', 'y']);
    await expect(cluster.sendCommand('{user1}:x', false, ['MGET', '{user1}:x', '{user2}:x'])).rejects.toThrow(
      /CROSSSLOT/,
    );
    await cluster.close();
  }, 60_000);

  it("redis-py RedisCluster (Debian's python3-redis): 3,000 keys through its cluster pipeline, MSET and MGET", async () => {
    const script = `
import json, os
from redis.cluster import RedisCluster
rc = RedisCluster(host='127.0.0.1', port=int(os.environ['PORT']), decode_responses=True)
keys = ['{user%d}:k%d' % (i % 50, i) for i in range(${KEYS})]
pipe = rc.pipeline()
for i, k in enumerate(keys): pipe.set(k, 'redis-py-%d' % i)
pipe.execute()
got = [rc.get(k) for k in keys]
rc.mset({'{user5}:a': '1', '{user5}:b': '2'})
tagged = rc.mget('{user5}:a', '{user5}:b')
spread = rc.mget_nonatomic(keys[:100])
try:
    rc.execute_command('MGET', '{user1}:x', '{user2}:x')
    cross = 'no error'
except Exception as e:
    cross = str(e)
print(json.dumps({'ok': got == ['redis-py-%d' % i for i in range(${KEYS})], 'tagged': tagged,
                  'spread': spread == got[:100], 'slots': rc.cluster_keyslot('{user5}:a'), 'cross': cross}))
`;
    const result = await python(script, { PORT: String(sluice.port) });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out.ok).toBe(true);
    expect(out.tagged).toEqual(['1', '2']);
    expect(out.spread).toBe(true);
    expect(out.slots).toBe(slotOf('user5'));
    // redis-py checks the slots itself before it sends a multi-key command.
    expect(out.cross).toBe('MGET - all keys must map to the same key slot');
  }, 60_000);

  it('redis-cli -c: writes and reads with hash tags, and gets CROSSSLOT across them', async () => {
    const lines = [
      'SET {cli}:a 1',
      'SET {cli}:b 2',
      'MGET {cli}:a {cli}:b',
      'MGET {cli}:a other',
      'CLUSTER KEYSLOT {cli}:a',
    ];
    const result = await redisCli(sluice.port, ['-c'], { input: `${lines.join('\n')}\n` });
    expect(result.stdout.split('\n')).toEqual([
      'OK',
      'OK',
      '1',
      '2',
      "CROSSSLOT Keys in request don't hash to the same slot",
      // redis-cli ends an error with an empty line in raw mode.
      '',
      String(slotOf('cli')),
      '',
    ]);
  });

  it('CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT list the keys the clients wrote, slot by slot', async () => {
    const c = await connectRaw(sluice.port);
    const expected = new Map<number, Set<string>>();
    const keys = (parse(await c.call('KEYS', '*')) as string[]).sort();
    for (const k of keys) {
      const s = slotOf(k);
      expected.set(s, (expected.get(s) ?? new Set()).add(k));
    }
    expect(keys.length).toBeGreaterThan(KEYS);
    for (const [slot, set] of expected) {
      expect(parse(await c.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot)))).toBe(set.size);
      const listed = parse(await c.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '100000')) as string[];
      expect(new Set(listed)).toEqual(set);
      expect(parse(await c.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '1'))).toHaveLength(1);
    }
    // A slot without keys.
    const empty = Array.from({ length: 16384 }, (_, i) => i).find((s) => !expected.has(s)) as number;
    expect(parse(await c.call('CLUSTER', 'COUNTKEYSINSLOT', String(empty)))).toBe(0);
    expect(parse(await c.call('CLUSTER', 'GETKEYSINSLOT', String(empty), '10'))).toEqual([]);
    await c.close();
  });
});

describe('the slot index', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await removeDir(d);
  });

  /** This node's keys per slot, from CLUSTER COUNTKEYSINSLOT and GETKEYSINSLOT, for the slots of `keys`. */
  async function indexed(c: RawClient, keys: readonly (string | Buffer)[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const s of new Set(keys.map(slotOf))) {
      const count = parse(await c.call('CLUSTER', 'COUNTKEYSINSLOT', String(s))) as number;
      const listed = (parse(await c.call('CLUSTER', 'GETKEYSINSLOT', String(s), '1000')) as string[]).sort();
      expect(listed).toHaveLength(count);
      if (count > 0) out.set(s, listed);
    }
    return out;
  }

  /** What `indexed` should say when exactly `keys` exist. */
  function expectedOf(keys: readonly (string | Buffer)[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const k of keys) {
      const s = slotOf(k);
      out.set(s, [...(out.get(s) ?? []), typeof k === 'string' ? k : k.toString('latin1')].sort());
    }
    return out;
  }

  it('follows writes, deletions, renames, collections, long keys, expiry and FLUSHALL', async () => {
    const server = await startSluice({ args: ['--cluster-enabled', 'yes'] });
    const c = await connectRaw(server.port);
    const long = `{long}${'x'.repeat(3000)}`;
    const edge = `{long}${'y'.repeat(1971)}`; // 1977 bytes: stored directly, indexed by its hash
    const all = ['{t}1', '{t}2', '{t}3', 'plain', 'h', 'l', 's', long, edge];
    for (const k of ['{t}1', '{t}2', '{t}3', 'plain', long, edge])
      expect(await c.call('SET', k, 'v')).toBe('+OK\r\n');
    await c.call('HSET', 'h', 'f', 'v');
    await c.call('RPUSH', 'l', 'a', 'b');
    await c.call('SADD', 's', 'm');
    // Overwrites and updates add nothing.
    await c.call('SET', '{t}1', 'again');
    await c.call('HSET', 'h', 'g', 'w');
    await c.call('APPEND', 'plain', 'more');
    expect(await indexed(c, all)).toEqual(expectedOf(all));
    // Deletions, a rename within the slot, an emptied list, a MULTI that creates and deletes.
    await c.call('DEL', '{t}2');
    await c.call('RENAME', '{t}3', '{t}4');
    await c.call('LPOP', 'l', '2');
    await c.call('UNLINK', long);
    await c.call('MULTI');
    await c.call('SET', '{t}5', 'v');
    await c.call('DEL', '{t}5');
    await c.call('SET', '{t}6', 'v');
    await c.call('EXEC');
    const now = ['{t}1', '{t}4', '{t}6', 'plain', 'h', 's', edge];
    expect(await indexed(c, [...all, '{t}4', '{t}5', '{t}6'])).toEqual(expectedOf(now));
    // Active expiry removes keys, and their entries.
    await c.call('PEXPIRE', '{t}1', '20');
    await c.call('SET', 'short', 'v', 'PX', '20');
    const deadline = Date.now() + 5000;
    while ((parse(await c.call('DBSIZE')) as number) > now.length - 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const left = now.filter((k) => k !== '{t}1');
    expect(await indexed(c, [...now, 'short'])).toEqual(expectedOf(left));
    expect(await c.call('FLUSHALL')).toBe('+OK\r\n');
    expect(await indexed(c, now)).toEqual(new Map());
    await c.close();
    await server.dispose();
  }, 60_000);

  it('is built when a data directory comes into cluster mode, and again after a run without it', async () => {
    const dir = await tempDir('sluice-cluster-');
    dirs.push(dir);
    const first = Array.from({ length: 500 }, (_, i) => `k${i}`);
    let server = await startSluice({ dir });
    let c = await connectRaw(server.port);
    for (const k of first) await c.call('SET', k, 'v');
    await c.close();
    await server.stop();

    server = await startSluice({ dir, args: ['--cluster-enabled', 'yes'] });
    expect(server.output()).toContain('Cluster mode: indexed 500 keys by hash slot');
    c = await connectRaw(server.port);
    const id = parse(await c.call('CLUSTER', 'MYID')) as string;
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(await indexed(c, first)).toEqual(expectedOf(first));
    await c.close();
    await server.stop();

    // Without cluster mode, writes do not keep the index: it is dropped, and built again next time.
    server = await startSluice({ dir });
    c = await connectRaw(server.port);
    for (let i = 0; i < 250; i++) await c.call('DEL', `k${i}`);
    for (let i = 0; i < 100; i++) await c.call('SET', `n${i}`, 'v');
    await c.close();
    await server.stop();
    const second = [...first.slice(250), ...Array.from({ length: 100 }, (_, i) => `n${i}`)];

    server = await startSluice({ dir, args: ['--cluster-enabled', 'yes'] });
    expect(server.output()).toContain('Cluster mode: indexed 350 keys by hash slot');
    c = await connectRaw(server.port);
    expect(await indexed(c, [...first, ...second])).toEqual(expectedOf(second));
    // The node keeps its id.
    expect(parse(await c.call('CLUSTER', 'MYID'))).toBe(id);
    await c.close();
    await server.stop();

    // A restart in cluster mode keeps the index without building it again.
    server = await startSluice({ dir, args: ['--cluster-enabled', 'yes'] });
    expect(server.output()).not.toContain('indexed');
    c = await connectRaw(server.port);
    expect(await indexed(c, second)).toEqual(expectedOf(second));
    await c.close();
    await server.stop();
  }, 120_000);
});

describe('cluster settings', () => {
  it('cluster-announce-ip and cluster-announce-port are what CLUSTER SLOTS and NODES give', async () => {
    const server = await startSluice({
      args: [
        '--cluster-enabled',
        'yes',
        '--cluster-announce-ip',
        '10.1.2.3',
        '--cluster-announce-port',
        '7777',
      ],
    });
    const slots = (await call(server.port, 'CLUSTER', 'SLOTS')) as unknown[][];
    expect(slots).toHaveLength(1);
    expect((slots[0] as unknown[]).slice(0, 3)).toEqual([
      0,
      16383,
      ['10.1.2.3', 7777, expect.any(String), []],
    ]);
    expect(String(await call(server.port, 'CLUSTER', 'NODES'))).toMatch(
      /^[0-9a-f]{40} 10\.1\.2\.3:7777@0 myself,master /,
    );
    const config = (await call(server.port, 'CONFIG', 'GET', 'cluster-*')) as string[];
    expect(new Map(config.flatMap((v, i) => (i % 2 === 0 ? [[v, config[i + 1]]] : [])))).toEqual(
      new Map([
        ['cluster-enabled', 'yes'],
        ['cluster-announce-ip', '10.1.2.3'],
        ['cluster-announce-port', '7777'],
        ['cluster-node-timeout', '15000'],
        ['cluster-allow-reads-when-down', 'no'],
        ['cluster-standby-replicas', '1'],
      ]),
    );
    await server.dispose();
  });

  it('a node bound to every interface announces no address, as redis-server before it meets another node', async () => {
    const server = await startSluice({ args: ['--cluster-enabled', 'yes', '--bind', '0.0.0.0'] });
    const slots = (await call(server.port, 'CLUSTER', 'SLOTS')) as unknown[][];
    expect((slots[0] as unknown[])[2]).toEqual(['', server.port, expect.any(String), []]);
    await server.dispose();
  });

  it('over Kafka, a node serves no slot until its consumer group assigns it partitions', async () => {
    // Brokers that do not answer: the node never joins its group, so it serves nothing.
    const server = await startSluice({
      args: ['--cluster-enabled', 'yes', '--kafka-brokers', '127.0.0.1:9', '--kafka-topic', 't'],
    });
    expect(await call(server.port, 'CLUSTER', 'SLOTS')).toEqual([]);
    expect(String(await call(server.port, 'CLUSTER', 'INFO'))).toContain('cluster_state:fail\r\n');
    const c = await connectRaw(server.port);
    expect(await c.call('GET', 'k')).toBe('-CLUSTERDOWN Hash slot not served\r\n');
    await c.close();
    await server.dispose();
  });
});
