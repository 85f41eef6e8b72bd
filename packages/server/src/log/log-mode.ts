/**
 * Log mode: Kafka is the source of truth. Every write of this node is produced to the topic (writer.ts);
 * every record of the topic, from this node or any other producer, is applied to LMDB by sluice-bridge's
 * apply loop running in process, with the keyspace as its target (target.ts): each batch and its
 * partition's offset in one LMDB transaction. A write is acknowledged once Kafka has it and this node has
 * applied it. Any number of nodes on one topic converge to the same state.
 *
 * This file is the wiring, and what the rest of the server asks of log mode: whether the node has caught
 * up since it started (LOADING until then), whether the brokers answer (for `replica-serve-stale-data`),
 * the partitions' offsets and lag (INFO, SLUICE LAG, /metrics), and the positions of writes (SLUICE
 * POSITION and WAIT).
 */

import { randomBytes } from 'node:crypto';
import {
  Bridge,
  type Logger as BridgeLogger,
  type LogLevel as BridgeLogLevel,
  Metrics as BridgeMetrics,
  type GroupProtocol,
  KafkajsSource,
  type KafkaSecurity,
  type LogFields,
  type PartitionOffsets,
  type PartitionStatus,
} from '@sluice/kafka-bridge';
import type { LogEntry } from 'kafkajs';
import type { GroupLog } from '../cluster/group.js';
import { slotsOfPartition } from '../cluster/membership.js';
import { PartitionSweeper } from '../cluster/sweep.js';
import type { LogOps } from '../commands/context.js';
import type { Config } from '../config/index.js';
import type { LogGate } from '../dispatch.js';
import type { WriteBatch } from '../keyspace/batch.js';
import type { Database, Keyspace } from '../keyspace/keyspace.js';
import type { LogLevel } from '../log.js';
import { AppliedOffsets, type Positions } from './applied.js';
import { type FencedRecord, handoffRecord } from './fence.js';
import { partitionOf } from './partitioner.js';
import { encodeCollections, type Partitioner } from './records.js';
import { KafkajsSink, type LogSink } from './sink.js';
import { KeyspaceTarget } from './target.js';
import { dumpOf, isCarried, isCollection } from './values.js';
import { LogWriter } from './writer.js';

export interface LogModeOptions {
  brokers: readonly string[];
  topic: string;
  /** Empty: `sluice-server.<topic>.<node id>`, a group of the node's own. */
  groupId: string;
  clientId: string;
  security: KafkaSecurity;
  /** A write whose records Kafka has not acknowledged within this many ms fails. */
  produceTimeoutMs: number;
  /** How long a fetch waits at the broker for records. */
  fetchMaxWaitMs: number;
  /** Sends of records on their way at once. */
  maxInFlight: number;
  keyspace: Keyspace;
  /** The server's settings (collection encodings; `log-max-record-bytes`, read at each batch). */
  config: Config;
  log: (level: LogLevel, message: string) => void;
  /** Whether a message at `level` would be written (the bridge's debug lines are not built otherwise). */
  logs: (level: LogLevel) => boolean;
  /** Tests: another sink than kafkajs's producer. */
  sink?: LogSink;
  /**
   * Cluster mode: the group's assignment protocol (the cluster's membership and topology), the group's
   * session timeout, and the slot partitioner. The node consumes the partitions the group gives it.
   */
  cluster?: {
    group: GroupProtocol & {
      attach(log: GroupLog): void;
      ownerChanged(partition: number, owner: string): void;
      stop(): void;
    };
    sessionTimeoutMs: number;
    partitioner: Partitioner;
    /** This node's cluster id: the writer its records name, and its handoffs' (fence.ts). */
    nodeId: string;
    /** The error for a write of this node that the fence left out (a MOVED when the owner's address is known). */
    fencedError?: (batch: WriteBatch, partition: number, owner: string) => Error;
  };
}

/** One partition as SLUICE LAG, INFO and /metrics show it. */
export interface PartitionLag {
  partition: number;
  /** Last offset applied here, -1 when none. */
  applied: bigint;
  /** The partition's end as last seen (the offset the next record gets), or null when not known yet. */
  high: bigint | null;
  lagRecords: number | null;
  lagSeconds: number | null;
}

