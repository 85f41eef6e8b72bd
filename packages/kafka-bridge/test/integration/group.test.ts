/**
 * Consumer group behaviour: bridges sharing a group split the partitions and rebalance when one dies;
 * bridges that share a group but write to different targets never report ready.
 */

import type { RunningServer } from '@sluice/testkit';
import { type MockBroker, startMockBroker } from '@sluice/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge } from '../helpers/bridge-process.js';
import {
  expectedState,
  produceWithKafkajs,
  produceWithKcat,
  type TestRecord,
  workload,
} from '../helpers/produce.js';
import { startTarget, type TargetKind, testTargets, waitForState } from '../helpers/targets.js';

describe.each(testTargets())('consumer groups with %s as the target', (kind: TargetKind) => {
  let broker: MockBroker;
  let target: RunningServer;
  const bridges: BridgeProcess[] = [];

  beforeAll(async () => {
    broker = await startMockBroker({
      topics: [
        { name: 'shared', partitions: 4 },
        { name: 'split', partitions: 4 },
      ],
    });
    target = await startTarget(kind);
  });

  afterEach(async () => {
    for (const bridge of bridges.splice(0)) await bridge.kill();
  });

  afterAll(async () => {
    await target?.dispose();
    await broker?.stop();
  });

  async function bridge(topic: string, args: string[], url = target.url): Promise<BridgeProcess> {
    const started = await startBridge({ brokers: broker.bootstrap, topic, target: url, args });
    bridges.push(started);
    return started;
  }

  async function converges(records: TestRecord[][], db = 0): Promise<void> {
    await waitForState(target.port, expectedState(...records), { db, timeoutMs: 90_000 });
  }

  /** The partitions of the last assignment a bridge logged. */
  function assigned(b: BridgeProcess): number[] {
    const lines = b.logs().filter((l) => l.msg === 'partitions assigned');
    return (lines[lines.length - 1]?.partitions as number[] | undefined) ?? [];
  }

  it('shares the partitions between the members of a group, and hands them over when one is killed', async () => {
    const produced = [workload({ records: 8_000, keys: 2_000, tombstones: 0.1, seed: 81 })];
    await produceWithKcat(broker.bootstrap, 'shared', produced[0] ?? []);
    const group = ['--group-id', 'shared-group'];
    const a = await bridge('shared', group);
    await a.waitForLog((l) => l.msg === 'partitions assigned');
    const b = await bridge('shared', group);
    await eventually(
      async () => assigned(a).length === 2 && assigned(b).length === 2,
      60_000,
      () => `no split: a ${JSON.stringify(assigned(a))}, b ${JSON.stringify(assigned(b))}`,
    );
    expect([...assigned(a), ...assigned(b)].sort()).toEqual([0, 1, 2, 3]);
    const more = workload({ records: 4_000, keys: 2_000, tombstones: 0.2, seed: 82 });
    produced.push(more);
    await produceWithKafkajs(broker.bootstrap, 'shared', more);
    await converges(produced);
    // Each reports ready: readiness looks at every partition's offset in the target, whoever wrote it.
    await Promise.all([a.waitReady(30_000), b.waitReady(30_000)]);

    await a.kill();
    await eventually(
      async () => assigned(b).length === 4,
      60_000,
      () => `b did not take over: ${JSON.stringify(assigned(b))}`,
    );
    const after = workload({ records: 4_000, keys: 2_000, tombstones: 0.2, seed: 83 });
    produced.push(after);
    await produceWithKcat(broker.bootstrap, 'shared', after);
    await converges(produced);
    await b.waitReady(30_000);
    expect(await b.metric('sluice_bridge_assignments_total')).toBeGreaterThanOrEqual(2);
  });

  it('never reports ready when a group is shared by bridges writing to different targets', async () => {
    await produceWithKcat(
      broker.bootstrap,
      'split',
      workload({ records: 2_000, keys: 500, tombstones: 0, seed: 91 }),
    );
    const group = ['--group-id', 'misconfigured'];
    const one = await bridge('split', group, `${target.url}/1`);
    await one.waitForLog((l) => l.msg === 'partitions assigned');
    const two = await bridge('split', group, `${target.url}/2`);
    await eventually(
      async () => assigned(one).length === 2 && assigned(two).length === 2,
      60_000,
      () => 'no split',
    );
    // From now on each target only gets half the partitions: neither bridge may claim to be caught up.
    await produceWithKcat(
      broker.bootstrap,
      'split',
      workload({ records: 2_000, keys: 500, tombstones: 0, seed: 92 }),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    for (const b of [one, two]) {
      const readyz = await b.get('/readyz');
      expect(readyz.status).toBe(503);
      expect(readyz.body).toMatch(/records behind/);
      expect(b.logs().some((l) => l.msg.includes('needs its own --group-id'))).toBe(true);
    }
  });
});
