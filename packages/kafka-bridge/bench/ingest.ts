/**
 * End-to-end ingest benchmark (`pnpm --filter @sluice/kafka-bridge bench`): records are produced before
 * anything reads them, then each reader's time to the last record is measured in the same run:
 *
 * - kcat consuming the topic to /dev/null, with assigned partitions (`-C`) and as a group member (`-G`):
 *   the raw consume rate, the ceiling;
 * - sluice-bridge into sluice-server, and into redis-server, from process start until every record is
 *   visible in the target (all stored offsets at the partitions' ends, DBSIZE checked);
 * - the same records written straight into a fresh sluice-server with MULTI/MSET/EXEC transactions of the
 *   bridge's size: what the target alone can ingest.
 *
 * The storage engine's own rate (bare lmdb-js puts) is measured by sluice-server's benchmark
 * (`pnpm --filter @sluice/server bench`), next to log mode's in-process ingest of the same records.
 *
 * The bridge's times include joining the consumer group (the broker's initial rebalance delay, 3 s, as
 * Kafka's group.initial.rebalance.delay.ms); "after assignment" leaves it out.
 *
 *   node …/ingest.js [--records N] [--partitions P] [--value-bytes B] [--targets sluice,redis]
 */

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { encodeCommands } from '@sluice/protocol';
import { startMockBroker, startRedis, startSluice } from '@sluice/testkit';
import { RespConnection } from '../src/target/resp.js';
import { BRIDGE_BIN, type LogLine, startBridge } from '../test/helpers/bridge-process.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1200000' },
    partitions: { type: 'string', default: '40' },
    'value-bytes': { type: 'string', default: '100' },
    targets: { type: 'string', default: 'sluice,redis' },
    'batch-records': { type: 'string', default: '5000' },
  },
});
const RECORDS = Number(values.records);
const PARTITIONS = Number(values.partitions);
const VALUE_BYTES = Number(values['value-bytes']);
const BATCH = Number(values['batch-records']);
const TOPIC = 'bench';

/** The mock cluster keeps at most 5 MiB per partition (librdkafka's rdkafka_mock.c): stay under it. */
const MOCK_PARTITION_BYTES = 5 * 1024 * 1024;

function key(i: number): string {
  return `key-${String(i).padStart(9, '0')}`;
}

const value = 'v'.repeat(VALUE_BYTES);

