/**
 * The log-mode suite: sluice-server with Kafka as the source of truth (`--kafka-brokers`, `--kafka-topic`,
 * on librdkafka's mock cluster), next to the targets in local mode and redis-server. Its rows:
 * write throughput and latency (redis-benchmark SET and MSET), replication lag (a write acknowledged on
 * node A, then applied on node B), keyspace-notification fan-out of records applied from the topic,
 * PUBLISH from node A to subscribers of node B, and in-process ingest of a topic against bare lmdb-js puts of the same
 * records (the storage ceiling).
 *
 * Log mode is measured as the baseline participant `sluice-log` (this checkout's build, servers of the
 * suite's own); `lmdb` is the bare-puts ceiling. The targets measure the write, notification and PUBLISH
 * rows, in their usual mode.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeKey, encodeRecord } from '@sluice/server';
import { open } from 'lmdb';
import { toolMissing } from '../exec.js';
import { MOCK_BROKER_SOURCE, type MockCluster, startMockCluster } from '../kafka/mock-cluster.js';
import { connect, type RawConnection } from '../raw-client.js';
import { type RunningServer, startSluice } from '../servers.js';
import {
  type BenchRow,
  type Mode,
  type RowRun,
  type RunContext,
  RunFailure,
  RunSkipped,
  type Suite,
  type SuitePlan,
  type TableSpec,
} from '../suite.js';
import type { TargetName } from '../targets.js';
import { type KafkaRowSpec, produce, recordKey, recordsIn, topicFor } from './kafka.js';
import { CHANNEL, publishRun } from './messaging.js';
import { kcatProduce, measureFanOut, NOTIFY_PATTERN, notifyKey, pipelinedSets } from './notify-fanout.js';
import { benchmarkArgs, REDIS_BENCHMARK, type RowSpec, runRedisBenchmark } from './redis-benchmark.js';

const LOG = 'sluice-log';
const LMDB = 'lmdb';
/** A topic per write row, so that no row inherits the message sets of the one before (see below). */
const writeTopic = (row: string) => `sluice-bench-log-${row}`;
const LAG_TOPIC = 'sluice-bench-log-lag';
/** A topic per fan-out row, for the same reason. */
const notifyTopic = (subscribers: number) => `sluice-bench-log-notify-${subscribers}`;
const NOTIFY_PARTITIONS = 4;
/** Subscribers of the fan-out rows, and the records (or SETs) whose notifications they receive. */
const NOTIFY_SUBSCRIBERS = [1, 10] as const;
const NOTIFY_RECORDS: Record<Mode, Record<number, number>> = {
  full: { 1: 100_000, 10: 50_000 },
  quick: { 1: 20_000, 10: 10_000 },
  tiny: { 1: 1_000, 10: 500 },
};
const NOTIFY_EVENTS = 'K$';
/** PUBLISH from node A to subscribers of node B, which read A's messages from `<topic>.pubsub`. */
const PUBLISH_TOPIC = 'sluice-bench-log-publish';
const PUBLISH_SUBSCRIBERS = 10;
const PUBLISH_MESSAGES: Record<Mode, number> = { full: 50_000, quick: 10_000, tiny: 500 };
/**
 * The mock keeps about 5 MiB a partition and drops older records (the writing node does not mind), and
 * finds a fetch's offset by walking a partition's message sets from the oldest: it slows down as a
 * partition gathers sets, which is why every write row gets a fresh topic and node.
 */
const WRITE_PARTITIONS = 8;
const LAG_PARTITIONS = 4;
const VALUE_SIZE = 100;
/** Records per transaction of the bare-puts ceiling: kcat's batches, which the node applies one by one. */
const BARE_BATCH = 10_000;
/**
 * The mock broker holds each fetch for its whole max wait instead of answering when records arrive (a
 * real broker answers at once): node B's fetches wait at most this long.
 */
const LAG_FETCH_WAIT_MS = 10;

