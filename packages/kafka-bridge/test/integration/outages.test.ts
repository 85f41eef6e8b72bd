/**
 * Outages of the brokers and of the target: the bridge keeps running, retries with backoff, reports
 * not ready while it cannot be sure it is caught up, and catches up once they are back.
 */

import type { RunningServer } from '@sluice/testkit';
import { type MockBroker, startMockBroker } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge, tail } from '../helpers/bridge-process.js';
import {
  expectedState,
  produceWithKafkajs,
  produceWithKcat,
  type TestRecord,
  workload,
} from '../helpers/produce.js';
import { startTarget, type TargetKind, testTargets, waitForState } from '../helpers/targets.js';

/** Kafka protocol numbers for fault injection. */
const FETCH = 1;
const NOT_LEADER_FOR_PARTITION = 6;
const REQUEST_TIMED_OUT = 7;

describe.each(testTargets())('outages with %s as the target', (kind: TargetKind) => {
  let broker: MockBroker;
  let target: RunningServer;
  let bridge: BridgeProcess;
  const produced: TestRecord[][] = [];
  const topic = 'outages';

  beforeAll(async () => {
    broker = await startMockBroker({ brokers: 3, topics: [{ name: topic, partitions: 4 }] });
    target = await startTarget(kind);
    const first = workload({ records: 10_000, keys: 2_000, tombstones: 0.1, seed: 71 });
    produced.push(first);
    await produceWithKcat(broker.bootstrap, topic, first);
    bridge = await startBridge({ brokers: broker.bootstrap, topic, target: target.url });
    await bridge.waitReady(60_000);
  });

  afterAll(async () => {
    await bridge?.kill();
    await target?.dispose();
    await broker?.stop();
  });

  async function converges(timeoutMs = 60_000): Promise<void> {
    await waitForState(target.port, expectedState(...produced), { timeoutMs });
  }

  it('rides out the brokers being down: not ready meanwhile, caught up after', async () => {
    await converges();
    await broker.down();
    let reasons: string[] = [];
    await eventually(
      async () => {
        const readyz = await bridge.get('/readyz');
        reasons = (JSON.parse(readyz.body) as { reasons: string[] }).reasons;
        return readyz.status === 503 && reasons.some((r) => r.startsWith('kafka'));
      },
      30_000,
      () => `readiness did not drop for kafka: ${reasons.join('; ')}`,
    );
    // Liveness stays fine: an outage is not a reason to restart the bridge.
    expect((await bridge.get('/healthz')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.up();
    const more = workload({ records: 5_000, keys: 2_000, tombstones: 0.2, seed: 72 });
    produced.push(more);
    await produceWithKafkajs(broker.bootstrap, topic, more);
    await converges();
    await bridge.waitReady(60_000);
    expect(await Promise.race([bridge.exited.then(() => 'exited'), Promise.resolve('running')])).toBe(
      'running',
    );
    expect(await bridge.metric('sluice_bridge_errors_total', { component: 'kafka' })).toBeGreaterThan(0);
  });

  it('rides out failing fetches', async () => {
    // Timeouts make kafkajs restart its fetchers; "not the leader" makes it refresh metadata and rejoin.
    await broker.command(`fail ${FETCH} ${REQUEST_TIMED_OUT} 10`);
    await broker.command(`fail ${FETCH} ${NOT_LEADER_FOR_PARTITION} 2`);
    const more = workload({ records: 5_000, keys: 2_000, tombstones: 0.2, seed: 73 });
    produced.push(more);
    await produceWithKcat(broker.bootstrap, topic, more);
    await converges(90_000);
    await bridge.waitReady(60_000);
  });

  it('rides out the target being down: not ready meanwhile, caught up after', async () => {
    const { port, dir } = target;
    await target.stop();
    let reasons: string[] = [];
    await eventually(
      async () => {
        const readyz = await bridge.get('/readyz');
        reasons = (JSON.parse(readyz.body) as { reasons: string[] }).reasons;
        return readyz.status === 503 && reasons.some((r) => r.startsWith('target'));
      },
      30_000,
      () => `readiness did not drop for the target: ${reasons.join('; ')}`,
    );
    const health = JSON.parse((await bridge.get('/healthz')).body) as { target: string };
    expect(health.target).toBe('disconnected');
    const more = workload({ records: 5_000, keys: 2_000, tombstones: 0.2, seed: 74 });
    produced.push(more);
    await produceWithKcat(broker.bootstrap, topic, more);
    await new Promise((r) => setTimeout(r, 3_000));
    target = await startTarget(kind, { port, dir });
    await converges(90_000);
    await bridge.waitReady(60_000);
    expect(await bridge.metric('sluice_bridge_errors_total', { component: 'target' })).toBeGreaterThan(0);
    expect(await bridge.metric('sluice_bridge_retries_total')).toBeGreaterThan(0);
    // Retries back off: a few seconds down means a handful of attempts per operation, not thousands.
    expect(await bridge.metric('sluice_bridge_retries_total')).toBeLessThan(200);
  });

  it('exits 0 promptly on SIGTERM while both the brokers and the target are down', async () => {
    const more = workload({ records: 3_000, keys: 2_000, tombstones: 0.2, seed: 75 });
    await produceWithKcat(broker.bootstrap, topic, more);
    await target.kill();
    await broker.down();
    await bridge.waitReady(30_000, 503);
    const started = Date.now();
    const status = await bridge.stop('SIGTERM');
    expect(status, tail(bridge.output(), 120)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(15_000);
    await broker.up();
  });
});
