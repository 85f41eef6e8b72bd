/** One example of every event of `src/events.ts`, for the tests of the bindings. */

import type { EventName, EventPayloads } from '../../src/events.js';

export const SAMPLE_EVENTS: { [N in EventName]: EventPayloads[N] } = {
  'bridge.stopping': {},
  'bridge.stopped': {},
  'bridge.task_failed': { error: new Error('boom') },
  'group.assigned': { partitions: [0, 2], total: 4 },
  'group.commit_failed': { error: new Error('coordinator moved') },
  'topic.partitions': { partitions: 4 },
  'partition.end_offset': { partition: 2, high: 120n },
  'partition.lag': { partition: 2, records: 20, seconds: 1.5, stored: 99n },
  'partition.positioned': { partition: 2, storedOffset: 99n, readFrom: 100n },
  'partition.records_lost': { partition: 2, storedOffset: 9n, firstAvailable: 50n },
  'partition.target_ahead': { partition: 2, expected: 99n, stored: 105n },
  'partition.rewound': { partition: 2, storedOffset: null, written: 105n },
  'transaction.applied': {
    partition: 2,
    offset: 110n,
    records: 10,
    bytes: 300,
    sets: 6,
    deletes: 2,
    seconds: 0.004,
    mode: 'multi',
  },
  'records.already_applied': { partition: 2, count: 3 },
  'records.skipped': { partition: 2, reason: 'no_key', count: 2, firstOffset: 101n },
  'component.connection': { component: 'target', connected: true },
  'operation.failed': { component: 'target', operation: 'apply', error: new Error('refused') },
  'retry.failed': {
    operation: 'apply',
    partition: 2,
    component: 'target',
    attempt: 0,
    error: new Error('refused'),
    report: true,
    retrying: true,
  },
  'retry.succeeded': { operation: 'apply', partition: 2, retries: 1 },
  'readiness.checked': { ready: true },
};

/** Emit every sample, in the table's order. */
export function emitAll(emit: <N extends EventName>(name: N, payload: EventPayloads[N]) => void): void {
  for (const name of Object.keys(SAMPLE_EVENTS) as EventName[]) {
    emit(name, SAMPLE_EVENTS[name] as never);
  }
}