/** Refused start: the data directory holds data that is not this topic's. */
export class LogModeStartError extends Error {
  override readonly name = 'LogModeStartError';
}

const NODE_ID_KEY = Buffer.from('node-id');
const TOPIC_KEY = Buffer.from('log-topic');
/** How often the topic's partition count and ends are read while starting, and afterwards. */
const POLL_MS = 1_000;

export class LogMode implements LogOps, LogGate {
  /** How far this node has applied each partition. */
  readonly offsets = new AppliedOffsets();
  readonly nodeId: string;
  readonly groupId: string;
  readonly db: Database;
  private readonly target: KeyspaceTarget;
  private readonly source: KafkajsSource;
  private readonly bridge: Bridge;
  private readonly sink: LogSink;
  readonly writer: LogWriter;
  /** Partitions of the topic, 0 until known. */
  private partitionCount = 0;
  /** True until every record that was in the topic when the node started has been applied. */
  private catchingUp = true;
  /** The partitions' ends when the node started: LOADING lasts until they are applied. */
  private startEnds: Map<number, bigint> | null = null;
  private readonly poller: NodeJS.Timeout;
  private stopped = false;
  /** Counters for INFO and /metrics. */
  readonly counters = {
    producedRecords: 0,
    failedSends: 0,
    failedWrites: 0,
    /** Batches refused whole for a record above log-max-record-bytes. */
    oversizedRecords: 0,
    /** Records with `sluice-format: dump` whose payload was corrupt: skipped. */
    skippedDumps: 0,
    /** Cluster mode: records left out by the fence (fence.ts), this node's and others'. */
    fencedRecords: 0,
  };
  private lastFailure: string | null = null;
  private readonly partitioner: Partitioner;
  /** Cluster mode: deletes the keys of partitions this node no longer holds. */
  readonly sweeper: PartitionSweeper | null = null;
  /** Cluster mode: the partitions this node applies (primary and standby) in the last plan; null before. */
  private held: ReadonlySet<number> | null = null;

