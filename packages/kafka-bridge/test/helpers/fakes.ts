/**
 * In-memory stand-ins for the two seams of the bridge: a `KafkaSource` whose log, assignment, positions
 * and failures the test controls, and a `Target` that is a Map. They let the unit tests drive the
 * bridge's decisions (positioning, skipping, rewinding, retrying) deterministically.
 */

import type {
  KafkaSource,
  PartitionOffsets,
  SourceBatch,
  SourceHandlers,
  SourceRecord,
} from '../../src/kafka/source.js';

/** A record in a fake partition's log. */
interface LoggedRecord extends SourceRecord {
  offset: bigint;
}

import { OffsetKeys, parseStoredOffset } from '../../src/offsets.js';
import type { Plan } from '../../src/plan.js';
import {
  type ApplyResult,
  type Target,
  TargetUnavailableError,
  type TransactionMode,
} from '../../src/target/target.js';

export interface FakeRecord {
  key: string | null;
  value: string | null;
}

export class FakeSource implements KafkaSource {
  /** Each partition's log: records with their offsets (gaps allowed, as after compaction). */
  readonly logs = new Map<number, LoggedRecord[]>();
  readonly low = new Map<number, bigint>();
  /** The read position of each assigned partition, as the Kafka client would have it. */
  readonly positions = new Map<number, bigint>();
  readonly seeks: { partition: number; offset: bigint }[] = [];
  readonly commits: { partition: number; offset: bigint }[][] = [];
  assignment: number[] = [];
  /** Most records per batch. */
  batchSize = 100;
  /** `partitionOffsets` fails while set. */
  offsetsDown = false;
  #pendingSeeks = new Map<number, bigint>();
  #handlers: SourceHandlers | undefined;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(partitions: number) {
    for (let p = 0; p < partitions; p++) {
      this.logs.set(p, []);
      this.low.set(p, 0n);
    }
  }

  /** Append records to a partition; returns their offsets. */
  produce(partition: number, records: FakeRecord[]): bigint[] {
    const log = this.logs.get(partition);
    if (log === undefined) throw new Error(`no partition ${partition}`);
    return records.map(({ key, value }) => {
      const offset = this.high(partition);
      log.push({
        offset,
        key: key === null ? null : Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
      });
      return offset;
    });
  }

  high(partition: number): bigint {
    const log = this.logs.get(partition) ?? [];
    const last = log[log.length - 1];
    return last === undefined ? (this.low.get(partition) ?? 0n) : last.offset + 1n;
  }

  addPartition(): number {
    const p = this.logs.size;
    this.logs.set(p, []);
    this.low.set(p, 0n);
    return p;
  }

  /** A rebalance: the new assignment, with positions from the group (`groupOffsets`, default 0). */
  assign(partitions: number[], groupOffsets: Map<number, bigint> = new Map()): void {
    this.assignment = [...partitions];
    this.positions.clear();
    for (const p of partitions) this.positions.set(p, groupOffsets.get(p) ?? this.low.get(p) ?? 0n);
    this.#pendingSeeks.clear();
    this.#handlers?.onAssigned(partitions);
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.#handlers = handlers;
    this.#running = true;
    handlers.onConnection(true);
    if (this.assignment.length > 0) handlers.onAssigned(this.assignment);
    this.#loop = this.#run();
  }

  seek(partition: number, offset: bigint): void {
    this.seeks.push({ partition, offset });
    this.#pendingSeeks.set(partition, offset);
  }

  async partitionOffsets(): Promise<PartitionOffsets[]> {
    if (this.offsetsDown) throw new Error('brokers unreachable');
    return [...this.logs.keys()].map((partition) => ({
      partition,
      low: this.low.get(partition) ?? 0n,
      high: this.high(partition),
    }));
  }

  async commit(offsets: ReadonlyArray<{ partition: number; offset: bigint }>): Promise<void> {
    this.commits.push([...offsets]);
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Fetch rounds, like a consumer: a batch per assigned partition with records, one partition at a time. */
  async #run(): Promise<void> {
    while (this.#running) {
      let delivered = false;
      for (const partition of [...this.assignment]) {
        const seek = this.#pendingSeeks.get(partition);
        if (seek !== undefined) {
          this.positions.set(partition, seek);
          this.#pendingSeeks.delete(partition);
        }
        const from = this.positions.get(partition) ?? 0n;
        const records = (this.logs.get(partition) ?? [])
          .filter((r) => r.offset >= from)
          .slice(0, this.batchSize);
        const last = records[records.length - 1];
        if (last === undefined) continue;
        delivered = true;
        const batch: SourceBatch = {
          partition,
          fetchedOffset: from,
          records,
          offsetOf: (index) => (records[index] as LoggedRecord).offset,
          lastOffset: last.offset,
          highWatermark: this.high(partition),
          isStale: () => this.#pendingSeeks.has(partition),
          heartbeat: async () => {},
        };
        const done = await this.#handlers?.onBatch(batch);
        if (done && !batch.isStale() && this.assignment.includes(partition)) {
          this.positions.set(partition, last.offset + 1n);
        }
      }
      await new Promise((r) => setTimeout(r, delivered ? 0 : 5));
    }
  }
}

