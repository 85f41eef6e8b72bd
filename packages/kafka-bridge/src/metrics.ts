/**
 * The metrics sluice-bridge exports at `/metrics`, as data: the docs page is generated from `METRICS`
 * and `Metrics` creates exactly these, so the two cannot drift apart.
 */

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
  /** The HELP text, our own words. */
  readonly help: string;
  /** For histograms: bucket upper bounds. */
  readonly buckets?: readonly number[];
}

/** Prefix of the prom-client default process metrics (`sluice_bridge_process_cpu_seconds_total`, …). */
export const METRIC_PREFIX = 'sluice_bridge_';

export const METRICS = [
  {
    name: 'sluice_bridge_applied_offset',
    type: 'gauge',
    labels: ['topic', 'partition'],
    help: 'Last offset of the partition stored in the target, -1 when none is.',
  },
  {
    name: 'sluice_bridge_high_watermark',
    type: 'gauge',
    labels: ['topic', 'partition'],
    help: 'The partition’s end: the offset the next produced record will get.',
  },
  {
    name: 'sluice_bridge_lag_records',
    type: 'gauge',
    labels: ['topic', 'partition'],
    help: 'Offsets in the partition after the one stored in the target.',
  },
  {
    name: 'sluice_bridge_lag_seconds',
    type: 'gauge',
    labels: ['topic', 'partition'],
    help: 'How long the oldest record not yet in the target has been in Kafka, as observed by the bridge; 0 when caught up.',
  },
  {
    name: 'sluice_bridge_records_applied_total',
    type: 'counter',
    labels: ['topic', 'partition'],
    help: 'Records whose effect was written to the target (including ones a later record of the same key in the same transaction replaced).',
  },
  {
    name: 'sluice_bridge_bytes_applied_total',
    type: 'counter',
    labels: ['topic', 'partition'],
    help: 'Key and value bytes of the records applied.',
  },
  {
    name: 'sluice_bridge_keys_written_total',
    type: 'counter',
    labels: ['topic', 'op'],
    help: 'Keys set (op="set") and deleted (op="delete") in the target, after keeping only the last record of each key per transaction.',
  },
  {
    name: 'sluice_bridge_batches_applied_total',
    type: 'counter',
    labels: ['topic', 'partition'],
    help: 'Transactions applied: each writes up to --max-batch-records records and the partition’s offset.',
  },
  {
    name: 'sluice_bridge_records_skipped_total',
    type: 'counter',
    labels: ['topic', 'partition', 'reason'],
    help: 'Records not written: reason="no_key" (the record has no key), "reserved_key" (its key starts with __sluice_bridge:), "bad_expiry" (its sluice-expire-at or sluice-ttl header is not a positive number of milliseconds), "already_applied" (at or below the stored offset: the partition’s, or on a cluster target its slot’s).',
  },
  {
    name: 'sluice_bridge_errors_total',
    type: 'counter',
    labels: ['component', 'operation'],
    help: 'Failed operations, by component ("kafka" or "target") and operation; each is retried.',
  },
  {
    name: 'sluice_bridge_retries_total',
    type: 'counter',
    labels: ['operation'],
    help: 'Retries after a failure, by operation.',
  },
  {
    name: 'sluice_bridge_rewinds_total',
    type: 'counter',
    labels: ['topic', 'partition'],
    help: 'Times the target was found to hold an older offset than the bridge had written (data lost or restored from a backup), so the bridge read the partition again from there.',
  },
  {
    name: 'sluice_bridge_assignments_total',
    type: 'counter',
    labels: ['topic'],
    help: 'Partition assignments received from the consumer group (one per rebalance).',
  },
  {
    name: 'sluice_bridge_assigned_partitions',
    type: 'gauge',
    labels: ['topic'],
    help: 'Partitions of the topic assigned to this bridge.',
  },
  {
    name: 'sluice_bridge_partitions',
    type: 'gauge',
    labels: ['topic'],
    help: 'Partitions the topic has.',
  },
  {
    name: 'sluice_bridge_connected',
    type: 'gauge',
    labels: ['component'],
    help: '1 while the component ("kafka" or "target") answers, else 0.',
  },
  {
    name: 'sluice_bridge_ready',
    type: 'gauge',
    labels: [],
    help: '1 while /readyz answers 200, else 0.',
  },
  {
    name: 'sluice_bridge_transactions',
    type: 'gauge',
    labels: ['mode'],
    help: '1 for the way batches are written to the target: mode="multi" (MULTI/EXEC) or "pipeline" (no MULTI on the target).',
  },
  {
    name: 'sluice_bridge_apply_duration_seconds',
    type: 'histogram',
    labels: [],
    help: 'Time to write one transaction to the target, from the offset check to EXEC’s reply.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
] as const satisfies readonly MetricSpec[];

type Spec = (typeof METRICS)[number];
type Name = Spec['name'];
type LabelsOf<N extends Name> = Extract<Spec, { name: N }>['labels'][number];
type TypeOf<N extends Name> = Extract<Spec, { name: N }>['type'];
type MetricOf<N extends Name> =
  TypeOf<N> extends 'counter'
    ? Counter<LabelsOf<N>>
    : TypeOf<N> extends 'gauge'
      ? Gauge<LabelsOf<N>>
      : Histogram<LabelsOf<N>>;

/** One registry with every metric of `METRICS` and the default process metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly appliedOffset = this.#create('sluice_bridge_applied_offset');
  readonly highWatermark = this.#create('sluice_bridge_high_watermark');
  readonly lagRecords = this.#create('sluice_bridge_lag_records');
  readonly lagSeconds = this.#create('sluice_bridge_lag_seconds');
  readonly recordsApplied = this.#create('sluice_bridge_records_applied_total');
  readonly bytesApplied = this.#create('sluice_bridge_bytes_applied_total');
  readonly keysWritten = this.#create('sluice_bridge_keys_written_total');
  readonly batchesApplied = this.#create('sluice_bridge_batches_applied_total');
  readonly recordsSkipped = this.#create('sluice_bridge_records_skipped_total');
  readonly errors = this.#create('sluice_bridge_errors_total');
  readonly retries = this.#create('sluice_bridge_retries_total');
  readonly rewinds = this.#create('sluice_bridge_rewinds_total');
  readonly assignments = this.#create('sluice_bridge_assignments_total');
  readonly assignedPartitions = this.#create('sluice_bridge_assigned_partitions');
  readonly partitions = this.#create('sluice_bridge_partitions');
  readonly connected = this.#create('sluice_bridge_connected');
  readonly ready = this.#create('sluice_bridge_ready');
  readonly transactions = this.#create('sluice_bridge_transactions');
  readonly applyDuration = this.#create('sluice_bridge_apply_duration_seconds');

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** The exposition text for `/metrics`. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #create<N extends Name>(name: N): MetricOf<N> {
    const spec: MetricSpec | undefined = METRICS.find((m) => m.name === name);
    if (spec === undefined) throw new Error(`metric ${name} is not in METRICS`);
    const common = {
      name: spec.name,
      help: spec.help,
      labelNames: [...spec.labels],
      registers: [this.registry],
    };
    switch (spec.type) {
      case 'counter':
        return new Counter(common) as MetricOf<N>;
      case 'gauge':
        return new Gauge(common) as MetricOf<N>;
      case 'histogram':
        return new Histogram({ ...common, buckets: [...(spec.buckets ?? [])] }) as MetricOf<N>;
    }
  }
}
