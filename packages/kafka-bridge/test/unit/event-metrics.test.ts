import { describe, expect, it } from 'vitest';
import { bindMetrics } from '../../src/event-metrics.js';
import { Events } from '../../src/events.js';
import { METRICS, Metrics } from '../../src/metrics.js';
import { emitAll } from '../helpers/events.js';

function setup(): { events: Events; metrics: Metrics } {
  const events = new Events();
  const metrics = new Metrics({ defaultMetrics: false });
  bindMetrics(events, metrics, 't');
  return { events, metrics };
}

/** The values of metric `name` whose labels include `labels`, by their labels as JSON. */
async function values(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<{ labels: Record<string, unknown>; value: number; metricName?: string }[]> {
  const found = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (found?.values ?? []).filter((v) =>
    Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  ) as { labels: Record<string, unknown>; value: number; metricName?: string }[];
}

async function value(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  return (await values(metrics, name, labels)).reduce((sum, v) => sum + v.value, 0);
}

describe('bindMetrics', () => {
  it('drives every metric of METRICS from some event', async () => {
    const { events, metrics } = setup();
    emitAll(events.emit);
    for (const { name } of METRICS) {
      expect((await values(metrics, name)).length, name).toBeGreaterThan(0);
    }
  });

  it('counts a transaction: records, bytes, keys, offset, duration and the transaction mode', async () => {
    const { events, metrics } = setup();
    const applied = {
      partition: 3,
      offset: 41n,
      records: 10,
      bytes: 250,
      sets: 4,
      deletes: 3,
      seconds: 0.02,
      mode: 'pipeline' as const,
    };
    events.emit('transaction.applied', applied);
    events.emit('transaction.applied', { ...applied, offset: 45n, mode: undefined });
    const p3 = { topic: 't', partition: '3' };
    expect(await value(metrics, 'sluice_bridge_batches_applied_total', p3)).toBe(2);
    expect(await value(metrics, 'sluice_bridge_records_applied_total', p3)).toBe(20);
    expect(await value(metrics, 'sluice_bridge_bytes_applied_total', p3)).toBe(500);
    expect(await value(metrics, 'sluice_bridge_keys_written_total', { topic: 't', op: 'set' })).toBe(8);
    expect(await value(metrics, 'sluice_bridge_keys_written_total', { topic: 't', op: 'delete' })).toBe(6);
    expect(await value(metrics, 'sluice_bridge_applied_offset', p3)).toBe(45);
    expect(await value(metrics, 'sluice_bridge_transactions', { mode: 'pipeline' })).toBe(1);
    expect(await value(metrics, 'sluice_bridge_transactions', { mode: 'multi' })).toBe(0);
    const count = (await values(metrics, 'sluice_bridge_apply_duration_seconds')).find(
      (v) => v.metricName === 'sluice_bridge_apply_duration_seconds_count',
    );
    expect(count?.value).toBe(2);
  });

  it('counts skipped records by reason, the already applied ones included', async () => {
    const { events, metrics } = setup();
    events.emit('records.already_applied', { partition: 0, count: 5 });
    events.emit('records.already_applied', { partition: 0, count: 0 });
    events.emit('records.skipped', { partition: 0, reason: 'no_key', count: 2, firstOffset: 7n });
    events.emit('records.skipped', { partition: 1, reason: 'reserved_key', count: 1, firstOffset: 8n });
    const skipped = 'sluice_bridge_records_skipped_total';
    expect(await value(metrics, skipped, { partition: '0', reason: 'already_applied' })).toBe(5);
    expect(await value(metrics, skipped, { partition: '0', reason: 'no_key' })).toBe(2);
    expect(await value(metrics, skipped, { partition: '1', reason: 'reserved_key' })).toBe(1);
  });

  it('sets the stored offset from positioning and lag, -1 when none is stored', async () => {
    const { events, metrics } = setup();
    events.emit('partition.positioned', { partition: 0, storedOffset: null, readFrom: 0n });
    expect(await value(metrics, 'sluice_bridge_applied_offset', { partition: '0' })).toBe(-1);
    events.emit('partition.lag', { partition: 0, records: 3, seconds: 2.5, stored: 7n });
    expect(await value(metrics, 'sluice_bridge_applied_offset', { partition: '0' })).toBe(7);
    expect(await value(metrics, 'sluice_bridge_lag_records', { partition: '0' })).toBe(3);
    expect(await value(metrics, 'sluice_bridge_lag_seconds', { partition: '0' })).toBe(2.5);
    events.emit('partition.lag', { partition: 0, records: 0, seconds: 0, stored: null });
    expect(await value(metrics, 'sluice_bridge_applied_offset', { partition: '0' })).toBe(-1);
  });

  it('counts failures by component and operation, and retries only when one follows', async () => {
    const { events, metrics } = setup();
    const failure = {
      operation: 'apply',
      partition: 0,
      component: 'target' as const,
      attempt: 0,
      error: new Error('x'),
      report: true,
      retrying: true,
    };
    events.emit('operation.failed', { component: 'target', operation: 'apply', error: new Error('x') });
    events.emit('retry.failed', failure);
    events.emit('retry.failed', { ...failure, attempt: 1, report: false, retrying: false });
    events.emit('group.commit_failed', { error: new Error('y') });
    expect(
      await value(metrics, 'sluice_bridge_errors_total', { component: 'target', operation: 'apply' }),
    ).toBe(1);
    expect(
      await value(metrics, 'sluice_bridge_errors_total', { component: 'kafka', operation: 'commit' }),
    ).toBe(1);
    expect(await value(metrics, 'sluice_bridge_retries_total', { operation: 'apply' })).toBe(1);
  });

  it('follows assignments, partitions, end offsets, rewinds, connections and readiness', async () => {
    const { events, metrics } = setup();
    events.emit('group.assigned', { partitions: [0, 1, 2], total: 4 });
    events.emit('group.assigned', { partitions: [1], total: 4 });
    events.emit('topic.partitions', { partitions: 4 });
    events.emit('partition.end_offset', { partition: 1, high: 1_000n });
    events.emit('partition.rewound', { partition: 1, storedOffset: null, written: 9n });
    events.emit('component.connection', { component: 'kafka', connected: true });
    events.emit('component.connection', { component: 'target', connected: true });
    events.emit('component.connection', { component: 'target', connected: false });
    events.emit('readiness.checked', { ready: true });
    expect(await value(metrics, 'sluice_bridge_assignments_total', { topic: 't' })).toBe(2);
    expect(await value(metrics, 'sluice_bridge_assigned_partitions', { topic: 't' })).toBe(1);
    expect(await value(metrics, 'sluice_bridge_partitions', { topic: 't' })).toBe(4);
    expect(await value(metrics, 'sluice_bridge_high_watermark', { partition: '1' })).toBe(1_000);
    expect(await value(metrics, 'sluice_bridge_rewinds_total', { partition: '1' })).toBe(1);
    expect(await value(metrics, 'sluice_bridge_connected', { component: 'kafka' })).toBe(1);
    expect(await value(metrics, 'sluice_bridge_connected', { component: 'target' })).toBe(0);
    expect(await value(metrics, 'sluice_bridge_ready')).toBe(1);
    events.emit('readiness.checked', { ready: false });
    expect(await value(metrics, 'sluice_bridge_ready')).toBe(0);
  });
});