export class MemoryTarget implements Target {
  readonly data = new Map<string, string>();
  readonly applies: { partition: number; offset: bigint; sets: number; dels: number }[] = [];
  /** Requests fail while set. */
  down = false;
  readonly #keys: OffsetKeys;

  constructor(topic: string, prefix = '') {
    this.#keys = new OffsetKeys(topic, Buffer.from(prefix));
  }

  get mode(): TransactionMode {
    return 'multi';
  }

  get connected(): boolean {
    return !this.down;
  }

  async readOffsets(partitions: readonly number[]): Promise<Map<number, bigint | null>> {
    this.#check();
    return new Map(partitions.map((p) => [p, this.stored(p)]));
  }

  async apply(partition: number, plan: Plan, offset: bigint, expected: bigint | null): Promise<ApplyResult> {
    this.#check();
    const stored = this.stored(partition);
    if (stored !== expected) return { applied: false, stored };
    for (const key of plan.dels) this.data.delete(key.toString());
    for (let i = 0; i < plan.sets.length; i += 2) {
      this.data.set((plan.sets[i] as Buffer).toString(), (plan.sets[i + 1] as Buffer).toString());
    }
    for (const { key, value } of plan.expiring) this.data.set(key.toString(), value.toString());
    this.data.set(this.#keys.describe(partition), offset.toString());
    this.applies.push({
      partition,
      offset,
      sets: plan.sets.length / 2 + plan.expiring.length,
      dels: plan.dels.length,
    });
    return { applied: true };
  }

  stored(partition: number): bigint | null {
    const key = this.#keys.describe(partition);
    return parseStoredOffset(this.data.get(key) ?? null, key);
  }

  /** The data without offset records. */
  state(): Map<string, string> {
    return new Map([...this.data].filter(([k]) => !k.includes('__sluice_bridge:')));
  }

  async close(): Promise<void> {}

  #check(): void {
    if (this.down) throw new TargetUnavailableError('target unavailable: down');
  }
}

/** Wait until `check` holds (polling every few ms), or fail after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A batch of `partition` holding one record per offset of `offsets` (keys `k<offset>`, values `v<offset>`),
 * fetched from the first offset unless `fetchedOffset` says otherwise: for testing the bridge's parts
 * without a source.
 */
export function fakeBatch(
  partition: number,
  offsets: readonly bigint[],
  options: {
    fetchedOffset?: bigint;
    lastOffset?: bigint;
    records?: SourceRecord[];
    isStale?: () => boolean;
    heartbeat?: () => Promise<void>;
  } = {},
): SourceBatch {
  const records =
    options.records ?? offsets.map((o) => ({ key: Buffer.from(`k${o}`), value: Buffer.from(`v${o}`) }));
  const last = offsets[offsets.length - 1] ?? 0n;
  return {
    partition,
    fetchedOffset: options.fetchedOffset ?? offsets[0] ?? 0n,
    records,
    offsetOf: (index) => offsets[index] as bigint,
    lastOffset: options.lastOffset ?? last,
    highWatermark: last + 1n,
    isStale: options.isStale ?? (() => false),
    heartbeat: options.heartbeat ?? (async () => {}),
  };
}
