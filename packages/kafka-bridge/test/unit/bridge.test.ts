import { afterEach, describe, expect, it } from 'vitest';
import { Bridge, type BridgeOptions } from '../../src/bridge.js';
import { createLogger, type Logger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { FakeSource, MemoryTarget, until } from '../helpers/fakes.js';

interface Harness {
  bridge: Bridge;
  source: FakeSource;
  target: MemoryTarget;
  metrics: Metrics;
  logs: Record<string, unknown>[];
}

const running: Bridge[] = [];

afterEach(async () => {
  for (const bridge of running.splice(0)) await bridge.stop();
});

function harness(partitions = 2, options: Partial<BridgeOptions> = {}): Harness {
  const source = new FakeSource(partitions);
  const target = new MemoryTarget('t');
  const metrics = new Metrics({ defaultMetrics: false });
  const logs: Record<string, unknown>[] = [];
  const logger: Logger = createLogger('debug', (line) =>
    logs.push(JSON.parse(line) as Record<string, unknown>),
  );
  const bridge = new Bridge({
    topic: 't',
    keyPrefix: Buffer.alloc(0),
    maxBatchRecords: 1_000,
    retryInitialMs: 5,
    retryMaxMs: 20,
    commitIntervalMs: 20,
    lagIntervalMs: 10,
    readyMaxLagRecords: 0,
    readyMaxLagSeconds: 5,
    source,
    target,
    logger,
    metrics,
    ...options,
  });
  running.push(bridge);
  return { bridge, source, target, metrics, logs };
}

async function metric(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (found?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/** Records the target must hold: last value per key, tombstones delete. */
function expected(...records: { key: string | null; value: string | null }[][]): Map<string, string> {
  const state = new Map<string, string>();
  for (const list of records) {
    for (const { key, value } of list) {
      if (key === null) continue;
      if (value === null) state.delete(key);
      else state.set(key, value);
    }
  }
  return state;
}

async function caughtUp(h: Harness, partitions: number[]): Promise<void> {
  await until(
    () => partitions.every((p) => (h.target.stored(p) ?? -1n) + 1n >= h.source.high(p)),
    5_000,
    'the target to catch up',
  );
}

describe('Bridge', () => {
  it('applies each partition in order, last record per key winning, tombstones deleting', async () => {
    const h = harness(2);
    const p0 = [
      { key: 'a', value: '1' },
      { key: 'b', value: '1' },
      { key: 'a', value: '2' },
      { key: 'b', value: null },
      { key: 'c', value: '1' },
      { key: 'b', value: '3' },
      { key: 'c', value: null },
    ];
    const p1 = [
      { key: 'x', value: '1' },
      { key: 'x', value: null },
    ];
    h.source.produce(0, p0);
    h.source.produce(1, p1);
    h.source.assign([0, 1]);
    h.bridge.start();
    await caughtUp(h, [0, 1]);
    expect(h.target.state()).toEqual(expected(p0, p1));
    expect(h.target.stored(0)).toBe(6n);
    expect(h.target.stored(1)).toBe(1n);
  });

  it('never reorders a tombstone before an earlier write, whatever the batch boundaries', async () => {
    for (const maxBatchRecords of [1, 2, 3, 1000]) {
      const h = harness(1, { maxBatchRecords });
      h.source.batchSize = 4;
      const records = [
        { key: 'k', value: 'v1' },
        { key: 'k', value: null },
        { key: 'k', value: 'v2' },
        { key: 'j', value: 'v1' },
        { key: 'k', value: null },
        { key: 'j', value: null },
        { key: 'j', value: 'v2' },
      ];
      h.source.produce(0, records);
      h.source.assign([0]);
      h.bridge.start();
      await caughtUp(h, [0]);
      expect(h.target.state()).toEqual(new Map([['j', 'v2']]));
      await h.bridge.stop();
    }
  });

  it('applies at most maxBatchRecords records per transaction, each with its offset', async () => {
    const h = harness(1, { maxBatchRecords: 30 });
    h.source.batchSize = 100;
    h.source.produce(
      0,
      Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
    );
    h.source.assign([0]);
    h.bridge.start();
    await caughtUp(h, [0]);
    expect(h.target.applies.map((a) => a.offset)).toEqual([29n, 59n, 89n, 99n]);
    expect(h.target.applies.map((a) => a.sets)).toEqual([30, 30, 30, 10]);
  });

  it('resumes after the stored offset and ignores the position the Kafka group has', async () => {
    const h = harness(1);
    h.source.produce(
      0,
      Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 10}`, value: `v${i}` })),
    );
    // The target has everything up to offset 19; the group believes 40 (it committed more than the
    // target kept, say after the target was restored from a backup).
    h.target.data.set('__sluice_bridge:offset:t:0', '19');
    h.source.assign([0], new Map([[0, 40n]]));
    h.bridge.start();
    await caughtUp(h, [0]);
    expect(h.source.seeks).toContainEqual({ partition: 0, offset: 20n });
    expect(h.target.applies[0]?.offset).toBe(49n);
    // Records 20…49 were applied: the values are those of the last ten records.
    expect(h.target.state()).toEqual(new Map(Array.from({ length: 10 }, (_, i) => [`k${i}`, `v${40 + i}`])));
  });

  it('applies everything when the group is at the partitions’ end but the target is empty, with no new records', async () => {
    const h = harness(2);
    const p0 = h.source.produce(0, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    h.source.produce(1, [{ key: 'c', value: '3' }]);
    // An old group whose committed offsets are at the end, and a new, empty target.
    h.source.assign(
      [0, 1],
      new Map([
        [0, (p0[1] ?? 0n) + 1n],
        [1, 1n],
      ]),
    );
    h.bridge.start();
    await caughtUp(h, [0, 1]);
    expect(h.target.state()).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ]),
    );
  });

  it('skips records the target already has when another writer got ahead', async () => {
    const h = harness(1);
    h.source.produce(
      0,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'new' })),
    );
    h.source.assign([0]);
    // Position first (stored offset: none), then let "someone else" apply up to offset 5.
    const original = h.target.apply.bind(h.target);
    let first = true;
    h.target.apply = async (partition, plan, offset, expectedOffset) => {
      if (first) {
        first = false;
        h.target.data.set('__sluice_bridge:offset:t:0', '5');
      }
      return original(partition, plan, offset, expectedOffset);
    };
    h.bridge.start();
    await caughtUp(h, [0]);
    // Only records 6…9 were written by the bridge.
    expect(h.target.applies).toEqual([{ partition: 0, offset: 9n, sets: 4, dels: 0 }]);
    expect(
      await metric(h.metrics, 'sluice_bridge_records_skipped_total', { reason: 'already_applied' }),
    ).toBe(6);
  });

  it('reads a partition again when the target lost data, even with no new records', async () => {
    const h = harness(2);
    const records = [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ];
    h.source.produce(0, records);
    h.source.produce(1, [{ key: 'c', value: '3' }]);
    h.source.assign([0, 1]);
    h.bridge.start();
    await caughtUp(h, [0, 1]);
    // The target restarts empty (no persistence).
    h.target.data.clear();
    await caughtUp(h, [0, 1]);
    expect(h.target.state()).toEqual(expected(records, [{ key: 'c', value: '3' }]));
    expect(await metric(h.metrics, 'sluice_bridge_rewinds_total')).toBeGreaterThanOrEqual(2);
  });

  it('retries while the target is down, reports not ready, and catches up afterwards', async () => {
    const h = harness(1);
    h.source.produce(0, [{ key: 'a', value: '1' }]);
    h.source.assign([0]);
    h.bridge.start();
    await caughtUp(h, [0]);
    await until(() => h.bridge.readiness().ready, 5_000, 'ready');
    h.target.down = true;
    h.source.produce(0, [{ key: 'a', value: '2' }]);
    await until(() => !h.bridge.readiness().ready, 5_000, 'not ready');
    expect(h.bridge.readiness().reasons.join(' ')).toMatch(/target: failing/);
    await new Promise((r) => setTimeout(r, 100));
    expect(await metric(h.metrics, 'sluice_bridge_retries_total')).toBeGreaterThan(0);
    h.target.down = false;
    await caughtUp(h, [0]);
    expect(h.target.state()).toEqual(new Map([['a', '2']]));
    await until(() => h.bridge.readiness().ready, 5_000, 'ready again');
  });

  it('reports not ready while the brokers do not answer', async () => {
    const h = harness(1, { lagIntervalMs: 10 });
    h.source.assign([0]);
    h.bridge.start();
    await until(() => h.bridge.readiness().ready, 5_000, 'ready');
    h.source.offsetsDown = true;
    await until(() => !h.bridge.readiness().ready, 5_000, 'not ready');
    expect(h.bridge.readiness().reasons.join(' ')).toMatch(/kafka: failing/);
    h.source.offsetsDown = false;
    await until(() => h.bridge.readiness().ready, 5_000, 'ready again');
  });

  it('picks up partitions added to the topic, from their beginning', async () => {
    const h = harness(2);
    h.source.produce(0, [{ key: 'a', value: '1' }]);
    h.source.assign([0, 1]);
    h.bridge.start();
    await caughtUp(h, [0]);
    const added = h.source.addPartition();
    h.source.produce(added, [
      { key: 'n', value: '1' },
      { key: 'n', value: '2' },
    ]);
    // Until the group hands the new partition over, it is lagging: not ready.
    await until(
      () => h.bridge.readiness().reasons.some((r) => r.startsWith(`partition ${added}`)),
      5_000,
      'lag seen',
    );
    h.source.assign([0, 1, added]);
    await caughtUp(h, [0, 1, added]);
    expect(h.target.state()).toEqual(
      new Map([
        ['a', '1'],
        ['n', '2'],
      ]),
    );
    await until(() => h.bridge.readiness().ready, 5_000, 'ready');
    expect(h.bridge.readiness().partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
  });

  it('skips records without a key, counts them, and logs once per partition and reason', async () => {
    const h = harness(1);
    h.source.batchSize = 2;
    h.source.produce(0, [
      { key: null, value: 'x' },
      { key: 'a', value: '1' },
      { key: null, value: 'y' },
      { key: '__sluice_bridge:offset:t:0', value: '1000' },
      { key: null, value: 'z' },
    ]);
    h.source.assign([0]);
    h.bridge.start();
    await caughtUp(h, [0]);
    expect(h.target.state()).toEqual(new Map([['a', '1']]));
    expect(h.target.stored(0)).toBe(4n);
    expect(await metric(h.metrics, 'sluice_bridge_records_skipped_total', { reason: 'no_key' })).toBe(3);
    expect(await metric(h.metrics, 'sluice_bridge_records_skipped_total', { reason: 'reserved_key' })).toBe(
      1,
    );
    const skipLogs = h.logs.filter((l) => String(l.msg).startsWith('skipping records'));
    expect(skipLogs.map((l) => [l.partition, l.reason, l.offset])).toEqual([
      [0, 'no_key', '0'],
      [0, 'reserved_key', '3'],
    ]);
  });

  it('commits applied offsets to the group for lag tools, as the next offset to read', async () => {
    const h = harness(1);
    h.source.produce(0, [
      { key: 'a', value: '1' },
      { key: 'b', value: '1' },
    ]);
    h.source.assign([0]);
    h.bridge.start();
    await caughtUp(h, [0]);
    await until(() => h.source.commits.flat().some((c) => c.offset === 2n), 5_000, 'a commit');
  });

  it('stops without applying what is queued beyond the batch in flight, and resumes from the target', async () => {
    const h = harness(1, { maxBatchRecords: 10 });
    h.source.batchSize = 10;
    h.source.produce(
      0,
      Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
    );
    h.source.assign([0]);
    const original = h.target.apply.bind(h.target);
    h.target.apply = async (...args) => {
      await new Promise((r) => setTimeout(r, 20));
      return original(...args);
    };
    h.bridge.start();
    await until(() => h.target.applies.length >= 2, 5_000, 'two applies');
    await h.bridge.stop();
    const stored = h.target.stored(0) ?? -1n;
    expect(stored).toBeLessThan(99n);
    // Every stored offset matches exactly the records written so far.
    expect(h.target.state().size).toBe(Number(stored) + 1);
  });

  it('computes lag in records and seconds against thresholds', async () => {
    let now = 1_000_000;
    const h = harness(1, { now: () => now, readyMaxLagRecords: 2, readyMaxLagSeconds: 10 });
    h.source.assign([]);
    h.source.produce(0, [
      { key: 'a', value: '1' },
      { key: 'b', value: '1' },
    ]);
    h.bridge.start();
    await h.bridge.pollLag();
    let r = h.bridge.readiness();
    expect(r.partitions[0]).toMatchObject({ lagRecords: 2, lagSeconds: 0 });
    expect(r.ready).toBe(true);
    now += 11_000;
    await h.bridge.pollLag();
    r = h.bridge.readiness();
    expect(r.partitions[0]?.lagSeconds).toBe(11);
    expect(r.ready).toBe(false);
    expect(r.reasons).toContain('partition 0: 11.0 s behind');
    h.source.produce(0, [{ key: 'c', value: '1' }]);
    await h.bridge.pollLag();
    expect(h.bridge.readiness().reasons).toContain('partition 0: 3 records behind');
  });
});
