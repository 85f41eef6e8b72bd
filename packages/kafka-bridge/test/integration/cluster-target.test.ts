/**
 * A Redis Cluster as the target: a real 3-node redis-server cluster, fed from a topic that kcat and
 * kafkajs wrote with Kafka's default (murmur2) partitioner, so that every partition holds keys of
 * thousands of slots. The bridge writes one transaction per slot with an offset key per (partition,
 * slot); the tests read every key back through the cluster, and record every write the nodes executed
 * (MONITOR shows the commands of a transaction when EXEC runs them, and none of a transaction a WATCH
 * aborted) to show that no record was applied twice, even across SIGKILLs of the bridge.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { keySlot } from '@sluice/protocol';
import {
  type MockBroker,
  type RedisCluster,
  type RunningServer,
  readTopicWithKcat,
  redisCli,
  startMockBroker,
  startRedis,
  startRedisCluster,
  type TopicRecord,
} from '@sluice/testkit';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge } from '../helpers/bridge-process.js';
import {
  produceWithKafkajs,
  produceWithKcat,
  random,
  type TestRecord,
  workload,
} from '../helpers/produce.js';
import { diffStates } from '../helpers/targets.js';

const PARTITIONS = 4;

/** Small transactions and fetches, so that a kill lands in the middle of the work. */
const SLOW = ['--max-batch-records', '400', '--fetch-max-bytes', '16384', '--concurrency', '2'];

/** Every command a node executed, as MONITOR prints it, from when `monitor` was called. */
class Monitor {
  readonly #child: ChildProcess;
  #text = '';

  constructor(port: number) {
    this.#child = spawn('redis-cli', ['-p', String(port), 'monitor'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.#child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      this.#text += t;
    });
  }

  /** Waits until MONITOR prints (the `OK` line). */
  async started(): Promise<void> {
    await eventually(
      async () => this.#text.startsWith('OK'),
      10_000,
      () => 'MONITOR did not start',
    );
  }

  /** The `SET key value …` commands seen, as [key, value], in order. */
  sets(): [string, string][] {
    const out: [string, string][] = [];
    for (const m of this.#text.matchAll(/^\S+ \[\d+ [^\]]+\] "SET" "([^"]*)" "([^"]*)"/gm)) {
      out.push([m[1] as string, m[2] as string]);
    }
    return out;
  }

  stop(): void {
    if (this.#child.pid !== undefined && this.#child.exitCode === null) this.#child.kill('SIGTERM');
  }
}

