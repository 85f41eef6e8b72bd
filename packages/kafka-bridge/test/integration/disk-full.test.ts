/**
 * A target that refuses writes: sluice-server on a full disk answers MISCONF. The bridge retries with
 * backoff, skips nothing, stays up, and catches up once the target has room again. The target's data
 * directory is on a small tmpfs (the test mounts one: it runs as root).
 */

import {
  type MockBroker,
  mountSmallDisk,
  type RunningServer,
  type SmallDisk,
  startMockBroker,
  startSluice,
} from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge } from '../helpers/bridge-process.js';
import { expectedState, produceWithKcat, workload } from '../helpers/produce.js';
import { readState, waitForState } from '../helpers/targets.js';

const MB = 1024 * 1024;

describe('a target whose disk is full', () => {
  let broker: MockBroker;
  let disk: SmallDisk;
  let target: RunningServer;
  let bridge: BridgeProcess;
  const topic = 'diskfull';

  beforeAll(async () => {
    broker = await startMockBroker({ brokers: 1, topics: [{ name: topic, partitions: 3 }] });
    disk = await mountSmallDisk(6 * MB);
    target = await startSluice({ dir: `${disk.dir}/data` });
  });

  afterAll(async () => {
    await bridge?.kill();
    await target?.dispose();
    await disk?.dispose();
    await broker?.stop();
  });

  it('retries while the target refuses writes and applies every record once it has room', async () => {
    // 10 MB of 4 KiB values over 2,500 keys: more than the 6 MB disk holds (and under the 5 MB per
    // partition that the mock broker keeps).
    const records = workload({ records: 2_500, keys: 2_500, tombstones: 0, seed: 91, valueBytes: 4096 });
    await produceWithKcat(broker.bootstrap, topic, records);
    bridge = await startBridge({ brokers: broker.bootstrap, topic, target: target.url });

    // The target fills up and refuses; the bridge says it is retrying, and keeps running.
    await eventually(
      async () => target.output().includes('# Writes refused on'),
      60_000,
      () => `the target never refused writes:\n${target.output()}`,
    );
    await eventually(
      async () =>
        bridge.logs().some((l) => l.msg === 'apply failed; retrying' && String(l.error).includes('MISCONF')),
      30_000,
      () => `the bridge never retried a refused write:\n${bridge.output()}`,
    );
    const partial = await readState(target.port);
    expect(partial.size).toBeLessThan(records.length);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await Promise.race([bridge.exited.then(() => 'exited'), Promise.resolve('running')])).toBe(
      'running',
    );

    // Room again: every record is applied, none skipped.
    disk.resize(32 * MB);
    await waitForState(target.port, expectedState(records), { timeoutMs: 60_000 });
    expect(await bridge.metric('sluice_bridge_records_skipped_total')).toBe(0);
    expect(await bridge.metric('sluice_bridge_retries_total')).toBeGreaterThan(0);
  }, 180_000);
});
