/**
 * Cluster mode over Kafka: three sluice-server processes on one topic of librdkafka's mock cluster find
 * each other through their consumer group; the group's plan is their topology. Every node answers the
 * same CLUSTER SLOTS, serves only its partitions' slots (MOVED for the others), and an ioredis Cluster
 * writes and reads through any of them; the records land in the partition of their slot.
 */
import { type RunningServer, readTopicWithKcat } from '@sluice/testkit';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOfSlot } from '../../src/cluster/membership.js';
import { keySlot } from '../../src/cluster/slot.js';
import { client, eventually, LogCluster } from '../log/nodes.js';

const PARTITIONS = 6;

/** Settings of a cluster node on the mock: a short session so that a dead node's slots move soon. */
const CLUSTER_ARGS = [
  '--cluster-enabled',
  'yes',
  '--cluster-node-timeout',
  '3000',
  '--kafka-fetch-max-wait-ms',
  '100',
];

type Slots = [number, number, [string, number, string], ...[string, number, string][]][];

async function slotsOf(port: number): Promise<Slots> {
  const c = client(port);
  try {
    return ((await c.call('CLUSTER', 'SLOTS')) as Slots).sort((a, b) => a[0] - b[0]);
  } finally {
    c.disconnect();
  }
}

/** Waits until every node's CLUSTER SLOTS covers all slots with `count` primaries and they all agree. */
async function waitAgreed(nodes: readonly RunningServer[], count: number): Promise<Slots> {
  let last = '';
  let agreed: Slots = [];
  await eventually(
    async () => {
      const all = await Promise.all(nodes.map((n) => slotsOf(n.port)));
      last = JSON.stringify(all);
      const first = JSON.stringify(all[0]);
      if (!all.every((s) => JSON.stringify(s) === first)) return false;
      const slots = all[0] as Slots;
      const covered = slots.reduce((n, [start, end]) => n + end - start + 1, 0);
      const primaries = new Set(slots.map((r) => r[2][1]));
      agreed = slots;
      return covered === 16384 && primaries.size === count;
    },
    60_000,
    () => `nodes do not agree on CLUSTER SLOTS: ${last}`,
  );
  return agreed;
}

/** Waits until a key of every slot range answers without LOADING. */
async function waitServing(cluster: Cluster): Promise<void> {
  await eventually(
    async () => {
      try {
        await cluster.get('probe');
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    'cluster still LOADING',
  );
}

describe('cluster mode over Kafka: three nodes on one topic', () => {
  let log: LogCluster;
  beforeAll(async () => {
    log = await LogCluster.start('sluice', PARTITIONS);
    for (let i = 0; i < 3; i++) await log.node({ args: CLUSTER_ARGS, caughtUp: false });
  }, 120_000);
  afterAll(async () => {
    await log?.stop();
  });

  it("the group plan is every node's CLUSTER SLOTS: contiguous partition runs, standby copies as replicas", async () => {
    const slots = await waitAgreed(log.nodes, 3);
    const ports = log.nodes.map((n) => n.port).sort();
    expect([...new Set(slots.map((r) => r[2][1]))].sort()).toEqual(ports);
    // Each range is whole partitions: its ends are partition boundaries.
    for (const [start, end] of slots) {
      expect(
        start === 0 || partitionOfSlot(start - 1, PARTITIONS) !== partitionOfSlot(start, PARTITIONS),
      ).toBe(true);
      expect(end === 16383 || partitionOfSlot(end + 1, PARTITIONS) !== partitionOfSlot(end, PARTITIONS)).toBe(
        true,
      );
      // cluster-standby-replicas 1 (the default): one replica per range, another node.
      expect(slots.find((r) => r[0] === start)?.length).toBe(4);
    }
    const c = client(log.nodes[0]?.port as number);
    try {
      expect(await c.call('CLUSTER', 'INFO')).toMatch(
        /cluster_state:ok\r\n[\s\S]*cluster_known_nodes:3\r\n[\s\S]*cluster_size:3\r\n/,
      );
    } finally {
      c.disconnect();
    }
  }, 90_000);

  it('a node answers MOVED for a slot another node serves, byte for byte', async () => {
    const slots = await waitAgreed(log.nodes, 3);
    const node = log.nodes[0] as RunningServer;
    const other = slots.find((r) => r[2][1] !== node.port);
    expect(other).toBeDefined();
    const [start, , [host, port]] = other as Slots[number];
    let key = '';
    for (let i = 0; key === ''; i++) if (keySlot(Buffer.from(`k${i}`)) === start) key = `k${i}`;
    const c = client(node.port);
    try {
      await expect(c.get(key)).rejects.toThrow(`MOVED ${start} ${host}:${port}`);
    } finally {
      c.disconnect();
    }
  }, 90_000);

  it("ioredis Cluster writes and reads 3,000 keys through the nodes; each record is in its slot's partition", async () => {
    await waitAgreed(log.nodes, 3);
    const cluster = new Cluster([{ host: '127.0.0.1', port: log.nodes[1]?.port as number }]);
    try {
      await waitServing(cluster);
      const keys = Array.from({ length: 3000 }, (_, i) => `key:${i}`);
      for (let i = 0; i < keys.length; i += 500) {
        await Promise.all(keys.slice(i, i + 500).map((k) => cluster.set(k, `v-${k}`)));
      }
      const values = await Promise.all(keys.map((k) => cluster.get(k)));
      expect(values).toEqual(keys.map((k) => `v-${k}`));
      // Each node holds the keys of the slots it serves, and no other node answers for them.
      const counts = await Promise.all(
        log.nodes.map(async (n) => {
          const c = client(n.port);
          try {
            return Number(await c.call('DBSIZE'));
          } finally {
            c.disconnect();
          }
        }),
      );
      // Each key is on its primary and on the one node that keeps a standby copy of its partition.
      await eventually(
        async () => {
          const now = await Promise.all(
            log.nodes.map(async (n) => {
              const c = client(n.port);
              try {
                return Number(await c.call('DBSIZE'));
              } finally {
                c.disconnect();
              }
            }),
          );
          counts.splice(0, counts.length, ...now);
          return now.reduce((a, b) => a + b, 0) === 2 * keys.length;
        },
        30_000,
        () => `DBSIZE of the nodes: ${counts.join(', ')}, not ${2 * keys.length} in all`,
      );
      expect(counts.every((n) => n > 0)).toBe(true);
      // A READONLY connection to the standby reads the key; without READONLY it is sent to the primary.
      const slots = await slotsOf(log.nodes[0]?.port as number);
      const key = keys[0] as string;
      const slot = keySlot(Buffer.from(key));
      const range = slots.find(([start, end]) => start <= slot && slot <= end) as Slots[number];
      const standby = client(range[3]?.[1] as number);
      try {
        await expect(standby.get(key)).rejects.toThrow(`MOVED ${slot} 127.0.0.1:${range[2][1]}`);
        await standby.call('READONLY');
        expect(await standby.get(key)).toBe(`v-${key}`);
        await expect(standby.set(key, 'x')).rejects.toThrow(`MOVED ${slot} 127.0.0.1:${range[2][1]}`);
      } finally {
        standby.disconnect();
      }
    } finally {
      cluster.disconnect();
    }
    const records = await readTopicWithKcat(log.broker.bootstrap, log.topic);
    const ours = records.filter((r) => r.key?.startsWith('key:'));
    expect(ours.length).toBeGreaterThanOrEqual(3000);
    for (const r of ours)
      expect(r.partition).toBe(partitionOfSlot(keySlot(Buffer.from(r.key as string)), PARTITIONS));
  }, 120_000);
});
