/**
 * SIGKILL of the bridge, of the target server, or of both, while records stream in: after restarting,
 * the target converges to the topic's latest value per key. redis-server runs without persistence, so
 * killing it loses everything and the bridge must notice and apply the topic again; sluice-server keeps
 * its LMDB data across a SIGKILL.
 */

import type { RunningServer } from '@sluice/testkit';
import { type MockBroker, startMockBroker } from '@sluice/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge } from '../helpers/bridge-process.js';
import {
  expectedState,
  produceWithKafkajs,
  produceWithKcat,
  random,
  type TestRecord,
  workload,
} from '../helpers/produce.js';
import { readOffsets, startTarget, type TargetKind, testTargets, waitForState } from '../helpers/targets.js';

/** Small transactions and fetches, so that a kill lands in the middle of the work. */
const SLOW = ['--max-batch-records', '300', '--fetch-max-bytes', '16384', '--concurrency', '2'];

describe.each(testTargets())('crashes with %s as the target', (kind: TargetKind) => {
  let broker: MockBroker;
  let target: RunningServer;
  const bridges: BridgeProcess[] = [];
  const produced: TestRecord[][] = [];

  beforeAll(async () => {
    broker = await startMockBroker({
      topics: ['bridge-kill', 'server-kill', 'both-kill', 'term'].map((name) => ({ name, partitions: 4 })),
    });
  });

  afterEach(async () => {
    for (const bridge of bridges.splice(0)) await bridge.kill();
    await target?.dispose();
    produced.length = 0;
  });

  afterAll(async () => {
    await broker?.stop();
  });

  async function bridge(topic: string, args: string[] = []): Promise<BridgeProcess> {
    const started = await startBridge({
      brokers: broker.bootstrap,
      topic,
      target: target.url,
      args: [...SLOW, ...args],
    });
    bridges.push(started);
    return started;
  }

  /** Produce `records` with kcat and remember them for the expected state. */
  async function produce(
    topic: string,
    records: TestRecord[],
    client: 'kcat' | 'kafkajs' = 'kcat',
  ): Promise<void> {
    produced.push(records);
    if (client === 'kcat') await produceWithKcat(broker.bootstrap, topic, records);
    else await produceWithKafkajs(broker.bootstrap, topic, records);
  }

  /** Resolves once the target's stored offsets add up to at least `records` records. */
  async function progress(topic: string, records: number): Promise<void> {
    await eventually(
      async () => {
        const offsets = await readOffsets(target.port, topic);
        return [...offsets.values()].reduce((sum, o) => sum + Number(o) + 1, 0) >= records;
      },
      60_000,
      () => `no progress to ${records} records`,
    );
  }

  async function converges(timeoutMs = 90_000): Promise<void> {
    await waitForState(target.port, expectedState(...produced), { timeoutMs });
  }

  it('converges after the bridge is SIGKILLed again and again while records arrive', async () => {
    target = await startTarget(kind);
    const topic = 'bridge-kill';
    await produce(topic, workload({ records: 20_000, keys: 3_000, tombstones: 0.15, seed: 21 }));
    const next = random(7);
    for (let round = 0; round < 3; round++) {
      const b = await bridge(topic);
      // Kill it somewhere in the middle of applying the backlog, with more records coming in.
      const more = produce(
        topic,
        workload({ records: 3_000, keys: 3_000, tombstones: 0.2, seed: 30 + round }),
        'kafkajs',
      );
      await progress(topic, 2_000 + Math.floor(next() * 4_000) + round * 8_000);
      await b.kill();
      await more;
    }
    const last = await bridge(topic);
    await last.waitReady(90_000);
    await converges();
  });

  it('converges after the target server is SIGKILLed while the bridge runs', async () => {
    target = await startTarget(kind);
    const { port, dir } = target;
    const topic = 'server-kill';
    await produce(topic, workload({ records: 20_000, keys: 3_000, tombstones: 0.15, seed: 41 }));
    const b = await bridge(topic);
    await progress(topic, 5_000);
    await target.kill();
    // While it is down: readiness drops and the bridge keeps running.
    await b.waitReady(30_000, 503);
    await produce(topic, workload({ records: 3_000, keys: 3_000, tombstones: 0.2, seed: 42 }), 'kafkajs');
    await new Promise((r) => setTimeout(r, 1_000));
    target = await startTarget(kind, { port, dir });
    await b.waitReady(90_000);
    await converges();
    expect(await b.metric('sluice_bridge_errors_total', { component: 'target' })).toBeGreaterThan(0);
    if (kind === 'redis') {
      // It came back empty: the bridge saw its offsets go back and read the partitions again.
      expect(await b.metric('sluice_bridge_rewinds_total')).toBeGreaterThan(0);
    }
    expect(b.logs().filter((l) => l.level === 'error')).toEqual([]);
  });

  it('converges after the bridge and the target server are SIGKILLed together', async () => {
    target = await startTarget(kind);
    const { port, dir } = target;
    const topic = 'both-kill';
    await produce(topic, workload({ records: 20_000, keys: 3_000, tombstones: 0.15, seed: 51 }));
    const b = await bridge(topic);
    await progress(topic, 6_000);
    await Promise.all([b.kill(), target.kill()]);
    await produce(topic, workload({ records: 2_000, keys: 3_000, tombstones: 0.2, seed: 52 }));
    target = await startTarget(kind, { port, dir });
    const again = await bridge(topic);
    await again.waitReady(90_000);
    await converges();
  });

  it('finishes the batch in flight on SIGTERM, exits 0, and resumes where it stopped', async () => {
    target = await startTarget(kind);
    const topic = 'term';
    // kafkajs sends 500 records per request: many small batches, so the stop lands between two of them.
    await produce(topic, workload({ records: 20_000, keys: 3_000, tombstones: 0.15, seed: 61 }), 'kafkajs');
    // Every broker response takes 100 ms, so that reading the topic takes seconds and the stop lands
    // in the middle of it.
    await broker.command('rtt -1 100');
    try {
      const b = await bridge(topic);
      await progress(topic, 4_000);
      expect(await b.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await broker.command('rtt -1 0');
    }
    const stoppedAt = await readOffsets(target.port, topic);
    const stored = [...stoppedAt.values()].reduce((sum, o) => sum + Number(o) + 1, 0);
    expect(stored).toBeLessThan(20_000);
    const again = await bridge(topic);
    await again.waitReady(90_000);
    await converges();
    // Nothing was applied twice: the second run applied exactly what the first had not.
    expect(await again.metric('sluice_bridge_records_applied_total')).toBe(20_000 - stored);
  });
});
