/**
 * The metrics of `metrics.ts`, driven by the bridge's events (`events.ts`): each metric is set in one
 * place, from the event that changes it. `test/unit/event-metrics.test.ts` checks that every metric of
 * `METRICS` is driven by some event.
 */

import type { Events } from './events.js';
import type { Metrics } from './metrics.js';

/** Update `metrics` on `events` of the bridge of `topic`. */
export function bindMetrics(events: Events, metrics: Metrics, topic: string): void {
  const labels = new Map<number, { topic: string; partition: string }>();
  /** The `{topic, partition}` labels of `partition`, made once. */
  const of = (partition: number): { topic: string; partition: string } => {
    let label = labels.get(partition);
    if (label === undefined) {
      label = { topic, partition: String(partition) };
      labels.set(partition, label);
    }
    return label;
  };
  const byTopic = { topic };
  const sets = { topic, op: 'set' };
  const deletes = { topic, op: 'delete' };

  events.on('topic.partitions', ({ partitions }) => metrics.partitions.set(byTopic, partitions));
  events.on('group.assigned', ({ partitions }) => {
    metrics.assignments.inc(byTopic);
    metrics.assignedPartitions.set(byTopic, partitions.length);
  });
  events.on('group.commit_failed', () => metrics.errors.inc({ component: 'kafka', operation: 'commit' }));
  events.on('partition.end_offset', ({ partition, high }) => {
    metrics.highWatermark.set(of(partition), Number(high));
  });
  events.on('partition.lag', ({ partition, records, seconds, stored }) => {
    const label = of(partition);
    metrics.lagRecords.set(label, records);
    metrics.lagSeconds.set(label, seconds);
    metrics.appliedOffset.set(label, stored === null ? -1 : Number(stored));
  });
  events.on('partition.positioned', ({ partition, storedOffset }) => {
    metrics.appliedOffset.set(of(partition), storedOffset === null ? -1 : Number(storedOffset));
  });
  events.on('partition.rewound', ({ partition }) => metrics.rewinds.inc(of(partition)));
  events.on('transaction.applied', (t) => {
    const label = of(t.partition);
    metrics.applyDuration.observe(t.seconds);
    metrics.appliedOffset.set(label, Number(t.offset));
    metrics.batchesApplied.inc(label);
    metrics.recordsApplied.inc(label, t.records);
    metrics.bytesApplied.inc(label, t.bytes);
    metrics.keysWritten.inc(sets, t.sets);
    metrics.keysWritten.inc(deletes, t.deletes);
    if (t.mode !== undefined) {
      metrics.transactions.set({ mode: t.mode }, 1);
      metrics.transactions.set({ mode: t.mode === 'multi' ? 'pipeline' : 'multi' }, 0);
    }
  });
  events.on('records.already_applied', ({ partition, count }) => {
    metrics.recordsSkipped.inc({ ...of(partition), reason: 'already_applied' }, count);
  });
  events.on('records.skipped', ({ partition, reason, count }) => {
    metrics.recordsSkipped.inc({ ...of(partition), reason }, count);
  });
  events.on('component.connection', ({ component, connected }) => {
    metrics.connected.set({ component }, connected ? 1 : 0);
  });
  events.on('operation.failed', ({ component, operation }) => metrics.errors.inc({ component, operation }));
  events.on('retry.failed', ({ operation, retrying }) => {
    if (retrying) metrics.retries.inc({ operation });
  });
  events.on('readiness.checked', ({ ready }) => metrics.ready.set(ready ? 1 : 0));
}
