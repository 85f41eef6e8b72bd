/**
 * The cluster suite: how throughput grows with nodes. redis-benchmark GET and SET at -P 1 and -P 16, and
 * the client-library load through ioredis and node-redis in cluster mode, against a 2-node and a 1-node
 * cluster of each server: sluice-server in cluster mode over Kafka (the mock broker, no standby copies)
 * and redis-server with AOF everysec. The run's targets (one server in its usual mode) are measured with
 * the same commands, as plain servers.
 *
 * The clusters are participants of the suite's own (`SuitePlan.baselines`): `sluice-1node`,
 * `sluice-2nodes`, `redis-1node`, `redis-2nodes`, started once for the suite, each Sluice cluster on a
 * topic of its own.
 */
import { existsSync } from 'node:fs';
import { Cluster } from 'ioredis';
import { type StartedCluster, startRedisCluster, startSluiceCluster } from '../clusters.js';
import { runTool, toolMissing } from '../exec.js';
import { MOCK_BROKER_SOURCE, type MockCluster, startMockCluster } from '../kafka/mock-cluster.js';
import type { LoadConfig } from '../load/client-load.js';
import { connect, fillKeys } from '../raw-client.js';
import { type RunningServer, startSluice } from '../servers.js';
import type { BenchRow, Mode, RatioSpec, RowRun, Suite, SuitePlan, TableSpec, Target } from '../suite.js';
import { TARGETS, type TargetName } from '../targets.js';
import { type ClientRowSpec, describeLoad, loadConfig, rowId, rowLabel, runClientLoad } from './clients.js';
import { REDIS_BENCHMARK, REQUESTS, runRedisBenchmark } from './redis-benchmark.js';

/** The suite's own participants: a server kind and a node count. */
const CLUSTERS = {
  'sluice-1node': { kind: 'sluice', nodes: 1 },
  'sluice-2nodes': { kind: 'sluice', nodes: 2 },
  'redis-1node': { kind: 'redis', nodes: 1 },
  'redis-2nodes': { kind: 'redis', nodes: 2 },
} as const satisfies Record<string, { kind: 'sluice' | 'redis'; nodes: number }>;
type ClusterName = keyof typeof CLUSTERS;

/** Partitions of each Sluice cluster's topic: three a node at two nodes. */
export const PARTITIONS = 6;
/** Each node keeps only its own partitions, so that two nodes share the work rather than repeat it. */
const SLUICE_CLUSTER_ARGS = ['--cluster-standby-replicas', '0'];
const topicOf = (name: ClusterName) => `sluice-bench-${name}`;

/** redis-benchmark's connections (`-c`) and threads: one thread a node at two nodes, and as many at one. */
const CLIENTS = 50;
const THREADS = 2;
const VALUE_SIZE = 64;
/** Keys a node's hash tag gets (`-r`): a 2-node run has twice as many keys in all. */
export const KEYSPACE: Record<Mode, number> = { full: 100_000, quick: 100_000, tiny: 1_000 };
/** Requests of a -P 16 row, as a multiple of a -P 1 row's (REQUESTS, as the redis-benchmark suite). */
const PIPELINED_FACTOR = 5;

export interface BenchmarkRowSpec {
  test: 'set' | 'get';
  pipeline: 1 | 16;
}

export const BENCHMARK_ROWS: readonly BenchmarkRowSpec[] = [
  { test: 'set', pipeline: 1 },
  { test: 'set', pipeline: 16 },
  { test: 'get', pipeline: 1 },
  { test: 'get', pipeline: 16 },
];

export const CLIENT_ROWS: readonly ClientRowSpec[] = [
  { library: 'ioredis', workload: { kind: 'mix', readPercent: 95 }, distribution: 'uniform', valueSize: 100 },
  { library: 'ioredis', workload: { kind: 'mix', readPercent: 50 }, distribution: 'uniform', valueSize: 100 },
  {
    library: 'node-redis',
    workload: { kind: 'mix', readPercent: 95 },
    distribution: 'uniform',
    valueSize: 100,
  },
];

