/**
 * `KafkaSource` with kafkajs: a group consumer of one topic with `eachBatch`, no automatic offset
 * resolution or commits (the bridge decides when a batch is done), and an admin client for the
 * partitions' offset ranges. Everything kafkajs-specific stays in this file.
 */

import type {
  Admin,
  Assigner,
  Batch,
  Cluster,
  Consumer,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  LogEntry,
  PartitionAssigner,
} from 'kafkajs';
import kafkajs from 'kafkajs';
import { Backoff, sleep } from '../backoff.js';
import type { Logger } from '../log.js';
import { type KafkaSecurity, kafkajsSecurity } from './security.js';
import type { KafkaSource, PartitionOffsets, SourceBatch, SourceHandlers } from './source.js';

const { Kafka: KafkaClient, logLevel: LogLevel, AssignerProtocol } = kafkajs;

export interface KafkajsSourceOptions {
  brokers: readonly string[];
  topic: string;
  groupId: string;
  clientId: string;
  sessionTimeoutMs: number;
  metadataMaxAgeMs: number;
  fetchMaxBytes: number;
  /** The most bytes of one fetch over all partitions (default: the larger of 50 MiB and `fetchMaxBytes` × `concurrency`). */
  fetchMaxBytesTotal?: number;
  fetchMaxWaitMs: number;
  /** Partitions handed to `onBatch` at the same time. */
  concurrency: number;
  connectTimeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** TLS and SASL with the brokers. */
  security: KafkaSecurity;
  logger: Logger;
  /** The group's own assignment protocol (default: kafkajs's round robin). */
  protocol?: GroupProtocol;
}

/** A member of the group as the leader sees it: its id and the metadata it joined with. */
export interface GroupMember {
  memberId: string;
  userData: Buffer;
}

/** What the leader gives a member: its partitions, and data of the protocol's own. */
export interface GroupAssignment {
  memberId: string;
  partitions: number[];
  userData: Buffer;
}

/**
 * A partition assignment protocol of the application's: each member joins with `metadata()`, the leader
 * decides with `assign`, and every member hears its assignment's userData in `assigned` (before the bridge
 * learns its partitions).
 */
export interface GroupProtocol {
  readonly name: string;
  metadata(): Buffer;
  assign(members: readonly GroupMember[], partitions: number): GroupAssignment[];
  assigned(userData: Buffer | null, partitions: readonly number[]): void;
  /**
   * The group's coordinator confirmed this member, and so the assignment it last heard, as of `sentAt`
   * (ms since the epoch): when a heartbeat sent then succeeded, and when the join sent then gave it its
   * assignment (called after `assigned`).
   */
  confirmed?(sentAt: number): void;
  /**
   * This member may have left the group, or be about to: its consumer crashed (kafkajs then leaves the
   * group, and rejoins as a new member when it restarts). The next join's `confirmed` tells it is back.
   */
  left?(): void;
  /**
   * The group, to act on it (called each time a consumer is made, before it joins): the protocol may ask
   * the coordinator to remove a member it knows is gone, instead of waiting for its session to time out.
   */
  control?(group: GroupControl): void;
}

/** What a group protocol may do to its group. */
export interface GroupControl {
  /**
   * Asks the group's coordinator to remove member `memberId` (a LeaveGroup request on its behalf): the
   * group rebalances at once. Rejects when the coordinator cannot be reached or no longer knows the member.
   */
  removeMember(memberId: string): Promise<void>;
}

/** kafkajs's batch has the offset it was fetched from, but its type does not say so. */
type FetchedBatch = Batch & { fetchedOffset?: string };

export class KafkajsSource implements KafkaSource {
  readonly #options: KafkajsSourceOptions;
  readonly #kafka: Kafka;
  readonly #logger: Logger;
  #consumer: Consumer | undefined;
  #admin: Admin | undefined;
  #adminConnected: Promise<void> | undefined;
  #handlers: SourceHandlers | undefined;
  readonly #stopping = new AbortController();
  /** The loop that (re)starts the consumer; settles when stopped. */
  #supervisor: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** When each kafkajs log message was last written, to keep outages from flooding the log. */
  readonly #lastSeen = new Map<string, number>();

