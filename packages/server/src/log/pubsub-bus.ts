/**
 * Pub/Sub across nodes (log mode and cluster mode): what a client PUBLISHes on one node reaches the
 * subscribers of every node of the topic, as a PUBLISH reaches every node of a Redis Cluster.
 *
 * Messages travel through a topic of their own (`kafka-pubsub-topic`, by default `<kafka-topic>.pubsub`),
 * never through the data topic: they are not data, the sidecar bridge must not apply them, and in cluster
 * mode each node consumes only its own partitions of the data topic while every node needs every message.
 * The node that took the PUBLISH delivers to its own subscribers at once (its reply counts them, as a
 * Redis Cluster node's reply does) and sends the message on; every other node delivers it when it reads
 * it back. A record carries the channel as its key, the message as its value and the sending node's id in
 * the `sluice-node` header, so a node skips its own messages.
 *
 * Delivery is at most once, as Pub/Sub is: each node reads from the topic's end as it was when it joined
 * (its consumer group is its own and never commits an offset), so a node that restarts does not replay
 * old messages, and messages sent while the brokers are unreachable are dropped (counted). Messages wait
 * for the next turn of the event loop and go in one send; at most MAX_QUEUED wait at once.
 *
 * SPUBLISH goes through the topic too in log mode (every node holds every slot, as a shard's replicas
 * receive its shard messages in Redis), but stays on the node in cluster mode: the channel's slot owner
 * took it, and shard subscribers subscribe there (clients follow MOVED for shard channels).
 */

import { type KafkaSecurity, kafkajsSecurity } from '@sluice/kafka-bridge';
import kafkajs, { type Consumer, type Kafka, type LogEntry, type Producer } from 'kafkajs';

const { Kafka: KafkaClient, logLevel: LogLevel, Partitioners } = kafkajs;

/** The header naming the node a message came from. */
export const NODE_HEADER = 'sluice-node';
/** The header marking a shard message (SPUBLISH). */
export const SHARD_HEADER = 'sluice-shard';
/** Messages waiting to be sent, at most; more are dropped (counted) until a send goes through. */
const MAX_QUEUED = 10_000;
/** How long a shutdown waits for the consumer and producer to leave. */
const STOP_MS = 2_000;

export interface PubsubBusOptions {
  brokers: readonly string[];
  topic: string;
  /** This node's id (the data topic's node id): the messages it sent are skipped when read back. */
  nodeId: string;
  clientId: string;
  security: KafkaSecurity;
  /** Cluster mode: shard messages stay on the node. */
  cluster: boolean;
  /** Delivers a message read from the topic to this node's subscribers. */
  deliver: (channel: Buffer, message: Buffer, shard: boolean) => void;
  log: (level: 'warning' | 'notice', message: string) => void;
  /** kafkajs's own log lines. */
  kafkaLog: (entry: LogEntry) => void;
}

interface Outgoing {
  key: Buffer;
  value: Buffer;
  headers: Record<string, string>;
}

export class PubsubBus {
  /** For INFO and /metrics. */
  readonly counters = { sent: 0, received: 0, dropped: 0 };
  /** True once this node reads the topic (its consumer has its partitions). */
  ready = false;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private queue: Outgoing[] = [];
  private flushing = false;
  private scheduled = false;
  private connected: Promise<void> | null = null;
  private stopped = false;
  private lastFailure: string | null = null;

  constructor(private readonly o: PubsubBusOptions) {
    this.kafka = new KafkaClient({
      ...kafkajsSecurity(o.security),
      clientId: o.clientId,
      brokers: [...o.brokers],
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
      logLevel: LogLevel.WARN,
      logCreator: () => o.kafkaLog,
    });
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.consumer = this.kafka.consumer({
      groupId: `sluice-pubsub.${o.topic}.${o.nodeId}`,
      sessionTimeout: 6_000,
      // Not shorter: every node polls the brokers this often, and on the mock cluster 50 ms delayed the
      // data topic's produce requests enough to time some out (kafka-cluster's INCR test).
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: true,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.ready = true;
    });
  }

  get topic(): string {
    return this.o.topic;
  }

  /** Connects and starts reading; failures are retried by kafkajs, and logged. */
  start(): void {
    this.connected = (async () => {
      await this.producer.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topic: this.o.topic, fromBeginning: false });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) this.received(m.key, m.value, m.headers);
        },
      });
    })();
    this.connected.catch((err: unknown) => {
      if (!this.stopped) this.o.log('warning', `Pub/Sub across nodes is off: ${(err as Error).message}`);
    });
  }

  /** Sends a message PUBLISHed (or SPUBLISHed) on this node to the other nodes. */
  forward(channel: Buffer, message: Buffer, shard: boolean): void {
    if (this.stopped || (shard && this.o.cluster)) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.counters.dropped++;
      return;
    }
    const headers: Record<string, string> = { [NODE_HEADER]: this.o.nodeId };
    if (shard) headers[SHARD_HEADER] = '1';
    // The command's arguments may be views of a reused buffer: copy them.
    this.queue.push({ key: Buffer.from(channel), value: Buffer.from(message), headers });
    if (!this.scheduled && !this.flushing) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  /** Stops sending and reading; waits at most STOP_MS for kafkajs to leave (brokers may be gone). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    const left = Promise.all([
      this.consumer.disconnect().catch(() => {}),
      this.producer.disconnect().catch(() => {}),
    ]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([left, new Promise((resolve) => (timer = setTimeout(resolve, STOP_MS)))]);
    clearTimeout(timer);
  }

  /** Sends what is queued, one send at a time (messages keep their order). */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const messages = this.queue;
        this.queue = [];
        try {
          await this.connected;
          await this.producer.send({ topic: this.o.topic, acks: 1, messages });
          this.counters.sent += messages.length;
          if (this.lastFailure !== null) {
            this.lastFailure = null;
            this.o.log('notice', 'Pub/Sub across nodes: messages reach the other nodes again');
          }
        } catch (err) {
          this.counters.dropped += messages.length;
          const reason = (err as Error).message ?? String(err);
          if (this.lastFailure !== reason) {
            this.lastFailure = reason;
            this.o.log('warning', `Pub/Sub across nodes: ${messages.length} message(s) dropped: ${reason}`);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private received(
    key: Buffer | null,
    value: Buffer | null,
    headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
  ): void {
    const from = headers?.[NODE_HEADER];
    if (from !== undefined && String(from) === this.o.nodeId) return; // delivered when it was published
    this.counters.received++;
    const shard = headers?.[SHARD_HEADER] !== undefined;
    if (shard && this.o.cluster) return;
    this.o.deliver(key ?? Buffer.alloc(0), value ?? Buffer.alloc(0), shard);
  }
}