  constructor(private readonly o: LogModeOptions) {
    const keyspace = o.keyspace;
    this.db = keyspace.dbs[0] as Database;
    this.nodeId = nodeIdOf(keyspace);
    checkTopic(keyspace, this.db, o.topic);
    this.groupId =
      o.groupId !== ''
        ? o.groupId
        : o.cluster !== undefined
          ? `sluice-cluster.${o.topic}`
          : `sluice-server.${o.topic}.${this.nodeId}`;
    this.partitioner = o.cluster?.partitioner ?? partitionOf;
    // Cluster mode: LOADING is per slot, while a gained partition is caught up with (cluster/group.ts).
    if (o.cluster !== undefined) this.catchingUp = false;
    const logger = bridgeLogger(o.log, o.logs, {});
    this.target = new KeyspaceTarget(keyspace, this.db, o.topic, this.offsets, {
      values: { keyspace, config: o.config },
      corrupt: (key, partition, offset) => {
        this.counters.skippedDumps++;
        o.log(
          'warning',
          `skipped the record of key '${key.toString('latin1')}' at offset ${offset} of partition ${partition}: its DUMP payload is corrupt (bad checksum or unreadable value)`,
        );
      },
      fenced: (partition, records, owner) => {
        this.counters.fencedRecords += records.length;
        const first = records[0];
        o.log(
          'notice',
          `Cluster: skipped ${records.length} record(s) of partition ${partition} from offset ${first?.offset} (writer ${first?.writer}): the partition's primary is ${owner} since its handoff (fenced)`,
        );
        this.writer.fenced(partition, records, owner);
        if (o.cluster !== undefined && owner === o.cluster.nodeId) this.writeAgain(partition, records);
      },
      handedOff: (partition, owner) => o.cluster?.group.ownerChanged(partition, owner),
    });
    this.source = new KafkajsSource({
      brokers: o.brokers,
      topic: o.topic,
      groupId: this.groupId,
      clientId: o.clientId,
      // The group has this node only: after a crash, its next start waits this long for the dead
      // member to leave before partitions are assigned (6 s is Kafka's group.min.session.timeout.ms).
      // In cluster mode, how long a node that stopped answering keeps its slots (cluster-node-timeout).
      sessionTimeoutMs: o.cluster?.sessionTimeoutMs ?? 6_000,
      metadataMaxAgeMs: 10_000,
      // Small fetches: kafkajs decodes a whole fetch before it hands over any batch of it, and LMDB's
      // writer thread waits meanwhile. A few MiB keep decoding and applying going side by side.
      fetchMaxBytes: 1024 * 1024,
      fetchMaxBytesTotal: 2 * 1024 * 1024,
      fetchMaxWaitMs: o.fetchMaxWaitMs,
      concurrency: 4,
      connectTimeoutMs: 5_000,
      retryInitialMs: 100,
      retryMaxMs: 2_000,
      security: o.security,
      logger,
      ...(o.cluster === undefined ? {} : { protocol: o.cluster.group }),
    });
    if (o.cluster !== undefined) {
      const slots = this.db.slots;
      const target = this.target;
      const log = (message: string): void => o.log('notice', `Cluster: ${message}`);
      const sweeper = new PartitionSweeper({
        keys: (first, last, count) => slots?.keysInSlots(first, last, count) ?? [],
        drop: (partition, keys) => target.drop(partition, keys),
        slotsOf: slotsOfPartition,
        log,
      });
      this.sweeper = sweeper;
      o.cluster.group.attach({
        owner: (partition) => this.target.owner(partition),
        whenApplied: (positions, fn) => this.offsets.whenCovered(positions, fn),
        handoff: (partitions) =>
          this.sink.send(partitions.map((p) => handoffRecord(p, (o.cluster as { nodeId: string }).nodeId))),
        hold: (held, partitions) => {
          this.held = held;
          sweeper.hold(held, partitions);
          for (let p = 0; p < partitions; p++) if (!held.has(p)) this.writer.release(p);
        },
        log,
      });
    }
    this.bridge = new Bridge({
      topic: o.topic,
      keyPrefix: Buffer.alloc(0),
      skipReservedKeys: false,
      // A fetched batch is applied whole, in one LMDB transaction: a record batch Sluice produced (the
      // writes of one MULTI/EXEC in one partition, say) is never split.
      maxBatchRecords: Number.MAX_SAFE_INTEGER,
      // Bounded: kafkajs fetches ahead only this far while LMDB is busy (memory stays bounded).
      maxQueuedRecords: 100_000,
      retryInitialMs: 100,
      retryMaxMs: 2_000,
      commitIntervalMs: 5_000,
      lagIntervalMs: POLL_MS,
      readyMaxLagRecords: 0,
      readyMaxLagSeconds: 0,
      source: this.source,
      target: this.target,
      logger,
      metrics: new BridgeMetrics({ defaultMetrics: false }),
    });
    this.sink =
      o.sink ??
      new KafkajsSink({
        brokers: o.brokers,
        topic: o.topic,
        clientId: o.clientId,
        security: o.security,
        timeoutMs: o.produceTimeoutMs,
        log: kafkajsLog(o.log),
      });
    this.writer = new LogWriter({
      sink: this.sink,
      maxInFlight: o.maxInFlight,
      applied: this.offsets,
      partitions: () => this.partitionCount,
      partitioner: this.partitioner,
      failed: (error, batches) => {
        this.counters.failedSends++;
        this.counters.failedWrites += batches;
        if (this.lastFailure !== error.message) {
          this.lastFailure = error.message;
          o.log('warning', `Kafka did not take ${batches} batch(es) of writes: ${error.message}`);
        }
      },
      close: (batch) => {
        const values = { keyspace, config: o.config };
        const error = encodeCollections(
          batch,
          (record) => dumpOf(values, record),
          isCollection,
          o.config['log-max-record-bytes'],
          isCarried,
        );
        if (error !== null) {
          this.counters.oversizedRecords++;
          o.log('warning', `refused a batch of writes: ${error.message}`);
        }
        return error;
      },
      holds: (partition) => this.held === null || this.held.has(partition),
      ...(o.cluster === undefined
        ? {}
        : {
            writer: o.cluster.nodeId,
            ...(o.cluster.fencedError === undefined ? {} : { fencedError: o.cluster.fencedError }),
          }),
      applyOwn: (partition, records, base, last) =>
        this.target.applyOwn(partition, records, base, last, Date.now()),
      produced: (records) => {
        this.counters.producedRecords += records;
        if (this.lastFailure !== null) {
          this.lastFailure = null;
          o.log('notice', 'Kafka takes writes again');
        }
      },
    });
    keyspace.useLog(this.writer);
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  /**
   * Cluster mode, on the partition's owner: the keys of fenced records get their state produced again
   * (a record of this node, a DUMP record for a collection, a tombstone when absent), once the
   * transaction that skipped them has committed, so that each key's latest record is a valid one again:
   * a compacted topic, which keeps only a key's latest record, would otherwise keep the skipped one.
   */
  private writeAgain(partition: number, records: readonly FencedRecord[]): void {
    const last = records[records.length - 1]?.offset ?? -1n;
    const keys = new Set(records.map((r) => r.key.toString('latin1')));
    // In a turn of its own, as a command's: not inside the apply loop's commit callback.
    const rewrite = (): void => {
      if (this.stopped || (this.held !== null && !this.held.has(partition))) return;
      try {
        for (const name of keys) {
          const key = Buffer.from(name, 'latin1');
          const record = this.db.get(key, 0, key.length, Date.now());
          if (record === undefined) {
            this.db.deleteQuietly(key, 0, key.length);
            continue;
          }
          // lmdb-js's shared read buffer: its own `length` is the record's; copy that much.
          this.db.putQuietly(key, 0, key.length, Buffer.from(record.subarray(0, record.length)));
        }
      } catch (err) {
        this.o.log(
          'warning',
          `Cluster: could not write again the keys of fenced records: ${(err as Error).message}`,
        );
      }
    };
    this.offsets.whenCovered(new Map([[partition, last]]), () => setImmediate(rewrite));
  }

  /** Starts consuming (in the background: the brokers may be unreachable for now). */
  start(): void {
    this.bridge.start();
    void this.poll();
  }

  get topic(): string {
    return this.o.topic;
  }

  whenApplied(positions: Positions, fn: () => void): () => void {
    return this.offsets.whenCovered(positions, fn);
  }

  applied(positions: Positions): boolean {
    return this.offsets.covers(positions);
  }

  /** Whether the node still applies what the topic held when it started: data commands get LOADING. */
  get loading(): boolean {
    return this.catchingUp;
  }

  /** Whether the brokers answer the consumer now. */
  get connected(): boolean {
    return this.bridge.health().kafka === 'connected';
  }

  /** Partitions of the topic, 0 until known. */
  get partitions(): number {
    return this.partitionCount;
  }

  /** The partition of `key`, or -1 while the partition count is not known. */
  partitionOf(key: Buffer): number {
    return this.partitionCount === 0 ? -1 : this.partitioner(key, this.partitionCount);
  }

  /** Every partition with what is known of it. */
  lag(): PartitionLag[] {
    const statuses = new Map<number, PartitionStatus>(
      this.bridge.readiness().partitions.map((s) => [s.partition, s]),
    );
    const out: PartitionLag[] = [];
    for (let p = 0; p < Math.max(this.partitionCount, statuses.size); p++) {
      const s = statuses.get(p);
      const applied = this.offsets.get(p);
      const high = s?.highWatermark == null ? null : BigInt(s.highWatermark);
      out.push({
        partition: p,
        applied,
        high,
        lagRecords: high === null ? null : Math.max(0, Number(high - 1n - applied)),
        lagSeconds: s?.lagSeconds ?? null,
      });
    }
    return out;
  }

  /** Where the node is now: every partition's applied offset (a token for `SLUICE WAIT`). */
  position(): Positions {
    return this.offsets.snapshot();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.poller);
    this.o.cluster?.group.stop();
    this.writer.stop(new Error('the server is shutting down'));
    await this.bridge.stop();
    await this.sink.close();
  }