  constructor(options: KafkajsSourceOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'kafka' });
    this.#kafka = new KafkaClient({
      ...kafkajsSecurity(options.security),
      clientId: options.clientId,
      brokers: [...options.brokers],
      connectionTimeout: options.connectTimeoutMs,
      retry: { initialRetryTime: options.retryInitialMs, maxRetryTime: options.retryMaxMs, retries: 5 },
      // kafkajs's debug output (every request) only when the bridge logs at debug level itself.
      logLevel: options.logger.enabled('debug') ? LogLevel.DEBUG : LogLevel.INFO,
      logCreator: () => this.#logEntry,
    });
  }

  start(handlers: SourceHandlers): Promise<void> {
    this.#handlers = handlers;
    return new Promise((resolve) => {
      this.#supervisor = this.#supervise(resolve);
    });
  }

  seek(partition: number, offset: bigint): void {
    const consumer = this.#consumer;
    if (consumer === undefined) return;
    try {
      consumer.seek({ topic: this.#options.topic, partition, offset: offset.toString() });
    } catch (err) {
      // Not running (between restarts): the next assignment makes the bridge position the partition anew.
      this.#logger.debug('seek while the consumer is not running', { partition, error: err });
    }
  }

  async partitionOffsets(): Promise<PartitionOffsets[]> {
    const admin = await this.#connectedAdmin();
    try {
      const offsets = await admin.fetchTopicOffsets(this.#options.topic);
      return offsets
        .map(({ partition, low, high }) => ({ partition, low: BigInt(low), high: BigInt(high) }))
        .sort((a, b) => a.partition - b.partition);
    } catch (err) {
      // Reconnect next time: kafkajs's admin does not always recover by itself after an outage.
      this.#adminConnected = undefined;
      await admin.disconnect().catch(() => {});
      throw err;
    }
  }

  async commit(offsets: ReadonlyArray<{ partition: number; offset: bigint }>): Promise<void> {
    const consumer = this.#consumer;
    if (consumer === undefined || offsets.length === 0) return;
    await consumer.commitOffsets(
      offsets.map(({ partition, offset }) => ({
        topic: this.#options.topic,
        partition,
        offset: offset.toString(),
      })),
    );
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#wake?.();
    await this.#consumer?.disconnect().catch(() => {});
    await this.#supervisor;
    if (this.#adminConnected !== undefined) await this.#admin?.disconnect().catch(() => {});
  }

  /** Start the consumer; start it again (new instance) whenever kafkajs gives up on it. */
  async #supervise(started: () => void): Promise<void> {
    const backoff = new Backoff(this.#options.retryInitialMs, this.#options.retryMaxMs);
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      const consumer = this.#createConsumer();
      this.#consumer = consumer;
      const crashed = new Promise<void>((resolve) => {
        this.#wake = resolve;
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          this.#options.protocol?.left?.();
          this.#handlers?.onConnection(false, payload.error);
          // kafkajs restarts the consumer itself after retriable errors; after the others we do.
          if (!payload.restart) resolve();
        });
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: this.#options.topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.#options.concurrency,
          eachBatch: (payload) => this.#eachBatch(payload),
        });
        backoff.reset();
        started();
        await crashed;
        if (signal.aborted) break;
        this.#logger.warn('consumer stopped after an error; starting a new one');
      } catch (err) {
        if (signal.aborted) break;
        this.#handlers?.onConnection(false, err);
        this.#logger.warn('could not start the consumer; retrying', { error: err });
      }
      await consumer.disconnect().catch(() => {});
      await sleep(backoff.next(), signal);
    }
    started();
  }

  #createConsumer(): Consumer {
    const o = this.#options;
    const consumer = this.#kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(o.sessionTimeoutMs / 10)),
      rebalanceTimeout: Math.max(o.sessionTimeoutMs, 10_000),
      metadataMaxAge: o.metadataMaxAgeMs,
      maxBytesPerPartition: o.fetchMaxBytes,
      maxBytes: o.fetchMaxBytesTotal ?? Math.max(o.fetchMaxBytes * o.concurrency, 50 * 1024 * 1024),
      maxWaitTimeInMs: o.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
      ...(o.protocol === undefined
        ? {}
        : { partitionAssigners: [assignerOf(o.topic, o.groupId, o.protocol)] }),
      retry: {
        initialRetryTime: o.retryInitialMs,
        maxRetryTime: o.retryMaxMs,
        retries: 5,
        restartOnFailure: async () => true,
      },
    });
    // When the last heartbeat, join and sync were sent: kafkajs's request event comes as the answer
    // arrives, before the heartbeat or join event of a request that succeeded. After a join and sync
    // that succeeded the group's session counts from the sync, sent after the join.
    let heartbeatSent = 0;
    let joinSent = 0;
    let syncSent = 0;
    if (o.protocol?.confirmed !== undefined) {
      consumer.on(consumer.events.REQUEST, ({ payload }) => {
        if (payload.apiName === 'Heartbeat') heartbeatSent = payload.sentAt;
        else if (payload.apiName === 'JoinGroup') joinSent = payload.sentAt;
        else if (payload.apiName === 'SyncGroup') syncSent = payload.sentAt;
      });
      consumer.on(consumer.events.HEARTBEAT, () => o.protocol?.confirmed?.(heartbeatSent));
    }
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#handlers?.onConnection(true);
      const partitions = payload.memberAssignment[o.topic] ?? [];
      // memberUserData: added by Sluice's patch of kafkajs (patches/kafkajs@2.2.4.patch).
      const userData = (payload as { memberUserData?: Buffer | null }).memberUserData ?? null;
      o.protocol?.assigned(userData, partitions);
      o.protocol?.confirmed?.(Math.max(joinSent, syncSent));
      this.#handlers?.onAssigned(partitions);
    });
    consumer.on(consumer.events.CONNECT, () => this.#handlers?.onConnection(true));
    return consumer;
  }

  async #eachBatch({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    const handlers = this.#handlers;
    if (handlers === undefined) return;
    const fetched = (batch as FetchedBatch).fetchedOffset;
    const { messages } = batch;
    const offsetOf = (index: number): bigint => BigInt((messages[index] as KafkaMessage).offset);
    const lastOffset = batch.lastOffset();
    const sourceBatch: SourceBatch = {
      partition: batch.partition,
      fetchedOffset: BigInt(fetched ?? messages[0]?.offset ?? lastOffset),
      // kafkajs's message objects have `key` and `value` as Buffers (or null): handed over as they are.
      records: messages,
      offsetOf,
      lastOffset: BigInt(lastOffset),
      highWatermark: BigInt(batch.highWatermark),
      isStale,
      heartbeat,
    };
    const done = await handlers.onBatch(sourceBatch);
    // Only a batch the bridge is done with moves the read position; otherwise it is fetched again.
    if (done && !isStale()) resolveOffset(lastOffset);
  }

  #connectedAdmin(): Promise<Admin> {
    if (this.#admin === undefined) {
      this.#admin = this.#kafka.admin({
        retry: { initialRetryTime: this.#options.retryInitialMs, maxRetryTime: 1_000, retries: 2 },
      });
    }
    const admin = this.#admin;
    this.#adminConnected ??= admin.connect().catch((err: unknown) => {
      this.#adminConnected = undefined;
      throw err;
    });
    return this.#adminConnected.then(() => admin);
  }

  /** kafkajs's own log lines, in our format; its INFO chatter goes to debug. */
  #logEntry = ({ level, namespace, log }: LogEntry): void => {
    const { message, timestamp: _t, logger: _l, ...fields } = log;
    const at = level <= LogLevel.WARN ? 'warn' : 'debug';
    if (!this.#logger.enabled(at)) return;
    const key = `${namespace}:${message}`;
    const now = Date.now();
    // Outages make kafkajs repeat its warnings at every retry; one line per message every 30 s is enough.
    if (level <= LogLevel.WARN && (this.#lastSeen.get(key) ?? 0) > now - 30_000) return;
    this.#lastSeen.set(key, now);
    if (this.#lastSeen.size > 1000) this.#lastSeen.clear();
    this.#logger[at](message, { kafkajs: namespace, ...pick(fields) });
  };
}

/** A kafkajs partition assigner that hands the decisions to `protocol`. */
function assignerOf(topic: string, groupId: string, protocol: GroupProtocol): PartitionAssigner {
  return ({ cluster }) => {
    protocol.control?.({
      removeMember: async (memberId) => {
        // kafkajs's Broker has leaveGroup, but its type does not say so.
        const coordinator = (await cluster.findGroupCoordinator({ groupId })) as unknown as {
          leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
        };
        await coordinator.leaveGroup({ groupId, memberId });
      },
    });
    return assigner(topic, protocol, cluster);
  };
}

function assigner(topic: string, protocol: GroupProtocol, cluster: Cluster): Assigner {
  return {
    name: protocol.name,
    version: 1,
    protocol: ({ topics }) => ({
      name: protocol.name,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: protocol.metadata(),
      }),
    }),
    assign: async ({ members }) => {
      const partitions = cluster.findTopicPartitionMetadata(topic).length;
      const decoded = members.map(({ memberId, memberMetadata }) => ({
        memberId,
        userData: AssignerProtocol.MemberMetadata.decode(memberMetadata)?.userData ?? Buffer.alloc(0),
      }));
      return protocol.assign(decoded, partitions).map(({ memberId, partitions, userData }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: { [topic]: partitions },
          userData,
        }),
      }));
    },
  };
}

/** The fields of a kafkajs log entry worth keeping (stack traces and the like dropped). */
function pick(fields: Record<string, unknown>): Record<string, unknown> {
  const { stack: _stack, ...rest } = fields;
  return rest;
}
