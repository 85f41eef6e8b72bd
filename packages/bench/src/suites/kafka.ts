/**
 * The Kafka ingest suite: records produced to a topic on librdkafka's mock cluster before sluice-bridge
 * starts, then the time until the bridge has made all of them visible in the target; next to it, kcat
 * reading the same topic to /dev/null, the ceiling of what a consumer can do on this machine.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runTool, startProcess, toolMissing } from '../exec.js';
import { MOCK_BROKER_SOURCE, type MockCluster, startMockCluster } from '../kafka/mock-cluster.js';
import { connect, type RawConnection, ReplyError } from '../raw-client.js';
import { repoRoot } from '../servers.js';
import {
  type BenchRow,
  type Mode,
  type RowRun,
  type RunContext,
  RunFailure,
  type Suite,
  type SuitePlan,
  sluiceRatios,
  type Target,
} from '../suite.js';
import type { TargetName } from '../targets.js';

export const BRIDGE_SCRIPT = path.join(repoRoot, 'packages/kafka-bridge/bin/sluice-bridge.js');
const BRIDGE_BUILT = path.join(repoRoot, 'packages/kafka-bridge/dist/main.js');

const VALUE_SIZE = 100;
/** How often the harness looks for the records it waits for. */
const POLL_MS = 5;
/** Records checked, at random, once a run says all are visible. */
const SAMPLE = 1000;
/** kcat's last fetch of each partition would otherwise wait librdkafka's default 500 ms for new records. */
const KCAT_FETCH_WAIT_MS = 10;
/** kcat reads the topic this many times; its figure is the fastest read. */
const KCAT_READS = 3;

export interface KafkaRowSpec {
  records: number;
  partitions: number;
}

/**
 * The most records a partition of the mock cluster may get. librdkafka's mock broker keeps about 5 MiB of
 * message sets per partition (and 100,000 of them) and deletes the oldest beyond that, as retention
 * would: 25,000 uncompressed records of this size (about 160 bytes each on the wire) stay under it.
 */
export const MAX_RECORDS_PER_PARTITION = 25_000;

export const ROWS: Record<Mode, readonly KafkaRowSpec[]> = {
  full: [
    { records: 1_000_000, partitions: 40 },
    { records: 100_000, partitions: 4 },
  ],
  quick: [{ records: 100_000, partitions: 4 }],
  tiny: [{ records: 2_000, partitions: 2 }],
};

export function topicFor(spec: KafkaRowSpec): string {
  return `sluice-bench-${spec.records}-p${spec.partitions}`;
}

/** How many records partition `p` gets: the records spread evenly, the first partitions one more. */
export function recordsIn(spec: KafkaRowSpec, p: number): number {
  return Math.floor(spec.records / spec.partitions) + (p < spec.records % spec.partitions ? 1 : 0);
}

/** The key of record `seq` of partition `p`: every key is distinct, so the count of keys is the count of records. */
export function recordKey(spec: KafkaRowSpec, p: number, seq: number): string {
  return `${topicFor(spec)}:${p}:${String(seq).padStart(9, '0')}`;
}

export function bridgeArgs(bootstrap: string, topic: string, port: number | string, group: string): string[] {
  return [
    '--brokers',
    bootstrap,
    '--topic',
    topic,
    '--target',
    `redis://127.0.0.1:${port}`,
    '--group-id',
    group,
    '--client-id',
    'sluice-bench',
    '--log-level',
    'warn',
    '--shutdown-timeout-ms',
    '10000',
  ];
}

export function kcatConsumeArgs(bootstrap: string, topic: string): string[] {
  return [
    '-C',
    '-b',
    bootstrap,
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-X',
    `fetch.wait.max.ms=${KCAT_FETCH_WAIT_MS}`,
  ];
}

/**
 * The end offsets kcat reports on stderr as it reaches the end of each partition
 * (`% Reached end of topic T [p] at offset N`), added up: the records it read.
 */
export function kcatRecordsRead(stderr: string): { partitions: number; records: number } {
  let partitions = 0;
  let records = 0;
  for (const match of stderr.matchAll(/Reached end of topic \S+ \[(\d+)\] at offset (\d+)/g)) {
    partitions++;
    records += Number(match[2]);
  }
  return { partitions, records };
}

/**
 * Runs `kcat` with `args` (a `-P` producer reading `key<TAB>value` lines), writes it lines 0 … count − 1
 * (`line(i)`, newline included) 10,000 at a time, waiting whenever its input is full, then ends its input
 * and fails unless it exits with code 0. Stops writing early if kcat exits.
 */