  /** Reads the topic's partitions and their ends: the partition count, and until caught up, LOADING. */
  private async poll(): Promise<void> {
    if (this.stopped) return;
    let offsets: PartitionOffsets[];
    try {
      offsets = await this.source.partitionOffsets();
    } catch {
      return; // the bridge reports the brokers' state; try again at the next poll
    }
    if (offsets.length === 0) return;
    if (offsets.length !== this.partitionCount) {
      if (this.partitionCount !== 0) {
        this.o.log(
          'warning',
          `topic ${this.o.topic} now has ${offsets.length} partitions (was ${this.partitionCount}): keys written from now on may go to another partition than their earlier records`,
        );
      }
      this.partitionCount = offsets.length;
      for (const { partition } of offsets) {
        const stored = this.target.stored(partition);
        if (stored !== null) this.offsets.advance(partition, stored);
      }
    }
    if (this.startEnds === null && this.catchingUp) {
      // What the topic held when the node started: everything before these ends must be applied before
      // the node answers data commands, so it never says "missing" of a key the topic had.
      this.startEnds = new Map(offsets.filter((o) => o.high > o.low).map((o) => [o.partition, o.high - 1n]));
      this.offsets.whenCovered(this.startEnds, () => {
        this.catchingUp = false;
        this.o.log('notice', `Caught up with topic ${this.o.topic}: serving data commands`);
      });
    }
  }
}

