/**
 * Writing test data to the topic with two independent clients: kcat (librdkafka, the testkit's
 * `produceWithKcat`) and kafkajs. Both partition by murmur2 of the key, as Java clients do, so a key
 * lands in the same partition whichever client wrote it, and records of one key keep the order they
 * were produced in.
 */

import type { TestRecord } from '@sluice/testkit';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** Produce with kafkajs, in order, 500 records per request. */
export async function produceWithKafkajs(
  bootstrap: string,
  topic: string,
  records: readonly TestRecord[],
): Promise<void> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  // One request in flight, each awaited: records keep their order. (The idempotent producer needs an
  // InitProducerId the mock cluster does not give kafkajs.)
  const producer = kafka.producer({ maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 500) {
      await producer.send({
        topic,
        messages: records.slice(i, i + 500).map((r) => ({ key: r.key, value: r.value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A small deterministic random generator (mulberry32), so failures can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface WorkloadOptions {
  records: number;
  /** Distinct keys: fewer keys, more updates per key. */
  keys: number;
  /** Share of records that are tombstones. */
  tombstones: number;
  seed: number;
  /** Distinguishes the values of several workloads on one topic. */
  tag?: string;
  /** Length of each value (at least long enough for the tag and a counter). */
  valueBytes?: number;
}

/** Keyed records with updates and tombstones, deterministic for a seed. */
export function workload(options: WorkloadOptions): TestRecord[] {
  const next = random(options.seed);
  const tag = options.tag ?? `s${options.seed}`;
  const records: TestRecord[] = [];
  for (let i = 0; i < options.records; i++) {
    const key = `key-${Math.floor(next() * options.keys)}`;
    if (next() < options.tombstones) {
      records.push({ key, value: null });
    } else {
      const value = `${tag}-${i}`;
      records.push({
        key,
        value: options.valueBytes === undefined ? value : value.padEnd(options.valueBytes, '.'),
      });
    }
  }
  return records;
}

/**
 * The state the topic describes: for each key, the value of its last record, absent after a tombstone.
 * Records without a key are left out (the bridge skips them). Computed from what was produced, in order.
 */
export function expectedState(...batches: readonly (readonly TestRecord[])[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const records of batches) {
    for (const { key, value } of records) {
      // Records without a key, and keys in the bridge's reserved namespace, are skipped by design.
      if (key === null || key.startsWith('__sluice_bridge:')) continue;
      if (value === null) state.delete(key);
      else state.set(key, value);
    }
  }
  return state;
}

export { produceWithKcat, type TestRecord } from '@sluice/testkit';