function rate(records: number, ms: number): string {
  return `${Math.round((records / ms) * 1000).toLocaleString('en-US')} rec/s`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function runKcat(args: string[]): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kcat ${args.join(' ')}: ${stderr}`)),
    );
  });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const perPartition = (RECORDS / PARTITIONS) * (VALUE_BYTES + 40);
  if (perPartition > MOCK_PARTITION_BYTES * 0.95) {
    throw new Error(
      `about ${Math.round(perPartition / 1024)} KiB per partition: over the mock cluster's 5 MiB; use more --partitions`,
    );
  }
  console.log(
    `sluice-bridge ingest benchmark: ${RECORDS.toLocaleString('en-US')} records (unique keys, ${VALUE_BYTES}-byte values) in ${PARTITIONS} partitions; ${cpus().length} CPUs, Node ${process.version}`,
  );
  const broker = await startMockBroker({ topics: [{ name: TOPIC, partitions: PARTITIONS }] });
  const results: [string, number, string][] = [];
  try {
    // Produce with kcat from a file of `key<TAB>value` lines.
    const file = `${process.env.TMPDIR ?? '/tmp'}/sluice-bridge-bench-${process.pid}.txt`;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(file);
      out.on('error', reject);
      let i = 0;
      const write = (): void => {
        let ok = true;
        while (i < RECORDS && ok) {
          ok = out.write(`${key(i)}\t${value}\n`);
          i++;
        }
        if (i < RECORDS) out.once('drain', write);
        else out.end(resolve);
      };
      write();
    });
    const produceMs = await runKcat([
      '-P',
      '-b',
      broker.bootstrap,
      '-t',
      TOPIC,
      '-K',
      '\t',
      '-l',
      file,
      '-X',
      'linger.ms=50',
      '-X',
      'batch.num.messages=10000',
      '-X',
      'queue.buffering.max.messages=2000000',
      '-X',
      'partitioner=murmur2_random',
    ]);
    console.log(`produced in ${seconds(produceMs)}`);

    const kcatAssign = await runKcat([
      '-C',
      '-b',
      broker.bootstrap,
      '-t',
      TOPIC,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%k%s\n',
    ]);
    results.push(['kcat -C (assigned partitions) → /dev/null', kcatAssign, '']);
    const kcatGroup = await runKcat([
      '-G',
      `kcat-${process.pid}`,
      '-b',
      broker.bootstrap,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%k%s\n',
      TOPIC,
    ]);
    results.push(['kcat -G (consumer group) → /dev/null', kcatGroup, '']);

    for (const kind of values.targets.split(',')) {
      const target = kind === 'redis' ? await startRedis() : await startSluice();
      const control = await RespConnection.connect({
        host: '127.0.0.1',
        port: target.port,
        tls: false,
        db: 0,
        connectTimeoutMs: 5_000,
        requestTimeoutMs: 60_000,
      });
      try {
        const started = performance.now();
        const bridge = await startBridge({
          brokers: broker.bootstrap,
          topic: TOPIC,
          target: target.url,
          args: [
            ...['--log-level', 'info', '--lag-interval-ms', '1000', '--max-batch-records', String(BATCH)],
            // A group of its own: joining an empty group costs the broker's initial rebalance delay only.
            ...['--group-id', `bench-${kind}-${process.pid}`],
          ],
        });
        const offsetKeys = Array.from(
          { length: PARTITIONS },
          (_, p) => `__sluice_bridge:offset:${TOPIC}:${p}`,
        );
        for (;;) {
          const [stored] = await control.call(['MGET', ...offsetKeys]);
          const applied = (stored as (Buffer | null)[]).reduce(
            (sum, v) => sum + (v === null ? 0 : Number(v.toString()) + 1),
            0,
          );
          if (applied >= RECORDS) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        const total = performance.now() - started;
        const assignedAt = bridge.logs().find((l: LogLine) => l.msg === 'partitions assigned')?.time;
        const startedAt = bridge.logs().find((l: LogLine) => l.msg === 'starting')?.time;
        const joinMs = assignedAt && startedAt ? Date.parse(assignedAt) - Date.parse(startedAt) : 0;
        const [dbsize] = await control.call(['DBSIZE']);
        if (dbsize !== RECORDS + PARTITIONS)
          throw new Error(`${kind}: DBSIZE ${dbsize}, expected ${RECORDS + PARTITIONS}`);
        await bridge.stop();
        results.push([`sluice-bridge → ${kind}-server, from process start`, total, '']);
        results.push([
          `sluice-bridge → ${kind}-server, after assignment`,
          total - joinMs,
          `group join took ${seconds(joinMs)}`,
        ]);
      } finally {
        control.close();
        await target.dispose();
      }
    }

    // The target's own ingest rate: the same records, straight in, as the bridge writes them.
    if (values.targets.split(',').includes('sluice')) {
      const valueBuffer = Buffer.from(value);
      // Like a partition's share of the keys: every PARTITIONS-th key, spread over the whole key space.
      const order: number[] = [];
      for (let p = 0; p < PARTITIONS; p++) for (let i = p; i < RECORDS; i += PARTITIONS) order.push(i);
      const target = await startSluice();
      try {
        const connections = await Promise.all(
          Array.from({ length: 4 }, () =>
            RespConnection.connect({
              host: '127.0.0.1',
              port: target.port,
              tls: false,
              db: 0,
              connectTimeoutMs: 5_000,
              requestTimeoutMs: 60_000,
            }),
          ),
        );
        let next = 0;
        const started = performance.now();
        await Promise.all(
          connections.map(async (c) => {
            while (next < RECORDS) {
              const from = next;
              next = Math.min(RECORDS, next + BATCH);
              const mset: (string | Buffer)[] = ['MSET'];
              for (let i = from; i < next; i++) mset.push(Buffer.from(key(order[i] ?? 0)), valueBuffer);
              await c.request(encodeCommands([['GET', 'offset'], ['MULTI'], mset, ['EXEC']]), 4);
            }
          }),
        );
        results.push([
          'MULTI/MSET/EXEC straight into sluice-server (no Kafka)',
          performance.now() - started,
          '',
        ]);
        for (const c of connections) c.close();
      } finally {
        await target.dispose();
      }
    }
  } finally {
    await broker.stop();
  }

  console.log('');
  console.log('| Reader | Time | Rate | Note |');
  console.log('| --- | --- | --- | --- |');
  for (const [what, ms, note] of results)
    console.log(`| ${what} | ${seconds(ms)} | ${rate(RECORDS, ms)} | ${note} |`);
  console.log(`\n(bridge: ${BRIDGE_BIN})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