/**
 * The command redis-benchmark's `-t set` and `-t get` send in cluster mode, spelled out: `{tag}` is the
 * hash tag that `--cluster` replaces with a slot of the node a connection talks to. Without `--cluster`
 * (one node: redis-benchmark refuses a cluster of fewer than two) it stays `{tag}`, one hash tag too.
 */
function benchmarkCommand(spec: BenchmarkRowSpec): string[] {
  return spec.test === 'set'
    ? ['SET', 'key:{tag}:__rand_int__', 'x'.repeat(VALUE_SIZE)]
    : ['GET', 'key:{tag}:__rand_int__'];
}

export function benchmarkArgs(
  spec: BenchmarkRowSpec,
  requests: number,
  keyspace: number,
  cluster: boolean,
): string[] {
  return [
    ...(cluster ? ['--cluster'] : []),
    ...['--threads', `${THREADS}`, '-c', `${CLIENTS}`, '-r', `${keyspace}`, '-n', `${requests}`],
    ...['-P', `${spec.pipeline}`, '--csv', ...benchmarkCommand(spec)],
  ];
}

const keyOfTag = (tag: string) => (i: number) => `key:{${tag}}:${String(i).padStart(12, '0')}`;

/** What the suite measures: a target's server, or one of its clusters. */
interface Deployment {
  readonly nodes: readonly RunningServer[];
  /** A cluster (of any size): clients connect in cluster mode. */
  readonly cluster: boolean;
}

function deploymentOf(target: Target): Deployment {
  return { nodes: [target.server], cluster: false };
}

/** The hash tags redis-benchmark --cluster gives each node's keys: one slot a node (redis-benchmark 7.0). */
async function benchmarkTags(d: Deployment, signal: AbortSignal): Promise<string[]> {
  if (d.nodes.length === 1) return ['tag'];
  const first = d.nodes[0] as RunningServer;
  const probe = ['--cluster', '--threads', `${THREADS}`, '-c', `${2 * THREADS}`, '-n', '40', '-r', '1'];
  await runRedisBenchmark(first.port, [...probe, '--csv', 'SET', 'key:{tag}:__rand_int__', 'x'], 40, signal);
  const tags: string[] = [];
  for (const [i, node] of d.nodes.entries()) {
    const found = new Set<string>();
    const conn = await connect(node.port);
    try {
      let cursor = '0';
      do {
        const reply = await conn.command('SCAN', cursor, 'MATCH', 'key:{*}:000000000000', 'COUNT', '1000');
        const [next, keys] = reply as [string, string[]];
        for (const key of keys) {
          const tag = /^key:\{(.+)\}:0{12}$/.exec(key)?.[1];
          if (tag !== undefined) found.add(tag);
        }
        cursor = next;
      } while (cursor !== '0');
    } finally {
      conn.close();
    }
    const [tag, ...more] = found;
    if (tag === undefined || more.length > 0) {
      throw new Error(
        `expected one redis-benchmark hash tag on node ${i}, found ${JSON.stringify([...found])}`,
      );
    }
    tags.push(tag);
  }
  return tags;
}

/** Writes `count` keys named by `keyOf` through an ioredis Cluster (keys of every slot, on every node). */
async function fillThroughCluster(
  port: number,
  count: number,
  valueSize: number,
  keyOf: (i: number) => string,
  signal: AbortSignal,
): Promise<{ keys: number; durationMs: number }> {
  const started = performance.now();
  const client = new Cluster([{ host: '127.0.0.1', port }], {
    enableAutoPipelining: true,
    lazyConnect: true,
    clusterRetryStrategy: () => null,
  });
  await client.connect();
  try {
    const value = Buffer.alloc(valueSize, 'x');
    for (let first = 0; first < count; first += 2000) {
      signal.throwIfAborted();
      const batch = Array.from({ length: Math.min(2000, count - first) }, (_, i) =>
        client.set(keyOf(first + i), value),
      );
      await Promise.all(batch);
    }
  } finally {
    client.disconnect();
  }
  return { keys: count, durationMs: Math.round(performance.now() - started) };
}

async function sync(signal: AbortSignal): Promise<void> {
  await runTool('sync', [], { signal, timeoutMs: 120_000 });
}

const RATIO = (of: string, over: string): RatioSpec => ({ header: `${of}/${over}`, of, over, figure: 'rps' });

