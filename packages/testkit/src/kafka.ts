/**
 * A Kafka cluster on loopback for tests: librdkafka's mock cluster (`rdkafka_mock.h`), a real
 * Kafka-protocol broker, through the small C program `kafka/mock-broker.c` of this package. It is
 * compiled on first use into a temporary directory, keyed by the source's hash so an edited source is
 * rebuilt; no binary is ever kept in the repository. It needs a C compiler and librdkafka's headers
 * (Debian's `gcc` and `librdkafka-dev`).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { run } from './tools.js';

/** The mock broker's C source (packages/testkit/kafka/mock-broker.c). */
export const MOCK_BROKER_SOURCE = fileURLToPath(new URL('../kafka/mock-broker.c', import.meta.url));

let built: Promise<string> | undefined;

/** The path of the compiled mock broker, compiling it with `cc … -lrdkafka` if needed. */
export function buildMockBroker(): Promise<string> {
  built ??= (async () => {
    const source = readFileSync(MOCK_BROKER_SOURCE);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const dir = join(tmpdir(), `sluice-mock-broker-${hash}`);
    const binary = join(dir, 'mock-broker');
    if (existsSync(binary)) return binary;
    mkdirSync(dir, { recursive: true });
    const partial = `${binary}.${process.pid}`;
    const cc = process.env.CC ?? 'cc';
    const result = await run(cc, ['-O2', '-Wall', '-o', partial, MOCK_BROKER_SOURCE, '-lrdkafka'], {
      timeoutMs: 120_000,
    });
    if (result.code !== 0) {
      throw new Error(
        `compiling the mock broker failed (needs a C compiler and librdkafka-dev):\n${result.stderr}${result.stdout}`,
      );
    }
    renameSync(partial, binary);
    return binary;
  })();
  return built;
}

export interface MockBroker {
  /** `host:port,host:port,…` */
  readonly bootstrap: string;
  readonly pid: number;
  /** Run a fault-injection command (see mock-broker.c), e.g. `down -1`; rejects on `error …`. */
  command(line: string): Promise<void>;
  /** Take every broker down (connections dropped and refused) or bring them back. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface MockBrokerOptions {
  brokers?: number;
  topics: { name: string; partitions: number }[];
}

export async function startMockBroker(options: MockBrokerOptions): Promise<MockBroker> {
  const binary = await buildMockBroker();
  const args = [String(options.brokers ?? 1)];
  for (const topic of options.topics) args.push(topic.name, String(topic.partitions));
  const child: ChildProcess = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const pending: ((line: string) => void)[] = [];
  const early: string[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  lines.on('line', (line) => {
    const waiter = pending.shift();
    if (waiter === undefined) early.push(line);
    else waiter(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = (what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const line = early.shift();
      if (line !== undefined) {
        resolve(line);
        return;
      }
      const timer = setTimeout(
        () => reject(new Error(`mock broker: no answer to ${what}; stderr: ${stderr}`)),
        10_000,
      );
      pending.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
  const bootstrap = await nextLine('start');
  let queue = Promise.resolve();
  const command = (line: string): Promise<void> => {
    const result = queue.then(async () => {
      child.stdin?.write(`${line}\n`);
      const answer = await nextLine(line);
      if (answer !== 'ok') throw new Error(`mock broker: ${line}: ${answer}`);
    });
    queue = result.catch(() => {});
    return result;
  };
  return {
    bootstrap,
    pid: child.pid ?? -1,
    command,
    down: () => command('down -1'),
    up: () => command('up -1'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A record to produce. `key: null`: no key; `value: null`: a tombstone. */
export interface TestRecord {
  key: string | null;
  value: string | null;
  /** Record headers (kcat: `-H name=value`, the same for every record of one call). */
  headers?: Record<string, string>;
}

/**
 * Produce with kcat (librdkafka), one record per line `key<TAB>value`, with Kafka's murmur2 partitioner
 * as Java clients and kafkajs use it, and the idempotent producer. `-Z` makes an empty key or value a
 * null one, so keys and values must not be empty, nor contain tabs or newlines. Records with headers
 * are produced by one kcat call per distinct set of headers, in order.
 */
export async function produceWithKcat(
  bootstrap: string,
  topic: string,
  records: readonly TestRecord[],
): Promise<void> {
  let from = 0;
  while (from < records.length) {
    const headers = records[from]?.headers;
    const same = (r: TestRecord) => JSON.stringify(r.headers) === JSON.stringify(headers);
    let to = from;
    while (to < records.length && same(records[to] as TestRecord)) to++;
    const input = records
      .slice(from, to)
      .map((r) => `${r.key ?? ''}\t${r.value ?? ''}\n`)
      .join('');
    const args = ['-P', '-b', bootstrap, '-t', topic, '-K', '\t', '-Z'];
    args.push('-X', 'partitioner=murmur2_random', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5');
    for (const [name, value] of Object.entries(headers ?? {})) args.push('-H', `${name}=${value}`);
    const result = await run('kcat', args, { input, timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`kcat -P exited with ${result.code}: ${result.stderr}`);
    from = to;
  }
}

/** A record as kcat reads it back. */
export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  /** `null` for a tombstone. */
  value: string | null;
  headers: Record<string, string>;
}

/** Every record of `topic`, read with kcat from the beginning to the current end, in partition order. */
export async function readTopicWithKcat(bootstrap: string, topic: string): Promise<TopicRecord[]> {
  const result = await run(
    'kcat',
    ['-C', '-b', bootstrap, '-t', topic, '-J', '-e', '-q', '-o', 'beginning'],
    {
      timeoutMs: 60_000,
    },
  );
  if (result.code !== 0) throw new Error(`kcat -C exited with ${result.code}: ${result.stderr}`);
  const records: TopicRecord[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const m = JSON.parse(line) as {
      partition: number;
      offset: number;
      key: string | null;
      payload: string | null;
      headers?: string[];
    };
    const headers: Record<string, string> = {};
    const flat = m.headers ?? [];
    for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i] as string] = flat[i + 1] as string;
    records.push({ partition: m.partition, offset: m.offset, key: m.key, value: m.payload, headers });
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** The state a topic describes: the value of each key's last record, absent after a tombstone. */
export function latestPerKey(records: readonly TopicRecord[]): Map<string, TopicRecord> {
  const state = new Map<string, TopicRecord>();
  for (const r of records) {
    if (r.key === null) continue;
    if (r.value === null) state.delete(r.key);
    else state.set(r.key, r);
  }
  return state;
}
