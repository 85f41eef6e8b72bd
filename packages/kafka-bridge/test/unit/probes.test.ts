import { describe, expect, it } from 'vitest';
import {
  answered,
  type ComponentState,
  failed,
  healthOf,
  isConnected,
  NOT_REACHED,
  type PartitionView,
  type ReadinessInput,
  readinessOf,
} from '../../src/probes.js';

const NOW = 1_000_000;

function partition(overrides: Partial<PartitionView> = {}): PartitionView {
  return {
    partition: 0,
    isAssigned: true,
    inconsistent: undefined,
    lagRecords: 0,
    lagSeconds: 0,
    stored: 9n,
    high: 10n,
    ...overrides,
  };
}

function input(overrides: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    now: NOW,
    stopping: false,
    lagIntervalMs: 1_000,
    maxLagRecords: 10,
    maxLagSeconds: 5,
    components: { kafka: answered(NOW), target: answered(NOW) },
    partitions: [partition()],
    ...overrides,
  };
}

describe('component state', () => {
  it('is connected once it answered, until a request fails', () => {
    expect(isConnected(NOT_REACHED)).toBe(false);
    const ok = answered(5);
    expect(ok).toEqual({ okAt: 5, failing: false, error: undefined });
    expect(isConnected(ok)).toBe(true);
    const down = failed(ok, new Error('ECONNREFUSED'));
    expect(down).toEqual({ okAt: 5, failing: true, error: 'ECONNREFUSED' });
    expect(isConnected(down)).toBe(false);
    expect(isConnected(answered(6))).toBe(true);
  });

  it('keeps the last reason when a failure comes without one, and takes strings as they are', () => {
    const down = failed(NOT_REACHED, 'refused');
    expect(down.error).toBe('refused');
    expect(failed(down).error).toBe('refused');
    expect(failed(down).okAt).toBeUndefined();
  });
});

describe('readinessOf', () => {
  it('is ready when both sides answer and every partition is within the limits', () => {
    const r = readinessOf(input());
    expect(r).toEqual({
      ready: true,
      reasons: [],
      partitions: [
        {
          partition: 0,
          assigned: true,
          storedOffset: '9',
          highWatermark: '10',
          lagRecords: 0,
          lagSeconds: 0,
        },
      ],
    });
  });

  it('names every reason, in order: stopping, components, then partitions', () => {
    const components: Record<'kafka' | 'target', ComponentState> = {
      kafka: NOT_REACHED,
      target: failed(answered(NOW), new Error('down')),
    };
    const r = readinessOf(
      input({
        stopping: true,
        components,
        partitions: [
          partition({ partition: 0, inconsistent: 'beyond the end', lagRecords: 100 }),
          partition({ partition: 1, lagRecords: undefined }),
          partition({ partition: 2, lagRecords: 11, lagSeconds: 100 }),
          partition({ partition: 3, lagRecords: 10, lagSeconds: 5.25 }),
          partition({ partition: 4, lagRecords: 10, lagSeconds: 5 }),
        ],
      }),
    );
    expect(r.ready).toBe(false);
    expect(r.reasons).toEqual([
      'stopping',
      'kafka: not reached yet',
      'target: failing (down)',
      'partition 0: beyond the end',
      'partition 1: lag not known yet',
      'partition 2: 11 records behind',
      'partition 3: 5.3 s behind',
    ]);
  });

  it('says a failing component is failing without a reason when none is known', () => {
    const r = readinessOf(input({ components: { kafka: failed(answered(NOW)), target: answered(NOW) } }));
    expect(r.reasons).toEqual(['kafka: failing']);
  });

  it('finds a component stale after 3 lag intervals, but never before 5 s', () => {
    const at = (okAt: number, lagIntervalMs: number) =>
      readinessOf(input({ lagIntervalMs, components: { kafka: answered(okAt), target: answered(NOW) } }))
        .reasons;
    expect(at(NOW - 5_000, 100)).toEqual([]);
    expect(at(NOW - 5_001, 100)).toEqual(['kafka: no answer for 5 s']);
    expect(at(NOW - 6_000, 2_000)).toEqual([]);
    expect(at(NOW - 7_600, 2_000)).toEqual(['kafka: no answer for 8 s']);
  });

  it('is not ready while the topic’s partitions are not known', () => {
    expect(readinessOf(input({ partitions: [] })).reasons).toEqual([
      'the topic’s partitions are not known yet',
    ]);
  });

  it('reports unknown offsets and lag as null, and partitions not assigned here too', () => {
    const r = readinessOf(
      input({
        partitions: [
          partition({ isAssigned: false, stored: null, high: undefined, lagRecords: 0, lagSeconds: 0 }),
          partition({ partition: 1, stored: undefined, lagRecords: undefined, lagSeconds: undefined }),
        ],
      }),
    );
    expect(r.partitions).toEqual([
      {
        partition: 0,
        assigned: false,
        storedOffset: null,
        highWatermark: null,
        lagRecords: 0,
        lagSeconds: 0,
      },
      {
        partition: 1,
        assigned: true,
        storedOffset: null,
        highWatermark: '10',
        lagRecords: null,
        lagSeconds: null,
      },
    ]);
  });
});

describe('healthOf', () => {
  it('is ok whatever the components do, and lists the assigned partitions', () => {
    expect(
      healthOf({
        stopping: false,
        components: { kafka: answered(NOW), target: failed(answered(NOW), 'x') },
        partitions: [
          { partition: 0, isAssigned: true },
          { partition: 1, isAssigned: false },
          { partition: 2, isAssigned: true },
        ],
      }),
    ).toEqual({ status: 'ok', kafka: 'connected', target: 'disconnected', assignedPartitions: [0, 2] });
  });

  it('says stopping while the bridge stops', () => {
    const h = healthOf({
      stopping: true,
      components: { kafka: NOT_REACHED, target: NOT_REACHED },
      partitions: [],
    });
    expect(h).toEqual({
      status: 'stopping',
      kafka: 'disconnected',
      target: 'disconnected',
      assignedPartitions: [],
    });
  });
});
