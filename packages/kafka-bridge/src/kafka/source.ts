/**
 * The one interface between the bridge and a Kafka client. The bridge needs little: the batches of every
 * partition it is given, in offset order; a way to move a partition's read position; the partitions'
 * offset ranges; and a place to report progress for lag tools. `kafkajs-source.ts` implements it with
 * kafkajs; another client only has to implement this file's `KafkaSource`.
 */

import type { RecordHeaders } from '../record-headers.js';

/** One record as the bridge sees it (its offset comes from its batch: `offsetOf`). */
export interface SourceRecord {
  /** `null`: the record has no key (it is skipped). */
  readonly key: Buffer | null;
  /** `null`: a tombstone (the key is deleted). */
  readonly value: Buffer | null;
  /** The record's headers (see `record-headers.ts`); absent or empty when it has none. */
  readonly headers?: RecordHeaders;
  /** The record's timestamp, in ms since the epoch as decimal digits (kafkajs's form). */
  readonly timestamp?: string;
}

/** Records of one partition, fetched together, in offset order. */
export interface SourceBatch {
  partition: number;
  /** The offset this fetch started from: where the read position of the partition was. */
  fetchedOffset: bigint;
  /** Data records only: control records and aborted transactions' records are not here. */
  records: readonly SourceRecord[];
  /**
   * The offset of `records[index]`; increasing with the index. (A method rather than a field so that a
   * client's own record objects can be handed over without copying.)
   */
  offsetOf(index: number): bigint;
  /**
   * The last offset this batch covers, at least the last record's; more when control records follow it.
   * After the batch, the partition's read position is `lastOffset + 1`.
   */
  lastOffset: bigint;
  /** The partition's end (the offset the next produced record will get), as of this fetch. */
  highWatermark: bigint;
  /** True once a `seek` of this partition has made the batch obsolete: it must not be applied. */
  isStale(): boolean;
  /** Keep the group membership alive while the batch takes long (for example while the target is down). */
  heartbeat(): Promise<void>;
}

/** A partition's offset range: `low` is the first offset still in the log, `high` the next offset. */
export interface PartitionOffsets {
  partition: number;
  low: bigint;
  high: bigint;
}

export interface SourceHandlers {
  /**
   * The partitions now assigned to this bridge (all of them unless other members share the group).
   * Their read positions come from the Kafka group and are not trusted: the bridge seeks.
   */
  onAssigned(partitions: readonly number[]): void;
  /**
   * A batch to apply. Resolves `true` once every record in it is in the target (the read position then
   * moves past it), `false` when it was not applied (stopping, or dropped after a `seek`): it is fetched
   * again. The source delivers one batch per partition at a time, the next one only after this resolves.
   */
  onBatch(batch: SourceBatch): Promise<boolean>;
  /** Connection state changes, for readiness and logs. */
  onConnection(connected: boolean, error?: unknown): void;
}

export interface KafkaSource {
  /**
   * Join the group and start delivering batches. Retries for ever in the background when the brokers are
   * unreachable (reporting through `onConnection`); resolves once started, or when `stop` is called.
   */
  start(handlers: SourceHandlers): Promise<void>;
  /** Read `partition` from `offset` next. Batches fetched before the seek report `isStale()`. */
  seek(partition: number, offset: bigint): void;
  /** Every partition of the topic with its offset range (including partitions not assigned here). */
  partitionOffsets(): Promise<PartitionOffsets[]>;
  /**
   * Record progress in the Kafka consumer group: `offset` is the next offset to read, as Kafka expects.
   * For lag tools only; the bridge never reads it back.
   */
  commit(offsets: ReadonlyArray<{ partition: number; offset: bigint }>): Promise<void>;
  /** Stop fetching, wait for the batch in flight to be done, leave the group. */
  stop(): Promise<void>;
}