const WRITE_ROWS: readonly RowSpec[] = [
  { test: 'set', pipeline: 1, dataSize: 64 },
  { test: 'set', pipeline: 16, dataSize: 64 },
  { test: 'mset', pipeline: 1, dataSize: 64 },
];
const REQUESTS: Record<Mode, number> = { full: 200_000, quick: 20_000, tiny: 2_000 };
const KEYSPACE: Record<Mode, number> = { full: 100_000, quick: 100_000, tiny: 1_000 };
const LAG_SAMPLES: Record<Mode, number> = { full: 2_000, quick: 500, tiny: 50 };
const INGEST: Record<Mode, KafkaRowSpec> = {
  full: { records: 1_200_000, partitions: 48 },
  quick: { records: 200_000, partitions: 8 },
  tiny: { records: 20_000, partitions: 2 },
};

function rowId(spec: RowSpec): string {
  return `${spec.test}-p${spec.pipeline}`;
}

function logArgs(bootstrap: string, topic: string, extra: readonly string[] = []): string[] {
  return ['--kafka-brokers', bootstrap, '--kafka-topic', topic, ...extra];
}

/** Log lines' time: `pid:M 06 Dec 2026 04:05:03.489 …` → ms since the epoch (local time). */
export function logLineTime(line: string): number | undefined {
  const m = /^\d+:M (\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3}) /.exec(line);
  if (m === null) return undefined;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(
    m[2] as string,
  );
  return new Date(
    Number(m[3]),
    month,
    Number(m[1]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number(m[7]),
  ).getTime();
}

/** The time of the first log line of `output` that contains `text`. */
function timeOf(output: string, text: string): number | undefined {
  const line = output.split('\n').find((l) => l.includes(text));
  return line === undefined ? undefined : logLineTime(line);
}