export async function produceLines(
  args: readonly string[],
  count: number,
  line: (i: number) => string,
  signal: AbortSignal,
): Promise<void> {
  const kcat = startProcess('kcat', args, { stdin: 'pipe' });
  const stdin = kcat.stdin;
  if (!stdin) throw new Error('kcat -P has no standard input');
  for (let first = 0; first < count && kcat.alive(); first += 10_000) {
    signal.throwIfAborted();
    let chunk = '';
    for (let i = first; i < Math.min(count, first + 10_000); i++) chunk += line(i);
    if (!stdin.write(chunk)) {
      await new Promise<void>((resolve) => {
        stdin.once('drain', resolve);
        void kcat.exited.then(() => resolve());
      });
    }
  }
  stdin.end();
  const how = await kcat.exited;
  if (how !== 'exited with code 0') {
    throw new Error(`kcat ${args.join(' ')} ${how}: ${kcat.output().trim().split('\n').slice(-5).join(' ')}`);
  }
}

/** Produces a row's records with `kcat -P`, one partition at a time, keys and values separated by a tab. */
export async function produce(bootstrap: string, spec: KafkaRowSpec, signal: AbortSignal) {
  const started = performance.now();
  const value = 'x'.repeat(VALUE_SIZE);
  for (let p = 0; p < spec.partitions; p++) {
    const args = ['-P', '-b', bootstrap, '-t', topicFor(spec), '-p', `${p}`, '-K', '\t'];
    await produceLines(args, recordsIn(spec, p), (seq) => `${recordKey(spec, p, seq)}\t${value}\n`, signal);
  }
  const verified = await verifyTopic(bootstrap, spec, signal);
  return {
    records: spec.records,
    partitions: spec.partitions,
    durationMs: Math.round(performance.now() - started),
    verifiedMs: verified.durationMs,
  };
}

/**
 * Reads the topic back (`kcat -C -f '%p %o'`) and checks that every partition holds all its records,
 * from offset 0: the mock broker deletes the oldest records of a partition that grows too large.
 */
async function verifyTopic(bootstrap: string, spec: KafkaRowSpec, signal: AbortSignal) {
  const args = [...kcatConsumeArgs(bootstrap, topicFor(spec)), '-q', '-f', '%p %o\\n'];
  const result = await runTool('kcat', args, { signal, timeoutMs: 60_000 + spec.records / 10 });
  if (result.code !== 0) {
    throw new Error(
      `kcat ${args.join(' ')} exited with ${result.code ?? result.signal}: ${result.stderr.trim()}`,
    );
  }
  const problems = checkTopicContents(result.stdout, spec);
  if (problems.length > 0) {
    throw new Error(`the topic does not hold every record produced: ${problems.slice(0, 3).join('; ')}`);
  }
  return { durationMs: Math.round(result.durationMs) };
}

/** What is wrong with a topic read as `<partition> <offset>` lines, if anything. */
export function checkTopicContents(lines: string, spec: KafkaRowSpec): string[] {
  const counts = new Array<number>(spec.partitions).fill(0);
  const firsts = new Array<number>(spec.partitions).fill(Number.POSITIVE_INFINITY);
  for (const line of lines.split('\n')) {
    if (line === '') continue;
    const [p, o] = line.split(' ').map(Number);
    if (p === undefined || o === undefined || !Number.isInteger(o) || !(p >= 0 && p < spec.partitions)) {
      return [`unexpected line ${JSON.stringify(line)}`];
    }
    counts[p] = (counts[p] ?? 0) + 1;
    firsts[p] = Math.min(firsts[p] ?? o, o);
  }
  return counts.flatMap((count, p) =>
    count === recordsIn(spec, p) && firsts[p] === 0
      ? []
      : [`partition ${p} holds ${count} of ${recordsIn(spec, p)} records, from offset ${firsts[p]}`],
  );
}

async function existing(conn: RawConnection, keys: readonly string[]): Promise<number> {
  const reply = await conn.command('EXISTS', ...keys);
  if (reply instanceof ReplyError) throw new Error(`EXISTS failed: ${reply.message}`);
  if (typeof reply !== 'number') throw new Error(`EXISTS answered ${JSON.stringify(reply)}`);
  return reply;
}

