/**
 * sluice-server's cluster mode as the target: three nodes on one topic of librdkafka's mock cluster,
 * fed by the bridge from another topic that kcat wrote with Kafka's default (murmur2) partitioner. This
 * is how a topic of external producers feeds a cluster: the bridge repartitions it through the cluster,
 * whose nodes produce each write to the partition of its slot. The nodes' own topic is then the log of
 * every write the cluster took, so it also shows that no record was applied twice across a SIGKILL of
 * the bridge.
 */

import {
  type MockBroker,
  type RunningServer,
  readTopicWithKcat,
  startMockBroker,
  startSluice,
  type TopicRecord,
} from '@sluice/testkit';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge } from '../helpers/bridge-process.js';
import { produceWithKafkajs, produceWithKcat, workload } from '../helpers/produce.js';
import { diffStates } from '../helpers/targets.js';

/** The nodes' topic and the bridge's source topic. */
const NODES_TOPIC = 'sluice';
const SOURCE = 'orders';

const NODE_ARGS = [
  ...['--cluster-enabled', 'yes', '--cluster-node-timeout', '3000', '--cluster-standby-replicas', '0'],
  ...['--kafka-fetch-max-wait-ms', '100', '--kafka-produce-timeout-ms', '2000'],
];

const SLOW = ['--max-batch-records', '400', '--fetch-max-bytes', '16384', '--concurrency', '2'];

/** Prepended to every key by the bridge, its offset keys included. */
const PREFIX = 'app:';

describe('a sluice-server cluster as the target', () => {
  let broker: MockBroker;
  const nodes: RunningServer[] = [];
  let client: Cluster;
  const bridges: BridgeProcess[] = [];

  beforeAll(async () => {
    broker = await startMockBroker({
      topics: [
        { name: NODES_TOPIC, partitions: 6 },
        { name: SOURCE, partitions: 4 },
      ],
    });
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startSluice({
          args: ['--kafka-brokers', broker.bootstrap, '--kafka-topic', NODES_TOPIC, ...NODE_ARGS],
          acceptLoading: true,
        }),
      );
    }
    // Every node agrees on CLUSTER SLOTS: all slots, three primaries.
    let last = '';
    await eventually(
      async () => {
        const all = await Promise.all(
          nodes.map(async (n) => {
            const c = new Redis(n.port, '127.0.0.1', { maxRetriesPerRequest: 0 });
            try {
              return (await c.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
            } finally {
              c.disconnect();
            }
          }),
        );
        last = JSON.stringify(all);
        const first = all[0] ?? [];
        const covered = first.reduce((n, [start, end]) => n + end - start + 1, 0);
        return (
          all.every((s) => JSON.stringify(s) === JSON.stringify(first)) &&
          covered === 16384 &&
          new Set(first.map((r) => r[2][1])).size === 3
        );
      },
      60_000,
      () => `the nodes do not agree on CLUSTER SLOTS: ${last}`,
    );
    client = new Cluster(
      nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
      { redisOptions: { maxRetriesPerRequest: 3 } },
    );
  }, 100_000);

  afterAll(async () => {
    for (const bridge of bridges.splice(0)) await bridge.kill();
    client?.disconnect();
    for (const node of nodes) await node.dispose().catch(() => {});
    await broker?.stop();
  });

  async function bridge(): Promise<BridgeProcess> {
    const started = await startBridge({
      brokers: broker.bootstrap,
      topic: SOURCE,
      target: `redis://127.0.0.1:${nodes[2]?.port}`,
      args: [...SLOW, '--target-cluster', 'yes', '--key-prefix', PREFIX],
    });
    bridges.push(started);
    return started;
  }

  function expectedOf(records: readonly TopicRecord[]): Map<string, string> {
    const state = new Map<string, string>();
    for (const r of records) {
      if (r.key === null) continue;
      if (r.value === null) state.delete(PREFIX + r.key);
      else state.set(PREFIX + r.key, r.value);
    }
    return state;
  }

  /** Every data key through the cluster client: GET of each expected key, and a SCAN of each node for extras. */
  async function clusterState(expected: Map<string, string>): Promise<Map<string, string>> {
    const state = new Map<string, string>();
    const keys = new Set(expected.keys());
    for (const node of nodes) {
      const c = new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, batch] = await c.scan(cursor, 'COUNT', 1000);
          cursor = next;
          for (const k of batch) if (!k.startsWith(`${PREFIX}__sluice_bridge:`)) keys.add(k);
        } while (cursor !== '0');
      } finally {
        c.disconnect();
      }
    }
    const all = [...keys];
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      const values = await Promise.all(chunk.map((k) => client.get(k)));
      chunk.forEach((k, j) => {
        const value = values[j];
        if (typeof value === 'string') state.set(k, value);
      });
    }
    return state;
  }

  it('the bridge repartitions a murmur2 topic through the cluster (under a key prefix), once per record across a SIGKILL', async () => {
    await produceWithKcat(
      broker.bootstrap,
      SOURCE,
      workload({ records: 6_000, keys: 2_500, tombstones: 0.1, seed: 3 }),
    );
    const first = await bridge();
    // Kill it in the middle of the work, with more records on the way.
    const more = produceWithKafkajs(
      broker.bootstrap,
      SOURCE,
      workload({ records: 2_000, keys: 2_500, tombstones: 0.1, seed: 4 }),
    );
    await eventually(
      async () => {
        const marks = await Promise.all(
          [0, 1, 2, 3].map((p) => client.get(`${PREFIX}__sluice_bridge:offset:${SOURCE}:${p}`)),
        );
        return marks.reduce((n, m) => n + (m === null ? 0 : Number(m) + 1), 0) >= 2_000;
      },
      60_000,
      () => 'no progress to 2,000 records',
    );
    await first.kill();
    await more;
    const second = await bridge();
    await second.waitReady(60_000);

    const source = await readTopicWithKcat(broker.bootstrap, SOURCE);
    const expected = expectedOf(source);
    let actual = new Map<string, string>();
    await eventually(
      async () => {
        actual = await clusterState(expected);
        return diffStates(expected, actual).startsWith('missing 0 [], wrong 0 [], extra 0 []');
      },
      30_000,
      () => `the cluster did not converge: ${diffStates(expected, actual)}`,
    );

    // The nodes' topic holds every write the cluster took, each in the partition of its slot: a record
    // of the source applied twice would be there twice.
    const writes = (await readTopicWithKcat(broker.bootstrap, NODES_TOPIC)).filter(
      // Neither the bridge's offset keys nor the nodes' own handoff records.
      (r) =>
        r.key !== null &&
        !r.key.startsWith(`${PREFIX}__sluice_bridge:`) &&
        !r.key.startsWith('__sluice_bridge:') &&
        r.value !== null,
    );
    const produced = new Set(
      source.filter((r) => r.value !== null).map((r) => `${PREFIX}${r.key}=${r.value}`),
    );
    const seen = new Map<string, number>();
    for (const w of writes) {
      const pair = `${w.key}=${w.value}`;
      expect(produced.has(pair), `${pair} was never produced`).toBe(true);
      seen.set(pair, (seen.get(pair) ?? 0) + 1);
    }
    expect(seen.size).toBeGreaterThan(2_000);
    expect([...seen].filter(([, n]) => n > 1).map(([pair]) => pair)).toEqual([]);
    expect(second.logs().filter((l) => l.level === 'error')).toEqual([]);
  }, 115_000);
});
