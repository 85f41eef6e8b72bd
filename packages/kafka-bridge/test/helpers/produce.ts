/**
 * Writing test data to the topic with two independent clients: kcat (librdkafka) and kafkajs. Both
 * partition by murmur2 of the key, as Java clients do, so a key lands in the same partition whichever
 * client wrote it, and records of one key keep the order they were produced in.
 */

import { spawn } from 'node:child_process';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** A record to produce. `key: null`: no key; `value: null`: a tombstone. */
export interface TestRecord {
  key: string | null;
  value: string | null;
}

/**
 * Produce with kcat, one record per line `key<TAB>value`; `-Z` makes an empty key or value a null one.
 * Keys and values must not contain tabs or newlines, and must not be empty (empty means null here).
 */
export async function produceWithKcat(
  bootstrap: string,
  topic: string,
  records: readonly TestRecord[],
): Promise<void> {
  const input = records.map((r) => `${r.key ?? ''}\t${r.value ?? ''}\n`).join('');
  const args = [
    '-P',
    '-b',
    bootstrap,
    '-t',
    topic,
    '-K',
    '\t',
    '-Z',
    '-X',
    'partitioner=murmur2_random',
    '-X',
    'enable.idempotence=true',
    '-X',
    'linger.ms=5',
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`kcat -P exited with ${code}: ${stderr}`));
    });
    child.stdin.end(input);
  });
}

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
