/**
 * SIGKILL of a log-mode node under write load: every write it acknowledged is in the topic, on the other
 * node at once and on the killed node once it has restarted from the offsets in its LMDB; a MULTI/EXEC
 * within one partition is never half there; and a fresh node joining a topic of 100,000 keys answers
 * LOADING or the right value, never nil.
 */
import { freePort, produceWithKcat, type RunningServer, readTopicWithKcat } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOf } from '../../src/log/partitioner.js';
import { client, diff, eventually, LogCluster, readState, waitApplied, waitCaughtUp } from './nodes.js';

const PARTITIONS = 4;

/** Keys that share one partition (for transactions), found with the partitioner Kafka uses. */
function samePartition(prefix: string, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    const key = `${prefix}${i}`;
    if (partitionOf(Buffer.from(key), PARTITIONS) === 0) keys.push(key);
  }
  return keys;
}

describe('log mode: SIGKILL under write load', () => {
  let cluster: LogCluster;

  beforeAll(async () => {
    cluster = await LogCluster.start('crash', PARTITIONS);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('loses no acknowledged write and leaves no transaction half applied, on either node', async () => {
    const victim = await cluster.node();
    const survivor = await cluster.node();
    const group = samePartition('tx-', 3);
    const acknowledged = new Map<string, string>();
    let transactions = 0;
    let stop = false;

    // Writers on the victim: pipelined SETs and MSETs, and transactions over three keys of one partition.
    const load = async (id: number): Promise<void> => {
      const r = client(victim.port);
      r.on('error', () => {});
      try {
        for (let round = 0; !stop; round++) {
          const p = r.pipeline();
          const keys: [string, string][] = [];
          for (let i = 0; i < 20; i++) keys.push([`w${id}-${(round * 20 + i) % 500}`, `${id}-${round}-${i}`]);
          for (const [k, v] of keys.slice(0, 10)) p.set(k, v);
          p.mset(...keys.slice(10).flat());
          const replies = await p.exec();
          if (replies === null) return;
          replies.forEach(([err], j) => {
            if (err !== null) return;
            if (j < 10) acknowledged.set(...(keys[j] as [string, string]));
            else for (const kv of keys.slice(10)) acknowledged.set(...kv);
          });
          const value = `tx-${id}-${round}`;
          const tx = r.multi();
          for (const k of group) tx.set(k, value);
          const result = await tx.exec();
          if (result !== null && result.every(([err]) => err === null)) transactions++;
        }
      } catch {
        // The node was killed: the writes in flight are not acknowledged.
      } finally {
        r.disconnect();
      }
    };
    // Brokers 30 ms away: every write waits that long for its acknowledgement, so that a kill lands
    // while many writes are on their way (and would be lost had they been acknowledged early).
    await cluster.broker.command('rtt -1 30');
    const writers = [load(1), load(2), load(3)];
    await eventually(async () => acknowledged.size > 600 && transactions > 10, 30_000, 'no write load');
    await victim.kill();
    stop = true;
    await Promise.all(writers);
    await cluster.broker.command('rtt -1 0');
    const snapshot = new Map(acknowledged);

    // Every acknowledged write is in the topic, as the latest record of its key (each key has one writer).
    const records = await readTopicWithKcat(cluster.broker.bootstrap, cluster.topic);
    const latest = new Map<string, string | null>();
    const history = new Map<string, Set<string | null>>();
    const ends = new Map<number, number>();
    for (const r of records) {
      if (r.key !== null) {
        latest.set(r.key, r.value);
        history.set(r.key, (history.get(r.key) ?? new Set()).add(r.value));
      }
      ends.set(r.partition, Math.max(ends.get(r.partition) ?? -1, r.offset));
    }
    const missing = [...snapshot].filter(([k, v]) => history.get(k)?.has(v) !== true);
    expect(missing).toEqual([]);

    // The survivor holds the topic's state; the victim, restarted on its directory, converges to it.
    await waitApplied(survivor.port, ends);
    const restarted = await cluster.node({ dir: victim.dir });
    await waitApplied(restarted.port, ends);
    const expected = await readState(survivor.port);
    for (const [key, value] of snapshot) {
      // A later write of the key may have reached the topic without its acknowledgement: the topic wins.
      expect(expected.get(key)?.value, key).toBe(latest.get(key));
      if (latest.get(key) === value) expect(expected.get(key)?.value).toBe(value);
    }
    expect(diff(expected, await readState(restarted.port))).toBe('');
    for (const node of [survivor, restarted]) {
      const r = client(node.port);
      try {
        const values = await r.mget(...group);
        expect(new Set(values).size, `${node.port}: ${JSON.stringify(values)}`).toBe(1);
      } finally {
        r.disconnect();
      }
    }
  }, 180_000);

  it('a fresh node joining a topic of 100,000 keys answers LOADING or the right value, never nil', async () => {
    const topic = 'big';
    await cluster.broker.command(`topic ${topic} ${PARTITIONS}`);
    const records = Array.from({ length: 100_000 }, (_, i) => ({ key: `big-${i}`, value: `value-${i}` }));
    await produceWithKcat(cluster.broker.bootstrap, topic, records);
    const httpPort = await freePort();
    const fresh: RunningServer = await cluster.node({
      caughtUp: false,
      args: ['--kafka-topic', topic, '--http-port', String(httpPort)],
    });
    const readyz = async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await readyz()).toEqual({ status: 503, body: { ready: false, reason: 'loading' } });
    // ioredis with its ready check waits by itself while INFO says loading:1, then gets the value.
    const patient = client(fresh.port);
    const patientReply = patient.get('big-77');
    // Without the ready check, a client sees LOADING until the node has caught up.
    const r = new Redis(fresh.port, '127.0.0.1', { enableReadyCheck: false, maxRetriesPerRequest: 0 });
    let loading = 0;
    let answered = 0;
    try {
      for (let round = 0; ; round++) {
        const keys = Array.from({ length: 50 }, (_, i) => `big-${(round * 7919 + i * 1_999) % 100_000}`);
        const reply = await r.mget(...keys).catch((err: Error) => err);
        if (reply instanceof Error) {
          expect(reply.message).toBe('LOADING Sluice is loading the dataset in memory');
          loading++;
        } else {
          expect(reply).toEqual(keys.map((k) => `value-${k.slice(4)}`));
          answered++;
          if (answered >= 20) break;
        }
      }
    } finally {
      r.disconnect();
    }
    expect(loading).toBeGreaterThan(0);
    expect(await patientReply).toBe('value-77');
    patient.disconnect();
    await waitCaughtUp(fresh.port);
    expect(await readyz()).toEqual({ status: 200, body: { ready: true } });
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metrics).toMatch(/^sluice_kafka_loading 0$/m);
    expect(metrics).toMatch(/^sluice_kafka_lag_records\{topic="big",partition="0"\} 0$/m);
    expect(metrics).toMatch(/^sluice_kafka_applied_offset\{topic="big",partition="3"\} \d+$/m);
    expect((await readState(fresh.port)).size).toBe(100_000);
  }, 180_000);
});
