/**
 * The log lines of the bridge's events (`events.ts`). The wording is part of the interface: the user
 * guide lists these lines (apps/docs/kafka-bridge.md, "Logs") and tests look for them.
 */

import type { Events } from './events.js';
import type { Logger } from './log.js';
import { SKIP_REASONS, type SkipReason } from './plan.js';

/** Write `events` of the bridge of `topic` to `log`. */
export function bindLogs(events: Events, log: Logger, topic: string): void {
  events.on('bridge.stopping', () => log.info('stopping: finishing the batches in flight'));
  events.on('bridge.stopped', () => log.info('stopped'));
  events.on('bridge.task_failed', ({ error }) => log.error('background task failed', { error }));
  events.on('topic.partitions', ({ partitions }) => log.info('topic partitions', { topic, partitions }));
  events.on('group.assigned', ({ partitions, total }) => {
    log.info('partitions assigned', { topic, partitions });
    if (total > 0 && partitions.length < total) {
      log.info(
        'other members of the consumer group hold the other partitions; a bridge that writes to its own target needs its own --group-id',
        { assigned: partitions.length, partitions: total },
      );
    }
  });
  events.on('group.commit_failed', ({ error }) => {
    log.debug('could not commit the group offsets (lag tools only; retried later)', { error });
  });
  events.on('partition.positioned', ({ partition, storedOffset, readFrom }) => {
    log.info('partition positioned', { partition, storedOffset, readFrom });
  });
  events.on('partition.records_lost', ({ partition, storedOffset, firstAvailable }) => {
    log.warn('records were deleted from Kafka before the bridge applied them', {
      partition,
      storedOffset,
      firstAvailable,
    });
  });
  events.on('partition.target_ahead', ({ partition, expected, stored }) => {
    log.debug('the target is ahead of the bridge; skipping what it has', { partition, expected, stored });
  });
  events.on('partition.rewound', ({ partition, storedOffset, written }) => {
    log.warn(
      'the target holds an older offset than the bridge wrote (data lost or restored); reading again from there',
      { partition, storedOffset, written },
    );
  });
  /** `partition:reason` pairs logged already: each is logged once. */
  const skipsLogged = new Set<`${number}:${SkipReason}`>();
  events.on('records.skipped', ({ partition, reason, firstOffset }) => {
    const key = `${partition}:${reason}` as const;
    if (skipsLogged.has(key)) return;
    skipsLogged.add(key);
    log.warn(`skipping records: ${SKIP_REASONS[reason]} (logged once per partition and reason)`, {
      partition,
      reason,
      offset: firstOffset,
    });
  });
  events.on('retry.failed', ({ operation, partition, component, attempt, error, report }) => {
    if (report) log.warn(`${operation} failed; retrying`, { partition, component, attempt, error });
  });
  events.on('retry.succeeded', ({ operation, partition, retries }) => {
    log.info(`${operation} succeeded after ${retries} retries`, { partition });
  });
}