export const clusterSuite: Suite = {
  name: 'cluster',
  title: 'Cluster',
  description:
    'How throughput grows with nodes: a cluster of 2 nodes next to a cluster of 1, of each server, on this ' +
    'machine (a node a core on 2 cores). `sluice-2nodes` and `sluice-1node`: sluice-server in cluster mode ' +
    `over Kafka (librdkafka’s mock cluster, one broker; a topic of ${PARTITIONS} partitions each, ` +
    '`cluster-standby-replicas 0`, so each node applies only its own partitions), where every write goes ' +
    'through Kafka as in log mode. `redis-2nodes` and `redis-1node`: redis-server in cluster mode with AOF ' +
    'everysec, the slots split in two with `CLUSTER ADDSLOTSRANGE`. The run’s targets are measured too, as ' +
    'plain servers: `sluice-1node/sluice` is what cluster mode over Kafka costs one node. redis-benchmark ' +
    `rows: ${CLIENTS} connections on ${THREADS} threads, \`SET\` or \`GET\` of \`key:{tag}:__rand_int__\` ` +
    `(${VALUE_SIZE}-byte values), the command \`-t set\` and \`-t get\` send in cluster mode; with ` +
    '`--cluster` (2 nodes) each thread talks to one node and `{tag}` becomes a hash tag of that node’s first ' +
    'slot, so each node’s keys are in one slot (one partition, for Sluice); on one node (where redis-benchmark ' +
    'refuses `--cluster`) the same command line without it keeps `{tag}` as one hash tag too. GET rows read ' +
    'a key space filled first, unmeasured. Client-library rows: as in the client-library suite, through ' +
    'ioredis `Cluster` and node-redis `createCluster` on a cluster (of 1 node too), over keys of every slot.',
  targets: ['sluice', 'sluice-base', 'redis'],
  async check() {
    if (!existsSync(MOCK_BROKER_SOURCE)) return `${MOCK_BROKER_SOURCE} (the mock broker) is missing`;
    return (await toolMissing(REDIS_BENCHMARK, ['--version'])) ?? (await toolMissing('cc', ['--version']));
  },
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    const clusterNames = (Object.keys(CLUSTERS) as ClusterName[]).filter((name) =>
      targets.includes(CLUSTERS[name].kind),
    );
    let broker: Promise<MockCluster> | undefined;
    const brokerFor = (signal: AbortSignal) => {
      broker ??= startMockCluster(
        clusterNames
          .filter((name) => CLUSTERS[name].kind === 'sluice')
          .map((name) => ({ name: topicOf(name), partitions: PARTITIONS })),
        signal,
      );
      return broker;
    };
    const clusters = new Map<ClusterName, Promise<StartedCluster>>();
    const clusterFor = (name: ClusterName, signal: AbortSignal): Promise<StartedCluster> => {
      let started = clusters.get(name);
      if (started === undefined) {
        const { kind, nodes } = CLUSTERS[name];
        started =
          kind === 'redis'
            ? startRedisCluster(nodes, TARGETS.redis.start, signal)
            : brokerFor(signal).then((b) =>
                startSluiceCluster(
                  nodes,
                  b.bootstrap,
                  topicOf(name),
                  SLUICE_CLUSTER_ARGS,
                  (options) => startSluice(options),
                  signal,
                ),
              );
        clusters.set(name, started);
      }
      return started;
    };
    /**
     * Waits for the AOF rewrites of every redis-server cluster node started so far: the runner does so for
     * the run's targets before each measured run, not for the suite's own servers.
     */
    const settleClusters = async (signal: AbortSignal) => {
      for (const [name, started] of clusters) {
        if (CLUSTERS[name].kind !== 'redis') continue;
        const c = await started.catch(() => undefined);
        for (const node of c?.nodes ?? []) if (node.alive()) await TARGETS.redis.settle(node, signal);
      }
    };
    const deploymentFor = async (name: ClusterName, signal: AbortSignal): Promise<Deployment> => {
      const c = await clusterFor(name, signal);
      const dead = c.nodes.find((n) => !n.alive());
      if (dead) throw new Error(`a node of ${name} exited: ${dead.output().slice(-500)}`);
      return { nodes: c.nodes, cluster: true };
    };

    /** What each participant's key space holds: the rows' preloads, by participant. */
    const tags = new Map<string, Promise<string[]>>();
    const benchmarkLoaded = new Set<string>();
    const clientsLoaded = new Set<string>();
    const keyspace = KEYSPACE[mode];

    /** Fills what a GET row reads, once per participant, unmeasured: each node the keys of its tag. */
    const prepareBenchmark = async (name: string, d: Deployment, signal: AbortSignal) => {
      let found = tags.get(name);
      if (found === undefined) {
        found = benchmarkTags(d, signal);
        tags.set(name, found);
      }
      const nodeTags = await found;
      if (benchmarkLoaded.has(name)) return { tags: nodeTags };
      // MSETs of keys of one slot, on the node that serves it.
      const fills = [];
      for (const [i, tag] of nodeTags.entries()) {
        const node = d.nodes[i] as RunningServer;
        fills.push(await fillKeys(node.port, 0, keyspace, VALUE_SIZE, signal, keyOfTag(tag)));
      }
      benchmarkLoaded.add(name);
      return { tags: nodeTags, preload: fills };
    };
    const prepareClients = async (name: string, d: Deployment, spec: ClientRowSpec, signal: AbortSignal) => {
      if (clientsLoaded.has(name)) return undefined;
      const template = loadConfig(spec, mode, 0, 0);
      const keyOf = (i: number) => `${template.keyPrefix}${String(i).padStart(template.keyDigits, '0')}`;
      const first = d.nodes[0] as RunningServer;
      const preload = d.cluster
        ? await fillThroughCluster(first.port, template.keyspace, spec.valueSize, keyOf, signal)
        : await fillKeys(first.port, 0, template.keyspace, spec.valueSize, signal, keyOf);
      clientsLoaded.add(name);
      return { preload };
    };

    const requests = REQUESTS[mode];
    const benchmarkRows = BENCHMARK_ROWS.map((spec): BenchRow => {
      const n = spec.pipeline === 1 ? requests : requests * PIPELINED_FACTOR;
      const plain = benchmarkArgs(spec, n, keyspace, false);
      const measure = async (d: Deployment, signal: AbortSignal): Promise<RowRun> => {
        const cluster = d.nodes.length > 1;
        const first = d.nodes[0] as RunningServer;
        const run = await runRedisBenchmark(first.port, benchmarkArgs(spec, n, keyspace, cluster), n, signal);
        return { ...run, detail: { ...run.detail, nodes: d.nodes.map((node) => node.command) } };
      };
      return {
        id: `${spec.test}-p${spec.pipeline}`,
        label: `redis-benchmark ${spec.test.toUpperCase()} · ${VALUE_SIZE} B · -P ${spec.pipeline}`,
        command: [REDIS_BENCHMARK, '-h', '127.0.0.1', '-p', '<port>', '[--cluster]', ...plain].join(' '),
        prepare:
          spec.test === 'get'
            ? (target, ctx) => prepareBenchmark(target.name, deploymentOf(target), ctx.signal)
            : undefined,
        async measure(target, ctx) {
          await settleClusters(ctx.signal);
          return measure(deploymentOf(target), ctx.signal);
        },
        async measureBaseline(name, ctx) {
          const d = await deploymentFor(name as ClusterName, ctx.signal);
          let prepared: Record<string, unknown> | undefined;
          if (spec.test === 'get') {
            prepared = await prepareBenchmark(name, d, ctx.signal);
          }
          // What the runner does before each measured run, here after this participant's fill.
          await settleClusters(ctx.signal);
          if (prepared) await sync(ctx.signal);
          const run = await measure(d, ctx.signal);
          return prepared ? { ...run, detail: { ...run.detail, prepare: prepared } } : run;
        },
      };
    });

    const clientRows = CLIENT_ROWS.map((spec, index): BenchRow => {
      const template = loadConfig(spec, mode, 0, 101 + index);
      const config = (d: Deployment): LoadConfig => ({
        ...template,
        port: (d.nodes[0] as RunningServer).port,
        ...(d.cluster ? { cluster: true } : {}),
      });
      return {
        id: `clients-${rowId(spec)}`,
        label: rowLabel(spec),
        command: `${describeLoad(template)}; in cluster mode on a cluster`,
        prepare: (target, ctx) => prepareClients(target.name, deploymentOf(target), spec, ctx.signal),
        async measure(target, ctx) {
          await settleClusters(ctx.signal);
          return runClientLoad(config(deploymentOf(target)), ctx.signal);
        },
        async measureBaseline(name, ctx) {
          const d = await deploymentFor(name as ClusterName, ctx.signal);
          const prepared = await prepareClients(name, d, spec, ctx.signal);
          await settleClusters(ctx.signal);
          if (prepared) await sync(ctx.signal);
          const run = await runClientLoad(config(d), ctx.signal);
          return prepared ? { ...run, detail: { ...run.detail, prepare: prepared } } : run;
        },
      };
    });

    const participants: string[] = [...targets, ...clusterNames];
    const has = (name: string) => participants.includes(name);
    const ratios: RatioSpec[] = [
      ...(has('sluice-base') ? [RATIO('sluice', 'sluice-base')] : []),
      ...(has('sluice-2nodes') ? [RATIO('sluice-2nodes', 'sluice-1node')] : []),
      ...(has('redis-2nodes') ? [RATIO('redis-2nodes', 'redis-1node')] : []),
      ...(has('sluice-2nodes') && has('redis-2nodes') ? [RATIO('sluice-2nodes', 'redis-2nodes')] : []),
      ...(has('sluice-1node') && has('redis-1node') ? [RATIO('sluice-1node', 'redis-1node')] : []),
      ...(has('sluice-1node') && has('sluice') ? [RATIO('sluice-1node', 'sluice')] : []),
    ];
    const tables: TableSpec[] = [
      {
        caption: 'redis-benchmark (requests per second)',
        rows: benchmarkRows.map((row) => row.id),
        columns: [
          { header: 'rps', figures: ['rps'], format: 'rate' },
          { header: 'p50 / p99 ms', figures: ['p50Ms', 'p99Ms'], format: 'ms' },
        ],
        ratios,
      },
      {
        caption: 'Client libraries (requests per second)',
        rows: clientRows.map((row) => row.id),
        columns: [
          { header: 'rps', figures: ['rps'], format: 'rate' },
          { header: 'p50 / p99 / p99.9 ms', figures: ['p50Ms', 'p99Ms', 'p999Ms'], format: 'ms' },
        ],
        ratios,
      },
    ];

    return {
      settings: {
        broker: 'librdkafka mock cluster, 1 broker (packages/testkit/kafka/mock-broker.c)',
        'sluice clusters': `cluster-enabled yes, a topic of ${PARTITIONS} partitions each, cluster-standby-replicas 0`,
        'redis clusters': 'cluster-enabled yes, appendonly yes, appendfsync everysec; slots split evenly',
        'redis-benchmark': `--threads ${THREADS} -c ${CLIENTS} -r ${keyspace} (keys a node), ${VALUE_SIZE}-byte values, -n ${requests} (-P 16: ${requests * PIPELINED_FACTOR})`,
        'client-library rows': `${template0(mode)}`,
      },
      rows: [...benchmarkRows, ...clientRows],
      baselines: clusterNames,
      tables,
      charts: [...(ratios.length > 0 ? [{ kind: 'ratio-bars' as const }] : []), { kind: 'rate-bars' }],
      async close() {
        for (const started of clusters.values()) {
          const c = await started.then(
            (value) => value,
            () => undefined,
          );
          await c?.stop().catch(() => {});
        }
        if (broker === undefined) return;
        const b = await broker.then(
          (value) => value,
          () => undefined,
        );
        await b?.stop();
      },
    };
  },
};

/** The client-library rows' common settings, for the report. */
function template0(mode: Mode): string {
  const t = loadConfig(CLIENT_ROWS[0] as ClientRowSpec, mode, 0, 0);
  return (
    `${t.connections} connections × ${t.inFlight} in flight, ${t.keyspace.toLocaleString('en-US')} keys, ` +
    `${t.warmupMs} ms warm-up + ${t.durationMs} ms`
  );
}