export const kafkaSuite: Suite = {
  name: 'kafka',
  title: 'Kafka ingest',
  description:
    `Each row’s records (distinct keys, ${VALUE_SIZE}-byte values, uncompressed) are first produced with ` +
    '`kcat -P` to a topic of librdkafka’s mock cluster (an in-memory Kafka broker on loopback, the one ' +
    'sluice-bridge’s tests use), and read back once to check that the topic holds them all (the mock keeps ' +
    `about 5 MiB a partition, so rows use at most ${MAX_RECORDS_PER_PARTITION.toLocaleString('en-US')} records a ` +
    'partition). Then, for each target, a fresh sluice-bridge (new consumer group, no stored offsets) starts ' +
    'and the harness polls the target every 5 ms for the first and the last record of every partition. ' +
    '`records/s` is the ingest rate: the records divided by the time from the first record visible to ' +
    'all of them visible; `first / last s` are the times from starting the bridge to the first and the last ' +
    'record visible, so the first includes the bridge’s start and its consumer group join (about 3 s ' +
    'on the mock cluster). `kcat` is the ceiling: `kcat -C -o beginning -e` reading the same topic to ' +
    `/dev/null (with \`fetch.wait.max.ms=${KCAT_FETCH_WAIT_MS}\` so that its last fetch does not idle), its ` +
    `figure taken over its whole run, start included, the fastest of ${KCAT_READS} reads. After each ` +
    'run the harness checks that ' +
    `${SAMPLE} records drawn at random are all in the target.`,
  async check() {
    if (!existsSync(BRIDGE_BUILT)) {
      return `sluice-bridge is not built (${path.relative(process.cwd(), BRIDGE_BUILT)} is missing): build @sluice/kafka-bridge`;
    }
    if (!existsSync(MOCK_BROKER_SOURCE)) return `${MOCK_BROKER_SOURCE} (the mock broker) is missing`;
    return (await toolMissing('kcat', ['-V'])) ?? (await toolMissing('cc', ['--version']));
  },
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    const specs = ROWS[mode];
    let cluster: Promise<MockCluster> | undefined;
    const produced = new Map<string, Promise<Record<string, unknown>>>();
    const ready = (spec: KafkaRowSpec, signal: AbortSignal) => {
      cluster ??= startMockCluster(
        specs.map((s) => ({ name: topicFor(s), partitions: s.partitions })),
        signal,
      );
      const topic = topicFor(spec);
      let production = produced.get(topic);
      if (!production) {
        production = cluster.then((c) => produce(c.bootstrap, spec, signal));
        produced.set(topic, production);
      }
      return Promise.all([cluster, production]);
    };

    const rows = specs.map((spec): BenchRow => {
      const topic = topicFor(spec);
      const firstKeys = Array.from({ length: spec.partitions }, (_, p) => recordKey(spec, p, 0));
      const lastKeys = Array.from({ length: spec.partitions }, (_, p) =>
        recordKey(spec, p, recordsIn(spec, p) - 1),
      );
      return {
        id: `r${spec.records}-p${spec.partitions}`,
        label: `${spec.records.toLocaleString('en-US')} records · ${spec.partitions} partition${spec.partitions > 1 ? 's' : ''}`,
        command: `node packages/kafka-bridge/bin/sluice-bridge.js ${bridgeArgs('<brokers>', topic, '<port>', '<fresh group>').join(' ')}`,
        async prepare(_target: Target, ctx: RunContext) {
          const first = !produced.has(topic);
          const [c, production] = await ready(spec, ctx.signal);
          return first ? { broker: c.command, bootstrap: c.bootstrap, produce: production } : undefined;
        },
        async measure(target: Target, ctx: RunContext): Promise<RowRun> {
          const [c] = await ready(spec, ctx.signal);
          const group = `${topic}-${target.name}-${Date.now()}`;
          const args = [BRIDGE_SCRIPT, ...bridgeArgs(c.bootstrap, topic, target.server.port, group)];
          const detail: Record<string, unknown> = { command: [process.execPath, ...args] };
          const conn = await connect(target.server.port);
          const deadline = Date.now() + 60_000 + spec.records / 20;
          const firstDeadline = Date.now() + 30_000;
          const started = performance.now();
          const bridge = startProcess(process.execPath, args);
          let firstAt: number | undefined;
          let allAt: number | undefined;
          try {
            while (allAt === undefined) {
              ctx.signal.throwIfAborted();
              if (!bridge.alive()) {
                throw new RunFailure(`sluice-bridge ${await bridge.exited}`, bridge.output(), detail);
              }
              const now = performance.now();
              if (firstAt === undefined && (await existing(conn, firstKeys)) > 0) firstAt = now;
              if (firstAt !== undefined && (await existing(conn, lastKeys)) === spec.partitions) allAt = now;
              if (allAt === undefined) {
                if (firstAt === undefined && Date.now() > firstDeadline) {
                  throw new RunFailure('no record was visible after 30 s', bridge.output(), detail);
                }
                if (Date.now() > deadline) {
                  throw new RunFailure(
                    `not every record was visible after ${Math.round((now - started) / 1000)} s`,
                    bridge.output(),
                    detail,
                  );
                }
                await new Promise((resolve) => setTimeout(resolve, POLL_MS));
              }
            }
            detail.bridgeOutput = bridge.output().slice(-4096);
          } finally {
            await bridge.stop(15_000);
            detail.bridgeExit = await bridge.exited;
          }
          try {
            const sample = Array.from({ length: SAMPLE }, () => {
              const p = Math.floor(Math.random() * spec.partitions);
              return recordKey(spec, p, Math.floor(Math.random() * recordsIn(spec, p)));
            });
            const found = await existing(conn, sample);
            if (found !== SAMPLE) {
              throw new RunFailure(`${SAMPLE - found} of ${SAMPLE} records sampled are missing`, '', detail);
            }
          } finally {
            conn.close();
          }
          const firstS = ((firstAt ?? allAt) - started) / 1000;
          const totalS = (allAt - started) / 1000;
          const ingestS = Math.max(POLL_MS / 1000, totalS - firstS);
          return { measurement: { rps: spec.records / ingestS, firstS, totalS }, detail };
        },
        async measureBaseline(_baseline: string, ctx: RunContext): Promise<RowRun> {
          const [c] = await ready(spec, ctx.signal);
          const args = kcatConsumeArgs(c.bootstrap, topic);
          // The fastest of a few reads: it is a ceiling, and now and then a read takes half a second longer
          // (a wait inside librdkafka, seen in development).
          const runs: { totalS: number; stderr: string }[] = [];
          const detail: Record<string, unknown> = { command: ['kcat', ...args], runs };
          for (let attempt = 0; attempt < KCAT_READS; attempt++) {
            const result = await runTool('kcat', args, {
              signal: ctx.signal,
              timeoutMs: 60_000 + spec.records / 10,
              discardStdout: true,
            });
            runs.push({ totalS: result.durationMs / 1000, stderr: result.stderr.slice(-2048) });
            if (result.code !== 0 || result.killedBecause !== undefined) {
              throw new RunFailure(
                `kcat ${result.killedBecause ? `was stopped because ${result.killedBecause}` : `exited with ${result.code ?? result.signal}`}`,
                result.stderr,
                detail,
              );
            }
            const read = kcatRecordsRead(result.stderr);
            if (read.records !== spec.records || read.partitions !== spec.partitions) {
              throw new RunFailure(
                `kcat read ${read.records} records from ${read.partitions} partitions, not ${spec.records} from ${spec.partitions}`,
                result.stderr,
                detail,
              );
            }
          }
          const totalS = Math.min(...runs.map((r) => r.totalS));
          return { measurement: { rps: spec.records / totalS, totalS }, detail };
        },
      };
    });

    return {
      settings: {
        broker: 'librdkafka mock cluster, 1 broker (packages/testkit/kafka/mock-broker.c)',
        'value size (bytes)': VALUE_SIZE,
        'poll interval (ms)': POLL_MS,
        'kcat ceiling': `kcat ${kcatConsumeArgs('<brokers>', '<topic>').join(' ')} > /dev/null, fastest of ${KCAT_READS}`,
        'records sampled after each run': SAMPLE,
      },
      rows,
      baselines: ['kcat'],
      rateUnit: 'records/s',
      tables: [
        {
          columns: [
            { header: 'records/s', figures: ['rps'], format: 'rate' },
            { header: 'first / last s', figures: ['firstS', 'totalS'], format: 'seconds' },
          ],
          ratios: [
            ...(targets.includes('sluice')
              ? [{ header: 'sluice/kcat', of: 'sluice', over: 'kcat', figure: 'rps' }]
              : []),
            ...sluiceRatios(targets, 'rps'),
          ],
        },
      ],
      charts: [{ kind: 'rate-bars' }],
      async close() {
        if (!cluster) return;
        const c = await cluster.then(
          (value) => value,
          () => undefined,
        );
        await c?.stop();
      },
    };
  },
};
