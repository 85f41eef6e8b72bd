/**
 * The bridge materializes a topic: tens of thousands of keyed records (updates and tombstones, written by
 * kcat and by kafkajs) across 4 partitions end up as the latest value per key, it keeps up with new
 * records, and it resumes after a restart without applying anything twice.
 */

import type { RunningServer } from '@sluice/testkit';
import { type MockBroker, startMockBroker } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, eventually, startBridge } from '../helpers/bridge-process.js';
import {
  expectedState,
  produceWithKafkajs,
  produceWithKcat,
  type TestRecord,
  workload,
} from '../helpers/produce.js';
import {
  diffStates,
  readOffsets,
  readState,
  startTarget,
  supportsMulti,
  testTargets,
  waitForState,
} from '../helpers/targets.js';

const PARTITIONS = 4;

/**
 * Set to 1 to accept a target without MULTI/EXEC (the bridge then pipelines DEL and MSET); the test that
 * requires MULTI/EXEC is then reported as skipped rather than failed.
 */
const ALLOW_NO_MULTI = process.env.SLUICE_BRIDGE_TEST_ALLOW_NO_MULTI === '1';

describe.each(testTargets())('sluice-bridge into %s', (kind) => {
  let broker: MockBroker;
  let target: RunningServer;
  const bridges: BridgeProcess[] = [];

  beforeAll(async () => {
    broker = await startMockBroker({
      topics: [
        { name: 'items', partitions: PARTITIONS },
        { name: 'users', partitions: PARTITIONS },
        { name: 'orders', partitions: PARTITIONS },
        { name: 'multi', partitions: PARTITIONS },
        { name: 'pipelined', partitions: PARTITIONS },
        { name: 'fresh', partitions: PARTITIONS },
        { name: 'expiring', partitions: PARTITIONS },
      ],
    });
    target = await startTarget(kind);
  });

  afterAll(async () => {
    for (const bridge of bridges) await bridge.kill();
    await target?.dispose();
    await broker?.stop();
  });

  async function bridge(topic: string, args: string[] = []): Promise<BridgeProcess> {
    const started = await startBridge({ brokers: broker.bootstrap, topic, target: target.url, args });
    bridges.push(started);
    return started;
  }

  async function converges(expected: Map<string, string>, prefix = '', timeoutMs = 60_000): Promise<void> {
    await waitForState(target.port, expected, { prefix, timeoutMs });
  }

  it('applies the latest value of every key, deletes tombstoned keys, skips keyless records, and keeps up', async () => {
    // Two clients write the same keys one after the other: later records replace earlier ones.
    const first = workload({ records: 30_000, keys: 5_000, tombstones: 0.1, seed: 1 });
    const second = workload({ records: 10_000, keys: 5_000, tombstones: 0.15, seed: 2 });
    const odd: TestRecord[] = [
      ...Array.from({ length: 40 }, (_, i) => ({ key: null, value: `no-key-${i}` })),
      { key: '__sluice_bridge:offset:items:0', value: '999999' },
      { key: '__sluice_bridge:whatever', value: 'x' },
    ];
    await produceWithKcat(broker.bootstrap, 'items', first);
    await produceWithKafkajs(broker.bootstrap, 'items', [...second, ...odd]);
    const expected = expectedState(first, second, odd);
    expect(expected.size).toBeGreaterThan(3_000);

    const b = await bridge('items');
    await b.waitReady(60_000);
    await converges(expected);

    // Offsets: one record per partition, each the partition's last offset.
    const offsets = await readOffsets(target.port, 'items');
    expect([...offsets.keys()].sort()).toEqual([0, 1, 2, 3]);
    const total = [...offsets.values()].reduce((sum, o) => sum + o + 1n, 0n);
    expect(total).toBe(BigInt(first.length + second.length + odd.length));

    // Skipped records are counted, and logged once per partition and reason.
    expect(await b.metric('sluice_bridge_records_skipped_total', { reason: 'no_key' })).toBe(40);
    expect(await b.metric('sluice_bridge_records_skipped_total', { reason: 'reserved_key' })).toBe(2);
    const skipLogs = b.logs().filter((l) => l.msg.startsWith('skipping records'));
    const perPartitionReason = new Set(skipLogs.map((l) => `${l.partition}:${l.reason}`));
    expect(perPartitionReason.size).toBe(skipLogs.length);
    expect(skipLogs.filter((l) => l.reason === 'no_key').length).toBeLessThanOrEqual(PARTITIONS);
    expect(await b.metric('sluice_bridge_records_applied_total')).toBe(first.length + second.length);
    expect(await b.metric('sluice_bridge_lag_records')).toBe(0);
    const mode = (await supportsMulti(target.port)) ? 'multi' : 'pipeline';
    expect(await b.metric('sluice_bridge_transactions', { mode })).toBe(1);

    // New records while it runs: it keeps up.
    const third = workload({ records: 8_000, keys: 5_000, tombstones: 0.2, seed: 3 });
    const fourth = workload({ records: 4_000, keys: 5_000, tombstones: 0.2, seed: 4 });
    await produceWithKafkajs(broker.bootstrap, 'items', third);
    await produceWithKcat(broker.bootstrap, 'items', fourth);
    await converges(expectedState(first, second, odd, third, fourth));
    await b.waitReady(30_000);

    // SIGTERM: exits 0 after a clean stop.
    expect(await b.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(b.logs().some((l) => l.msg === 'stopped')).toBe(true);

    // Restart: resumes from the stored offsets, applying nothing again.
    const fifth = workload({ records: 2_000, keys: 5_000, tombstones: 0.2, seed: 5 });
    await produceWithKcat(broker.bootstrap, 'items', fifth);
    const again = await bridge('items');
    await again.waitReady(60_000);
    await converges(expectedState(first, second, odd, third, fourth, fifth));
    expect(await again.metric('sluice_bridge_records_applied_total')).toBe(fifth.length);
    expect(await again.metric('sluice_bridge_records_skipped_total', { reason: 'already_applied' })).toBe(0);
    const positioned = again.logs().filter((l) => l.msg === 'partition positioned');
    expect(positioned.length).toBeGreaterThanOrEqual(PARTITIONS);
    expect(positioned.every((l) => l.storedOffset !== null)).toBe(true);
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });

  it('writes each batch and its offset in one MULTI/EXEC', async (context) => {
    if (!(await supportsMulti(target.port))) {
      if (ALLOW_NO_MULTI) context.skip();
      throw new Error(
        `${kind}-server has no MULTI/EXEC (set SLUICE_BRIDGE_TEST_ALLOW_NO_MULTI=1 to accept that)`,
      );
    }
    const records = workload({ records: 2_000, keys: 300, tombstones: 0.3, seed: 13 });
    await produceWithKcat(broker.bootstrap, 'multi', records);
    const b = await bridge('multi', ['--transactions', 'require', '--key-prefix', 'multi:']);
    await b.waitReady(60_000);
    await converges(expectedState(records), 'multi:');
    expect(await b.metric('sluice_bridge_transactions', { mode: 'multi' })).toBe(1);
    expect(await b.stop()).toEqual({ code: 0, signal: null });
  });

  it('without MULTI/EXEC (--transactions off), pipelines the same writes and converges', async () => {
    const records = workload({ records: 3_000, keys: 300, tombstones: 0.3, seed: 14 });
    await produceWithKcat(broker.bootstrap, 'pipelined', records);
    const b = await bridge('pipelined', ['--transactions', 'off', '--key-prefix', 'pipelined:']);
    await b.waitReady(60_000);
    await converges(expectedState(records), 'pipelined:');
    expect(await b.metric('sluice_bridge_transactions', { mode: 'pipeline' })).toBe(1);
    expect(await b.stop()).toEqual({ code: 0, signal: null });
  });

  it('fills a new target for a consumer group whose committed offsets are at the end of the topic', async () => {
    const records = workload({ records: 3_000, keys: 400, tombstones: 0.2, seed: 15 });
    await produceWithKcat(broker.bootstrap, 'fresh', records);
    const group = ['--group-id', 'fresh-group', '--commit-interval-ms', '100'];
    const first = await bridge('fresh', group);
    await first.waitReady(60_000);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    // Same group, empty target (another database): the group's offsets must not be trusted.
    const second = await startBridge({
      brokers: broker.bootstrap,
      topic: 'fresh',
      target: `${target.url}/4`,
      args: group,
    });
    bridges.push(second);
    await second.waitReady(60_000);
    let actual = new Map<string, string>();
    await eventually(
      async () => {
        actual = await readState(target.port, '', 4);
        return diffStates(expectedState(records), actual).startsWith('missing 0 [], wrong 0 [], extra 0 []');
      },
      60_000,
      () => `database 4 did not converge: ${diffStates(expectedState(records), actual)}`,
    );
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('keeps topics apart with --key-prefix, offsets included', async () => {
    const users = workload({ records: 3_000, keys: 500, tombstones: 0.1, seed: 11, tag: 'u' });
    const orders = workload({ records: 3_000, keys: 500, tombstones: 0.1, seed: 12, tag: 'o' });
    await produceWithKcat(broker.bootstrap, 'users', users);
    await produceWithKcat(broker.bootstrap, 'orders', orders);
    const [u, o] = await Promise.all([
      bridge('users', ['--key-prefix', 'users:']),
      bridge('orders', ['--key-prefix', 'orders:']),
    ]);
    await Promise.all([u.waitReady(60_000), o.waitReady(60_000)]);
    await converges(expectedState(users), 'users:');
    await converges(expectedState(orders), 'orders:');
    expect((await readOffsets(target.port, 'users', 'users:')).size).toBe(PARTITIONS);
    expect((await readOffsets(target.port, 'orders', 'orders:')).size).toBe(PARTITIONS);
    expect((await readOffsets(target.port, 'users')).size).toBe(0);
    await Promise.all([u.stop(), o.stop()]);
  });

  it('gives keys the expiry their records carry in sluice-expire-at or sluice-ttl', async () => {
    const soon = Date.now() + 600_000;
    await produceWithKcat(broker.bootstrap, 'expiring', [
      { key: 'plain', value: 'p' },
      { key: 'at', value: 'a', headers: { 'sluice-expire-at': String(soon) } },
      { key: 'ttl', value: 't', headers: { 'sluice-ttl': '300000' } },
      { key: 'gone', value: 'g' },
      { key: 'gone', value: 'g2', headers: { 'sluice-expire-at': '1000' } },
      { key: 'kept', value: 'k' },
      { key: 'kept', value: 'bad', headers: { 'sluice-expire-at': 'tomorrow' } },
    ]);
    const b = await bridge('expiring', ['--key-prefix', 'exp:']);
    await converges(
      new Map([
        ['plain', 'p'],
        ['at', 'a'],
        ['ttl', 't'],
        ['kept', 'k'],
      ]),
      'exp:',
    );
    const client = new Redis(target.port, '127.0.0.1', { lazyConnect: true });
    await client.connect();
    try {
      expect(await client.pttl('exp:plain')).toBe(-1);
      expect(await client.call('PEXPIRETIME', 'exp:at')).toBe(soon);
      const ttl = await client.pttl('exp:ttl');
      expect(ttl).toBeGreaterThan(250_000);
      expect(ttl).toBeLessThanOrEqual(300_000);
      expect(await client.exists('exp:gone')).toBe(0);
      expect(await client.pttl('exp:kept')).toBe(-1);
    } finally {
      client.disconnect();
    }
    await b.stop();
  });
});