/** The node's id: random on first start, kept in the data directory. */
function nodeIdOf(keyspace: Keyspace): string {
  const stored = keyspace.readMeta(NODE_ID_KEY);
  if (stored !== undefined) return stored.toString('latin1');
  const id = randomBytes(10).toString('hex');
  keyspace.writeMeta(NODE_ID_KEY, Buffer.from(id, 'latin1'));
  return id;
}

/**
 * A data directory serves one topic: one that materialized another topic, or holds keys written outside
 * log mode (which the topic does not have), is refused rather than mixed in.
 */
function checkTopic(keyspace: Keyspace, db: Database, topic: string): void {
  const stored = keyspace.readMeta(TOPIC_KEY)?.toString('utf8');
  if (stored === topic) return;
  if (stored !== undefined) {
    throw new LogModeStartError(
      `the data directory holds topic ${stored}, not ${topic}: start with an empty --dir for another topic`,
    );
  }
  if (db.size() > 0) {
    throw new LogModeStartError(
      `the data directory holds keys written outside log mode, which topic ${topic} does not have: start log mode with an empty --dir`,
    );
  }
  keyspace.writeMeta(TOPIC_KEY, Buffer.from(topic, 'utf8'));
}

const LEVELS: Record<BridgeLogLevel, LogLevel> = {
  debug: 'debug',
  info: 'verbose',
  warn: 'warning',
  error: 'warning',
};

/** The bridge's structured logger, writing through the server's log as `message key=value …`. */
function bridgeLogger(
  log: (level: LogLevel, message: string) => void,
  logs: (level: LogLevel) => boolean,
  base: LogFields,
): BridgeLogger {
  const write = (at: BridgeLogLevel, msg: string, fields?: LogFields): void => {
    if (!logs(LEVELS[at])) return;
    const all = { ...base, ...fields };
    const text = Object.entries(all)
      .map(
        ([k, v]) =>
          `${k}=${v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v, bigints)}`,
      )
      .join(' ');
    log(LEVELS[at], `Kafka: ${msg}${text === '' ? '' : ` (${text})`}`);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    enabled: (at) => logs(LEVELS[at]),
    child: (fields) => bridgeLogger(log, logs, { ...base, ...fields }),
  };
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** kafkajs's log lines from the producer: its warnings and errors, at most one per message every 30 s. */
export function kafkajsLog(log: (level: LogLevel, message: string) => void): (entry: LogEntry) => void {
  const lastSeen = new Map<string, number>();
  return ({ namespace, log: { message } }) => {
    const key = `${namespace}:${message}`;
    const now = Date.now();
    if ((lastSeen.get(key) ?? 0) > now - 30_000) return;
    lastSeen.set(key, now);
    if (lastSeen.size > 1000) lastSeen.clear();
    log('verbose', `Kafka producer: ${message} (${namespace})`);
  };
}
