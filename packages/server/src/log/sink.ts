/**
 * Producing records to the topic: kafkajs's idempotent producer, `acks=all`, up to 5 sends on their way
 * (the writer's limit, which the idempotent producer keeps in order per partition). A send that fails or takes longer than
 * `timeoutMs` is reported as failed; since the broker may still have taken it, the producer is replaced
 * by a new one (a new producer id), so that its sequence numbers are never reused for other records.
 */

import { type KafkaSecurity, kafkajsSecurity } from '@sluice/kafka-bridge';
import kafkajs, { type Kafka, type LogEntry, type Producer } from 'kafkajs';
import type { OutgoingRecord } from './records.js';

const { Kafka: KafkaClient, logLevel: LogLevel, Partitioners } = kafkajs;

/** Where produced records go: partition → offset of the last record sent there, once acknowledged. */
export interface LogSink {
  send(records: readonly OutgoingRecord[]): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

export interface KafkajsSinkOptions {
  brokers: readonly string[];
  topic: string;
  clientId: string;
  security: KafkaSecurity;
  /** A send not acknowledged within this many ms fails. */
  timeoutMs: number;
  /** kafkajs's own log lines (warnings and errors). */
  log: (entry: LogEntry) => void;
}

/** The send did not get its acknowledgement. */
export class ProduceError extends Error {
  override readonly name = 'ProduceError';
}

export class KafkajsSink implements LogSink {
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | null = null;
  private closed = false;

  constructor(private readonly options: KafkajsSinkOptions) {
    const timeout = options.timeoutMs;
    this.kafka = new KafkaClient({
      ...kafkajsSecurity(options.security),
      clientId: options.clientId,
      brokers: [...options.brokers],
      // Bounded: a broker that refuses connections or does not answer fails the send well within timeoutMs.
      connectionTimeout: Math.min(1_000, timeout),
      requestTimeout: Math.max(100, Math.min(timeout, 30_000)),
      retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 },
      logLevel: LogLevel.WARN,
      logCreator: () => options.log,
    });
  }

  async send(records: readonly OutgoingRecord[]): Promise<Map<number, bigint>> {
    if (this.closed) throw new ProduceError('the server is shutting down');
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
    const attempt = this.producer ?? this.connect();
    this.producer = attempt;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProduceError(`no acknowledgement within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      const sent = (async () => {
        const producer = await attempt;
        return producer.send({
          topic: this.options.topic,
          acks: -1,
          timeout: this.options.timeoutMs,
          messages: records.map((r) => ({
            key: r.key,
            value: r.value,
            partition: r.partition,
            headers: r.headers,
          })),
        });
      })();
      sent.catch(() => {}); // the deadline may have won: its rejection is not news
      const metadata = await Promise.race([sent, deadline]);
      const positions = new Map<number, bigint>();
      for (const m of metadata) {
        const count = counts.get(m.partition);
        if (count === undefined) continue;
        const base = BigInt(m.baseOffset ?? '-1');
        // kafkajs reports -1 for a batch the broker took as a duplicate of one already written: its
        // records may be others than ours. Never acknowledge on that.
        if (m.errorCode !== 0 || base < 0n) {
          throw new ProduceError(`partition ${m.partition} answered error ${m.errorCode}, offset ${base}`);
        }
        positions.set(m.partition, base + BigInt(count) - 1n);
      }
      for (const partition of counts.keys()) {
        if (!positions.has(partition))
          throw new ProduceError(`no acknowledgement for partition ${partition}`);
      }
      return positions;
    } catch (err) {
      this.discard(attempt);
      throw err instanceof ProduceError ? err : new ProduceError(describe(err), { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const producer = this.producer;
    this.producer = null;
    if (producer !== null) await producer.then((p) => p.disconnect()).catch(() => {});
  }

  private async connect(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      // The writer keeps up to 5 sends on their way; the idempotent producer keeps them in order.
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      // Every record names its partition (records.ts); this only keeps kafkajs from warning about defaults.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 },
    });
    await producer.connect();
    return producer;
  }

  /** After a failed send: a new producer (and producer id) for the next one; this one is closed. */
  private discard(attempt: Promise<Producer>): void {
    if (this.producer === attempt) this.producer = null;
    attempt.then((p) => p.disconnect()).catch(() => {});
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== err.message
    ? `${err.message} (${cause.message})`
    : err.message;
}