describe('a redis-server cluster as the target', () => {
  let broker: MockBroker;
  let cluster: RedisCluster;
  let client: Cluster;
  const bridges: BridgeProcess[] = [];
  const monitors: Monitor[] = [];

  beforeAll(async () => {
    broker = await startMockBroker({
      topics: ['feed', 'kills', 'reshard', 'lost'].map((name) => ({ name, partitions: PARTITIONS })),
    });
    cluster = await startRedisCluster({ nodes: 3 });
    client = new Cluster(
      cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
      { redisOptions: { maxRetriesPerRequest: 3 } },
    );
  }, 60_000);

  afterEach(async () => {
    for (const bridge of bridges.splice(0)) await bridge.kill();
    for (const m of monitors.splice(0)) m.stop();
    // Each test starts from an empty cluster.
    for (const node of cluster.nodes) {
      const c = new Redis(node.port, '127.0.0.1');
      await c.flushall();
      c.disconnect();
    }
  });

  /** A node restarted by a test, stopped before the cluster. */
  let restarted: RunningServer | undefined;

  afterAll(async () => {
    client?.disconnect();
    await restarted?.dispose();
    await cluster?.dispose();
    await broker?.stop();
  });

  const target = (): string => `redis://127.0.0.1:${cluster.nodes[1]?.port}`;

  async function bridge(topic: string, args: string[] = []): Promise<BridgeProcess> {
    const started = await startBridge({
      brokers: broker.bootstrap,
      topic,
      target: target(),
      args: [...SLOW, ...args],
    });
    bridges.push(started);
    return started;
  }

  async function monitorAll(): Promise<void> {
    for (const node of cluster.nodes) monitors.push(new Monitor(node.port));
    for (const m of monitors) await m.started();
  }

  /** Every key of the cluster (SCAN on each primary, GETs pipelined), except the bridge's offset keys. */
  async function clusterState(): Promise<Map<string, string>> {
    const state = new Map<string, string>();
    for (const node of cluster.nodes) {
      const c = new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await c.scan(cursor, 'COUNT', 1000);
          cursor = next;
          const data = keys.filter((k) => !k.startsWith('__sluice_bridge:'));
          // One GET per key: MGET refuses keys of different slots (CROSSSLOT).
          const pipeline = c.pipeline();
          for (const k of data) pipeline.get(k);
          const values = (await pipeline.exec()) ?? [];
          data.forEach((k, i) => {
            const value = values[i]?.[1];
            if (typeof value === 'string') state.set(k, value);
          });
        } while (cursor !== '0');
      } finally {
        c.disconnect();
      }
    }
    return state;
  }

  /** What the topic says the cluster must hold: each key's last value (tombstones and expired records delete). */
  function expectedOf(records: readonly TopicRecord[]): Map<string, string> {
    const state = new Map<string, string>();
    for (const r of records) {
      if (r.key === null || r.key.startsWith('__sluice_bridge:')) continue;
      const expireAt = r.headers['sluice-expire-at'];
      if (r.value === null || (expireAt !== undefined && Number(expireAt) <= Date.now())) state.delete(r.key);
      else state.set(r.key, r.value);
    }
    return state;
  }

  async function converges(expected: Map<string, string>, timeoutMs = 60_000): Promise<void> {
    let actual = new Map<string, string>();
    await eventually(
      async () => {
        actual = await clusterState();
        return diffStates(expected, actual).startsWith('missing 0 [], wrong 0 [], extra 0 []');
      },
      timeoutMs,
      () => `the cluster did not converge: ${diffStates(expected, actual)}`,
    );
    // And through a cluster client, key by key.
    const keys = [...expected.keys()];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const values = await Promise.all(chunk.map((k) => client.get(k)));
      chunk.forEach((k, j) => {
        expect(values[j], k).toBe(expected.get(k));
      });
    }
  }

  /** The partition offset keys (low-water marks) through the cluster. */
  async function lowWater(topic: string): Promise<(bigint | null)[]> {
    const values = await Promise.all(
      Array.from({ length: PARTITIONS }, (_, p) => client.get(`__sluice_bridge:offset:${topic}:${p}`)),
    );
    return values.map((v) => (v === null ? null : BigInt(v)));
  }

  /**
   * The offset keys of (partition, slot): each holds at least the last offset of its partition's records
   * in its slot, and there is none for a slot without records.
   */
  async function checkSlotOffsets(topic: string, records: readonly TopicRecord[]): Promise<void> {
    const last = new Map<string, number>();
    for (const r of records) {
      if (r.key === null || r.key.startsWith('__sluice_bridge:')) continue;
      const name = `${r.partition}/${keySlot(Buffer.from(r.key))}`;
      last.set(name, Math.max(last.get(name) ?? -1, r.offset));
    }
    const stored = new Map<string, bigint>();
    for (const node of cluster.nodes) {
      const c = new Redis(node.port, '127.0.0.1');
      try {
        let cursor = '0';
        do {
          const [next, keys] = await c.scan(
            cursor,
            'MATCH',
            `__sluice_bridge:offset:{*}:${topic}:*`,
            'COUNT',
            1000,
          );
          cursor = next;
          for (const key of keys) {
            const value = await c.get(key);
            const p = Number(key.slice(key.lastIndexOf(':') + 1));
            expect(value, key).not.toBeNull();
            stored.set(`${p}/${keySlot(Buffer.from(key))}`, BigInt(value as string));
          }
        } while (cursor !== '0');
      } finally {
        c.disconnect();
      }
    }
    expect(new Set(stored.keys())).toEqual(new Set(last.keys()));
    for (const [name, offset] of last)
      expect((stored.get(name) as bigint) >= BigInt(offset), name).toBe(true);
  }

  /**
   * No record was applied twice: every SET of a data key the nodes executed carries a value produced
   * once (values are unique), seen once, and a key's values come in the order of its partition.
   */
  function checkAppliedOnce(records: readonly TopicRecord[]): number {
    const position = new Map<string, number>();
    for (const r of records) if (r.value !== null) position.set(`${r.key}\u0000${r.value}`, r.offset);
    const seen = new Map<string, number>();
    const lastOffset = new Map<string, number>();
    let sets = 0;
    for (const m of monitors) {
      for (const [key, value] of m.sets()) {
        if (key.startsWith('__sluice_bridge:')) continue;
        sets++;
        const pair = `${key}\u0000${value}`;
        seen.set(pair, (seen.get(pair) ?? 0) + 1);
        const offset = position.get(pair);
        expect(offset, `${key}=${value} was never produced`).toBeDefined();
        // One key is in one slot, on one node: its SETs are in one MONITOR stream, in execution order.
        expect(offset as number, `${key} went back to ${value}`).toBeGreaterThan(lastOffset.get(key) ?? -1);
        lastOffset.set(key, offset as number);
      }
    }
    const twice = [...seen].filter(([, n]) => n > 1).map(([pair]) => pair.replace('\u0000', '='));
    expect(twice, 'records applied more than once').toEqual([]);
    return sets;
  }

  it('applies keys of every slot, tombstones and expiries, and finds the cluster by itself', async () => {
    const topic = 'feed';
    // murmur2 (kcat with murmur2_random, and kafkajs) spreads every slot over every partition.
    await produceWithKcat(
      broker.bootstrap,
      topic,
      workload({ records: 8_000, keys: 3_000, tombstones: 0.15, seed: 1 }),
    );
    const tagged: TestRecord[] = [];
    for (let i = 0; i < 300; i++) tagged.push({ key: `{user${i % 7}}:field${i}`, value: `tagged-${i}` });
    // Skipped as with a single target: no key, and a key in the bridge's reserved namespace.
    tagged.push({ key: null, value: 'no-key' }, { key: '__sluice_bridge:offset:feed:0', value: '999999' });
    await produceWithKafkajs(broker.bootstrap, topic, tagged);
    const expiring: TestRecord[] = Array.from({ length: 100 }, (_, i) => ({
      key: `ttl-${i}`,
      value: `lives-${i}`,
      headers: { 'sluice-ttl': '3600000' },
    }));
    await produceWithKcat(broker.bootstrap, topic, expiring);
    const gone: TestRecord[] = Array.from({ length: 50 }, (_, i) => ({
      key: `ttl-${i}`,
      value: `gone-${i}`,
    }));
    await produceWithKcat(
      broker.bootstrap,
      topic,
      gone.map((r) => ({ ...r, headers: { 'sluice-expire-at': '1000' } })),
    );

    const b = await bridge(topic);
    await b.waitReady(60_000);
    const records = await readTopicWithKcat(broker.bootstrap, topic);
    expect(new Set(records.map((r) => r.partition)).size).toBe(PARTITIONS);
    await converges(expectedOf(records));
    expect(b.logs().some((l) => l.msg === 'target mode detected' && l.cluster === true)).toBe(true);
    expect(await b.metric('sluice_bridge_records_skipped_total', { reason: 'reserved_key' })).toBe(1);
    expect(await b.metric('sluice_bridge_records_skipped_total', { reason: 'no_key' })).toBe(1);
    // Expiries: ttl-50… keep an expiry within the hour; ttl-0…49 were deleted by a past expire-at.
    for (let i = 0; i < 100; i++) {
      const pttl = await client.pttl(`ttl-${i}`);
      if (i < 50) expect(pttl, `ttl-${i}`).toBe(-2);
      else expect(pttl > 3_500_000 && pttl <= 3_600_000, `ttl-${i}: ${pttl}`).toBe(true);
    }
    const ends = new Map<number, number>();
    for (const r of records) ends.set(r.partition, Math.max(ends.get(r.partition) ?? -1, r.offset));
    expect(await lowWater(topic)).toEqual(
      Array.from({ length: PARTITIONS }, (_, p) => BigInt(ends.get(p) ?? -1)),
    );
    await checkSlotOffsets(topic, records);
    expect(b.logs().filter((l) => l.level === 'error')).toEqual([]);
  }, 110_000);

  it('follows slots that move to another node while it writes (redis-cli --cluster reshard under load)', async () => {
    const topic = 'reshard';
    await monitorAll();
    await produceWithKcat(
      broker.bootstrap,
      topic,
      workload({ records: 6_000, keys: 3_000, tombstones: 0.1, seed: 61 }),
    );
    const b = await bridge(topic, ['--target-cluster', 'yes']);
    const more = produceWithKafkajs(
      broker.bootstrap,
      topic,
      workload({ records: 4_000, keys: 3_000, tombstones: 0.1, seed: 62 }),
    );
    // Move slots once it is applying, with records still coming.
    await eventually(
      async () => (await lowWater(topic)).reduce((n, m) => n + (m === null ? 0 : Number(m) + 1), 0) >= 1_500,
      60_000,
      () => 'no progress to 1,500 records',
    );
    const from = cluster.nodes[0] as (typeof cluster.nodes)[number];
    const to = cluster.nodes[2] as (typeof cluster.nodes)[number];
    const id = async (port: number) => (await redisCli(port, ['CLUSTER', 'MYID'])).stdout.trim();
    const moved = await redisCli(from.port, [
      ...['--cluster', 'reshard', `127.0.0.1:${from.port}`],
      ...['--cluster-from', await id(from.port), '--cluster-to', await id(to.port)],
      ...['--cluster-slots', '1000', '--cluster-yes'],
    ]);
    expect(moved.code, moved.stderr).toBe(0);
    await more;
    await b.waitReady(60_000);
    const records = await readTopicWithKcat(broker.bootstrap, topic);
    await converges(expectedOf(records));
    await checkSlotOffsets(topic, records);
    checkAppliedOnce(records);
    // It read the slot map again when slots moved.
    expect(b.logs().filter((l) => l.msg === 'cluster slot map read').length).toBeGreaterThan(1);
    expect(b.logs().filter((l) => l.level === 'error')).toEqual([]);
  }, 100_000);

  it('SIGKILL under load: every key ends with its last value and no record is applied twice', async () => {
    const topic = 'kills';
    await monitorAll();
    await produceWithKcat(
      broker.bootstrap,
      topic,
      workload({ records: 12_000, keys: 4_000, tombstones: 0.1, seed: 11 }),
    );
    const next = random(5);
    let applied = 0;
    for (let round = 0; round < 3; round++) {
      const b = await bridge(topic, ['--target-cluster', 'yes']);
      const more = produceWithKafkajs(
        broker.bootstrap,
        topic,
        workload({ records: 2_000, keys: 4_000, tombstones: 0.1, seed: 20 + round }),
      );
      // Kill it in the middle of the backlog: some slots of a batch are in, others not yet.
      const goal = applied + 1_500 + Math.floor(next() * 2_000);
      await eventually(
        async () => {
          const marks = await lowWater(topic);
          applied = marks.reduce((n, m) => n + (m === null ? 0 : Number(m) + 1), 0);
          return applied >= goal;
        },
        60_000,
        () => `no progress to ${goal} records (at ${applied})`,
      );
      await b.kill();
      await more;
    }
    const last = await bridge(topic, ['--target-cluster', 'yes']);
    await last.waitReady(60_000);
    const records = await readTopicWithKcat(broker.bootstrap, topic);
    await converges(expectedOf(records));
    await checkSlotOffsets(topic, records);
    const sets = checkAppliedOnce(records);
    expect(sets).toBeGreaterThan(4_000);
  }, 115_000);

  // Last: it leaves a node restarted.
  it('a primary that comes back empty: the bridge lowers the partitions’ offsets and applies them again', async () => {
    const topic = 'lost';
    await produceWithKcat(
      broker.bootstrap,
      topic,
      workload({ records: 4_000, keys: 1_500, tombstones: 0.1, seed: 71 }),
    );
    const b = await bridge(topic, ['--target-cluster', 'yes']);
    await b.waitReady(60_000);
    await converges(expectedOf(await readTopicWithKcat(broker.bootstrap, topic)));

    // Restart a primary (not the one --target names) without its data but with its nodes.conf: it
    // comes back with its slots, empty, before the others count it as failed.
    const node = cluster.nodes[2] as RunningServer;
    const self = (await redisCli(node.port, ['CLUSTER', 'NODES'])).stdout
      .split('\n')
      .find((l) => l.includes('myself'));
    const busPort = /@(\d+)/.exec(self ?? '')?.[1];
    expect(busPort).toBeDefined();
    await node.kill();
    restarted = await startRedis({
      port: node.port,
      dir: node.dir,
      args: [
        ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
        ...['--cluster-port', busPort as string, '--cluster-announce-ip', '127.0.0.1'],
      ],
    });
    await eventually(
      async () => (await redisCli(node.port, ['CLUSTER', 'INFO'])).stdout.includes('cluster_state:ok'),
      30_000,
      () => 'the restarted node did not rejoin',
    );
    expect((await redisCli(node.port, ['DBSIZE'])).stdout.trim()).toBe('0');

    // New records touch slots of the empty node in every partition: the bridge finds those slots'
    // offsets gone and reads the partitions again, restoring the keys that got no new record too.
    await produceWithKafkajs(
      broker.bootstrap,
      topic,
      workload({ records: 1_000, keys: 1_500, tombstones: 0.1, seed: 72 }),
    );
    await converges(expectedOf(await readTopicWithKcat(broker.bootstrap, topic)));
    await b.waitReady(30_000);
    expect(await b.metric('sluice_bridge_rewinds_total')).toBeGreaterThan(0);
    expect(
      b
        .logs()
        .some((l) => l.msg === 'slots of a partition lost writes; lowering its offset to read it again'),
    ).toBe(true);
  }, 100_000);
});