/** The value at quantile `q` of sorted `values`. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, signal: AbortSignal) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    signal.throwIfAborted();
    if (Date.now() > deadline) throw new Error(`${what} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function caughtUp(conn: RawConnection): Promise<boolean> {
  const info = await conn.command('INFO', 'persistence');
  return typeof info === 'string' && /\r\nloading:0\r\n/.test(`\r\n${info}`);
}

export const logSuite: Suite = {
  name: 'log',
  title: 'Log mode',
  description:
    'sluice-server in log mode (`--kafka-brokers`, `--kafka-topic` on librdkafka’s mock cluster, one broker on ' +
    'loopback): every write is produced to the topic (idempotent producer, acks=all) and acknowledged once ' +
    'this node has applied it. `sluice-log` is this checkout’s server in log mode, on servers of the suite’s ' +
    'own; the targets are measured in their usual mode on the write rows, so `sluice-log/sluice` is what ' +
    'Kafka costs a write. Write rows: redis-benchmark as in its suite (50 connections, random keys, 64-byte ' +
    'values). Replication lag: one client writes `SET` then `SLUICE POSITION` on node A and, as soon as ' +
    'both are answered, `SLUICE WAIT <token>` on node B; the lag is the time from A’s answer to B’s (one ' +
    `local round trip included), over ${LAG_SAMPLES.full.toLocaleString('en-US')} writes in a full run. ` +
    `Node B reads with \`kafka-fetch-max-wait-ms ${LAG_FETCH_WAIT_MS}\`: the mock broker holds a fetch for ` +
    'its whole wait where a real broker answers as records arrive, so on it the lag is about that wait. ' +
    `Keyspace notifications: ${NOTIFY_SUBSCRIBERS.join(' and ')} subscribers PSUBSCRIBEd to \`${NOTIFY_PATTERN}\` ` +
    `(notify-keyspace-events ${NOTIFY_EVENTS}) receive a \`set\` event for each of N writes of distinct keys ` +
    '(64-byte values): in log mode records produced to the topic by kcat while the node runs, applied by the ' +
    'node; on the targets SETs from one pipelined client (there is no redis-server equivalent of writes ' +
    'applied from Kafka). The clock runs from the first write sent (kcat started) to the last notification ' +
    'received; every ' +
    'subscriber must receive exactly N. PUBLISH across nodes: the messaging suite’s publisher on node A and ' +
    `${PUBLISH_SUBSCRIBERS} subscribers on node B, which receives A’s messages through the Pub/Sub topic; ` +
    'on the targets both on one server. ' +
    'In-process ingest: records produced with kcat before a fresh node starts, and the rate from the node’s ' +
    'consumer group assignment to its catching up (its log lines), so the group join is left out; `lmdb` ' +
    `puts the same records into a fresh LMDB opened as sluice-server opens it, ${BARE_BATCH.toLocaleString('en-US')} ` +
    'to a transaction of one partition each with its offset, encoded by sluice-server’s own functions: the ' +
    'storage ceiling.',
  targets: ['sluice', 'sluice-base', 'redis'],
  async check() {
    if (!existsSync(MOCK_BROKER_SOURCE)) return `${MOCK_BROKER_SOURCE} (the mock broker) is missing`;
    return (
      (await toolMissing(REDIS_BENCHMARK, ['--version'])) ??
      (await toolMissing('kcat', ['-V'])) ??
      (await toolMissing('cc', ['--version']))
    );
  },
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    const ingest = INGEST[mode];
    const ingestTopic = topicFor(ingest);
    let cluster: Promise<MockCluster> | undefined;
    const started: RunningServer[] = [];
    const mock = (signal: AbortSignal) => {
      cluster ??= startMockCluster(
        [
          ...WRITE_ROWS.map((r) => ({ name: writeTopic(rowId(r)), partitions: WRITE_PARTITIONS })),
          { name: LAG_TOPIC, partitions: LAG_PARTITIONS },
          ...NOTIFY_SUBSCRIBERS.map((n) => ({ name: notifyTopic(n), partitions: NOTIFY_PARTITIONS })),
          { name: PUBLISH_TOPIC, partitions: 1 },
          { name: `${PUBLISH_TOPIC}.pubsub`, partitions: 1 },
          { name: ingestTopic, partitions: ingest.partitions },
        ],
        signal,
      );
      return cluster;
    };
    const requests = REQUESTS[mode];
    const keyspace = KEYSPACE[mode];

    const writeRows = WRITE_ROWS.map((spec): BenchRow => {
      const n = spec.pipeline === 1 ? requests : requests * 5;
      const args = benchmarkArgs(spec, n, keyspace);
      const label = `${spec.test === 'set' ? 'SET' : 'MSET (10 keys)'} · 64 B · -P ${spec.pipeline}`;
      return {
        id: rowId(spec),
        label,
        command: [REDIS_BENCHMARK, '-h', '127.0.0.1', '-p', '<port>', ...args].join(' '),
        measure: (target, ctx) => runRedisBenchmark(target.server.port, args, n, ctx.signal),
        async measureBaseline(name: string, ctx: RunContext): Promise<RowRun> {
          if (name !== LOG) throw new RunSkipped('a write row measures servers');
          const c = await mock(ctx.signal);
          const node = await startSluice({ args: logArgs(c.bootstrap, writeTopic(rowId(spec))) });
          started.push(node);
          try {
            return await runRedisBenchmark(node.port, args, n, ctx.signal);
          } finally {
            await node.stop();
          }
        },
      };
    });

    const samples = LAG_SAMPLES[mode];
    const lagRow: BenchRow = {
      id: 'lag',
      label: 'Replication lag: SET acknowledged on A → applied on B',
      command: `SET, SLUICE POSITION on node A; SLUICE WAIT <token> 10000 on node B; ${samples} writes`,
      async measure() {
        throw new RunSkipped('log mode only');
      },
      async measureBaseline(name: string, ctx: RunContext): Promise<RowRun> {
        if (name !== LOG) throw new RunSkipped('log mode only');
        const c = await mock(ctx.signal);
        const a = await startSluice({ args: logArgs(c.bootstrap, LAG_TOPIC) });
        started.push(a);
        const b = await startSluice({
          args: logArgs(c.bootstrap, LAG_TOPIC, ['--kafka-fetch-max-wait-ms', `${LAG_FETCH_WAIT_MS}`]),
        });
        started.push(b);
        const ca = await connect(a.port);
        const cb = await connect(b.port);
        try {
          // B consumes once its group has its partitions: wait until a write of A reaches it.
          await until(
            async () => {
              const [, token] = await ca.pipeline([
                ['SET', 'lag:warmup', 'x'],
                ['SLUICE', 'POSITION'],
              ]);
              return (await cb.command('SLUICE', 'WAIT', String(token), '1000')) === 1;
            },
            60_000,
            'node B applied nothing of node A',
            ctx.signal,
          );
          const ack: number[] = [];
          const lag: number[] = [];
          const value = 'v'.repeat(64);
          const t0 = performance.now();
          for (let i = 0; i < samples; i++) {
            ctx.signal.throwIfAborted();
            const sent = performance.now();
            const [ok, token] = await ca.pipeline([
              ['SET', `lag:${i % 1000}`, value],
              ['SLUICE', 'POSITION'],
            ]);
            const acked = performance.now();
            if (ok !== 'OK' || typeof token !== 'string') {
              throw new RunFailure(`node A answered ${JSON.stringify([ok, token])}`, '', {});
            }
            const waited = await cb.command('SLUICE', 'WAIT', token, '10000');
            const applied = performance.now();
            if (waited !== 1)
              throw new RunFailure(`SLUICE WAIT on node B answered ${String(waited)}`, '', {});
            ack.push(acked - sent);
            lag.push(applied - acked);
          }
          const totalS = (performance.now() - t0) / 1000;
          ack.sort((x, y) => x - y);
          lag.sort((x, y) => x - y);
          return {
            measurement: {
              rps: samples / totalS,
              p50Ms: quantile(ack, 0.5),
              p99Ms: quantile(ack, 0.99),
              lagP50Ms: quantile(lag, 0.5),
              lagP99Ms: quantile(lag, 0.99),
            },
            detail: { samples, nodeA: a.command, nodeB: b.command },
          };
        } finally {
          ca.close();
          cb.close();
          await Promise.all([a.stop(), b.stop()]);
        }
      },
    };

    const notifyRows = NOTIFY_SUBSCRIBERS.map((subscribers): BenchRow => {
      const records = NOTIFY_RECORDS[mode][subscribers] as number;
      return {
        id: `notify-${subscribers}`,
        label: `Keyspace notifications · ${subscribers} subscriber${subscribers === 1 ? '' : 's'}`,
        command:
          `${records} writes of distinct keys (log mode: records produced with kcat; otherwise pipelined SETs), ` +
          `notify-keyspace-events ${NOTIFY_EVENTS}, ${subscribers} × PSUBSCRIBE ${NOTIFY_PATTERN}`,
        // The reference: the same subscribers, notified of SETs that a pipelined client sends.
        async measure(target, ctx) {
          const conn = await connect(target.server.port);
          let before: string | undefined;
          try {
            const got = (await conn.command('CONFIG', 'GET', 'notify-keyspace-events')) as unknown[];
            before = String(got[1] ?? '');
            try {
              await conn.command('CONFIG', 'SET', 'notify-keyspace-events', NOTIFY_EVENTS);
            } catch (err) {
              before = undefined;
              throw new RunSkipped(`the server has no keyspace notifications (${(err as Error).message})`);
            }
            return await measureFanOut(
              target.server.port,
              subscribers,
              records,
              async () => {
                await pipelinedSets(conn, records, ctx.signal);
                return { client: 'one connection, 400 SETs in flight in pipelined batches of 100' };
              },
              ctx.signal,
            );
          } finally {
            if (before !== undefined) {
              await conn.command('CONFIG', 'SET', 'notify-keyspace-events', before).catch(() => {});
              // The keys are the row's own: removed so that no later row finds them.
              for (let from = 0; from < records; from += 1000) {
                const keys = Array.from({ length: Math.min(1000, records - from) }, (_, i) =>
                  notifyKey(from + i),
                );
                await conn.command('DEL', ...keys).catch(() => {});
              }
            }
            conn.close();
          }
        },
        async measureBaseline(name: string, ctx: RunContext): Promise<RowRun> {
          if (name !== LOG) throw new RunSkipped('a write row measures servers');
          const c = await mock(ctx.signal);
          const topic = notifyTopic(subscribers);
          const node = await startSluice({
            args: logArgs(c.bootstrap, topic, [
              '--notify-keyspace-events',
              NOTIFY_EVENTS,
              '--kafka-fetch-max-wait-ms',
              `${LAG_FETCH_WAIT_MS}`,
            ]),
          });
          started.push(node);
          const conn = await connect(node.port);
          try {
            // A write of the node's own is acknowledged once applied: the node reads the topic.
            if ((await conn.command('SET', 'notify:warmup', 'x')) !== 'OK') {
              throw new RunFailure('the warm-up SET failed', node.output(), {});
            }
            const run = await measureFanOut(
              node.port,
              subscribers,
              records,
              () => kcatProduce(c.bootstrap, topic, records, ctx.signal),
              ctx.signal,
            );
            const size = await conn.command('DBSIZE');
            if (size !== records + 1) throw new RunFailure(`DBSIZE is ${String(size)}`, '', run.detail);
            return { ...run, detail: { ...run.detail, node: node.command } };
          } finally {
            conn.close();
            await node.stop();
          }
        },
      };
    });

    const publishMessages = PUBLISH_MESSAGES[mode];
    const publishRow: BenchRow = {
      id: `publish-nodes-${PUBLISH_SUBSCRIBERS}`,
      label: `PUBLISH across nodes · ${PUBLISH_SUBSCRIBERS} subscribers`,
      command:
        `${publishMessages} × PUBLISH ${CHANNEL} <64 bytes> (log mode: on node A), ` +
        `${PUBLISH_SUBSCRIBERS} × SUBSCRIBE ${CHANNEL} (log mode: on node B)`,
      // The reference: publisher and subscribers on one server, as in the messaging suite.
      measure: (target, ctx) =>
        publishRun(
          {
            publisher: target.server.port,
            subscribers: target.server.port,
            count: PUBLISH_SUBSCRIBERS,
            messages: publishMessages,
            reply: PUBLISH_SUBSCRIBERS,
          },
          ctx.signal,
        ),
      async measureBaseline(name: string, ctx: RunContext): Promise<RowRun> {
        if (name !== LOG) throw new RunSkipped('a write row measures servers');
        const c = await mock(ctx.signal);
        const a = await startSluice({ args: logArgs(c.bootstrap, PUBLISH_TOPIC) });
        started.push(a);
        const b = await startSluice({ args: logArgs(c.bootstrap, PUBLISH_TOPIC) });
        started.push(b);
        try {
          // B delivers what A publishes once it reads the Pub/Sub topic: probe until a message arrives.
          await until(
            () =>
              publishRun(
                { publisher: a.port, subscribers: b.port, count: 1, messages: 1, reply: 0, timeoutMs: 1000 },
                ctx.signal,
              ).then(
                () => true,
                () => false,
              ),
            60_000,
            'node B received nothing node A published',
            ctx.signal,
          );
          const run = await publishRun(
            {
              publisher: a.port,
              subscribers: b.port,
              count: PUBLISH_SUBSCRIBERS,
              messages: publishMessages,
              reply: 0,
              timeoutMs: 60_000 + publishMessages,
            },
            ctx.signal,
          ).catch(async (err: Error) => {
            // Delivery across nodes is at most once: say whether node A dropped messages it could not send.
            const conn = await connect(a.port);
            const info = String(await conn.command('INFO', 'kafka').finally(() => conn.close()));
            const dropped = /kafka_pubsub_dropped:(\d+)/.exec(info)?.[1] ?? '?';
            throw new RunFailure(`${err.message} (node A dropped ${dropped} messages)`, '', { info });
          });
          return { ...run, detail: { ...run.detail, nodeA: a.command, nodeB: b.command } };
        } finally {
          await Promise.all([a.stop(), b.stop()]);
        }
      },
    };

    let produced: Promise<Record<string, unknown>> | undefined;
    const ingestRow: BenchRow = {
      id: 'ingest',
      label: `In-process ingest · ${ingest.records.toLocaleString('en-US')} records · ${ingest.partitions} partitions`,
      command: `node packages/server/bin/sluice-server.js --kafka-brokers <brokers> --kafka-topic ${ingestTopic} --loglevel verbose`,
      async measure() {
        throw new RunSkipped('log mode only');
      },
      async measureBaseline(name: string, ctx: RunContext): Promise<RowRun> {
        const c = await mock(ctx.signal);
        produced ??= produce(c.bootstrap, ingest, ctx.signal).then((p) => ({ ...p }));
        const production = await produced;
        return name === LOG ? ingestInProcess(c, production, ctx) : barePuts(production, ctx);
      },
    };

    const ingestInProcess = async (
      c: MockCluster,
      production: Record<string, unknown>,
      ctx: RunContext,
    ): Promise<RowRun> => {
      const node = await startSluice({
        args: logArgs(c.bootstrap, ingestTopic, ['--loglevel', 'verbose']),
        acceptLoading: true,
      });
      started.push(node);
      const conn = await connect(node.port);
      try {
        await until(
          () => caughtUp(conn),
          120_000 + ingest.records / 5,
          'the node has not caught up',
          ctx.signal,
        );
        const output = node.output();
        const assigned = timeOf(output, 'Kafka: partitions assigned');
        const done = timeOf(output, 'Caught up with topic');
        const detail = { command: node.command, production, log: output.slice(-4096) };
        if (assigned === undefined || done === undefined) {
          throw new RunFailure('the node did not log its assignment and catching up', output, detail);
        }
        const size = await conn.command('DBSIZE');
        if (size !== ingest.records) throw new RunFailure(`DBSIZE is ${String(size)}`, '', detail);
        const sample = recordKey(ingest, 0, recordsIn(ingest, 0) - 1);
        if ((await conn.command('EXISTS', sample)) !== 1)
          throw new RunFailure(`${sample} is missing`, '', detail);
        const totalS = Math.max(0.001, (done - assigned) / 1000);
        return { measurement: { rps: ingest.records / totalS, totalS }, detail };
      } finally {
        conn.close();
        await node.stop();
      }
    };

    const barePuts = async (production: Record<string, unknown>, ctx: RunContext): Promise<RowRun> => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-lmdb-'));
      try {
        const root = open({ path: dir, noSync: true, useWritemap: true, maxDbs: 4, mapSize: 2 ** 34 });
        const db = root.openDB<Buffer, Buffer>({ name: 'db0', encoding: 'binary', keyEncoding: 'binary' });
        const meta = root.openDB<Buffer, Buffer>({ name: 'meta', encoding: 'binary', keyEncoding: 'binary' });
        const value = Buffer.alloc(VALUE_SIZE, 'x');
        // The keys, prepared before the clock starts: the node gets them from Kafka, already in memory.
        const keys = Array.from({ length: ingest.partitions }, (_, p) =>
          Array.from({ length: recordsIn(ingest, p) }, (_, seq) => Buffer.from(recordKey(ingest, p, seq))),
        );
        const t0 = performance.now();
        for (const [p, list] of keys.entries()) {
          ctx.signal.throwIfAborted();
          for (let from = 0; from < list.length; from += BARE_BATCH) {
            root.transactionSync(() => {
              for (let i = from; i < Math.min(list.length, from + BARE_BATCH); i++) {
                const k = list[i] as Buffer;
                db.putSync(encodeKey(k), encodeRecord(k, 0, k.length, value, 0, value.length, 0));
              }
              meta.putSync(Buffer.from(`log-offset:${ingestTopic}:${p}`), Buffer.from(String(from)));
            });
          }
        }
        const totalS = (performance.now() - t0) / 1000;
        await root.close();
        return {
          measurement: { rps: ingest.records / totalS, totalS },
          detail: { production, transactionRecords: BARE_BATCH },
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };

    const ratio = (over: string) => ({ header: `${LOG}/${over}`, of: LOG, over, figure: 'rps' });
    const tables: TableSpec[] = [
      {
        caption: 'Writes (requests per second)',
        rows: writeRows.map((row) => row.id),
        participants: [...targets, LOG],
        columns: [
          { header: 'rps', figures: ['rps'], format: 'rate' },
          { header: 'p50 / p99 ms', figures: ['p50Ms', 'p99Ms'], format: 'ms' },
        ],
        ratios: [
          // An A/B run compares the two builds where both ran: the write rows, in their usual mode.
          ...(targets.includes('sluice-base')
            ? [{ header: 'sluice/sluice-base', of: 'sluice', over: 'sluice-base', figure: 'rps' }]
            : []),
          ...(targets.includes('sluice') ? [ratio('sluice')] : []),
          ...(targets.includes('redis') ? [ratio('redis')] : []),
        ],
      },
      {
        caption: 'Replication lag: from the acknowledgement on node A to the write applied on node B',
        rows: [lagRow.id],
        participants: [LOG],
        columns: [
          { header: 'lag p50 / p99 ms', figures: ['lagP50Ms', 'lagP99Ms'], format: 'ms' },
          { header: 'SET on A p50 / p99 ms', figures: ['p50Ms', 'p99Ms'], format: 'ms' },
        ],
        ratios: [],
      },
      {
        caption:
          'Keyspace notifications of writes: writes per second, from the first write sent to the last ' +
          'notification received, and ' +
          `notifications delivered per second (${LOG}: records applied from the topic; the others: SETs ` +
          'from one pipelined client)',
        rows: notifyRows.map((row) => row.id),
        participants: [...targets, LOG],
        columns: [
          { header: 'writes/s', figures: ['rps'], format: 'rate' },
          { header: 'notifications/s', figures: ['deliveries'], format: 'rate' },
        ],
        ratios: [
          ...(targets.includes('sluice-base')
            ? [{ header: 'sluice/sluice-base', of: 'sluice', over: 'sluice-base', figure: 'rps' }]
            : []),
          ...(targets.includes('sluice') ? [ratio('sluice')] : []),
          ...(targets.includes('redis') ? [ratio('redis')] : []),
        ],
      },
      {
        caption:
          `PUBLISH to ${PUBLISH_SUBSCRIBERS} subscribers, messages per second (${LOG}: published on node A, ` +
          'delivered on node B through the Pub/Sub topic; the others: publisher and subscribers on one server)',
        rows: [publishRow.id],
        participants: [...targets, LOG],
        columns: [
          { header: 'publishes/s', figures: ['rps'], format: 'rate' },
          { header: 'deliveries/s', figures: ['deliveries'], format: 'rate' },
        ],
        ratios: [
          ...(targets.includes('sluice') ? [ratio('sluice')] : []),
          ...(targets.includes('redis') ? [ratio('redis')] : []),
        ],
      },
      {
        caption: 'In-process ingest (records per second)',
        rows: [ingestRow.id],
        participants: [LOG, LMDB],
        columns: [{ header: 'records/s', figures: ['rps'], format: 'rate' }],
        ratios: [ratio(LMDB)],
      },
    ];

    return {
      settings: {
        broker: 'librdkafka mock cluster, 1 broker (packages/testkit/kafka/mock-broker.c)',
        'write topics': `one a row, ${WRITE_PARTITIONS} partitions, a fresh node each`,
        'lag topic': `${LAG_TOPIC}, ${LAG_PARTITIONS} partitions; node B kafka-fetch-max-wait-ms ${LAG_FETCH_WAIT_MS}`,
        'ingest topic': `${ingestTopic}: ${ingest.records} records of ${VALUE_SIZE} bytes, ${ingest.partitions} partitions`,
        'redis-benchmark': `-c 50 -r ${keyspace} -d 64, -n ${requests} (-P 16: ${requests * 5})`,
        'lag writes': samples,
        'notification topics': `one a row, ${NOTIFY_PARTITIONS} partitions, a fresh node each (notify-keyspace-events ${NOTIFY_EVENTS}, kafka-fetch-max-wait-ms ${LAG_FETCH_WAIT_MS})`,
        'publish topic': `${PUBLISH_TOPIC} (Pub/Sub: ${PUBLISH_TOPIC}.pubsub), 1 partition; ${publishMessages} messages`,
        'notified writes': NOTIFY_SUBSCRIBERS.map((n) => `${NOTIFY_RECORDS[mode][n]} to ${n}`).join(', '),
      },
      rows: [...writeRows, lagRow, ...notifyRows, publishRow, ingestRow],
      baselines: [LOG, LMDB],
      tables,
      charts: [{ kind: 'ratio-bars' }],
      async close() {
        for (const server of started) await server.stop().catch(() => {});
        if (cluster === undefined) return;
        const c = await cluster.then(
          (value) => value,
          () => undefined,
        );
        await c?.stop();
      },
    };
  },
};
