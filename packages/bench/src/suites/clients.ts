/**
 * The client-library suite: workloads driven through ioredis and node-redis, the libraries applications
 * use, with a fixed number of requests in flight; throughput and HDR-histogram latency percentiles.
 */
import { fileURLToPath } from 'node:url';
import { runTool } from '../exec.js';
import type { Library, LoadConfig, LoadResult, Workload } from '../load/client-load.js';
import { connect, fillKeys } from '../raw-client.js';
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
import { formatSize } from './redis-benchmark.js';

const WORKER = fileURLToPath(new URL('../load/client-worker.js', import.meta.url));

const CONNECTIONS = 5;
const IN_FLIGHT = 10;
const MGET_KEYS = 100;
const ZIPF_EXPONENT = 0.99;
const KEY_PREFIX = 'client:';
const KEY_DIGITS = 9;
/** Hash rows: fields per hash (all filled first), and set rows: members drawn over, half filled first. */
const HASH_FIELDS = 10;
const SET_MEMBERS = 40;
/** Key prefixes of the hash and set rows' collections, apart from the string rows' keys. */
const COLLECTION_PREFIX = { hash: 'client:hash:', set: 'client:set:' } as const;

/** Measured time per run, and unrecorded warm-up before it. */
export const DURATION_MS: Record<Mode, number> = { full: 5000, quick: 800, tiny: 200 };
export const WARMUP_MS: Record<Mode, number> = { full: 1000, quick: 200, tiny: 50 };
/** Keys of the key space, at most: fewer for large values, so that a preload stays under 256 MiB. */
export const KEYSPACE: Record<Mode, number> = { full: 100_000, quick: 10_000, tiny: 1_000 };
const PRELOAD_BYTES = 256 << 20;

export interface ClientRowSpec {
  library: Library;
  workload: Workload;
  distribution: 'uniform' | 'zipf';
  valueSize: number;
}

/** The hash row: a record cache (HGET/HSET of one of a hash's fields, every HSET a new value). */
const HASH_ROW: ClientRowSpec = {
  library: 'ioredis',
  workload: { kind: 'hash', readPercent: 80, fields: HASH_FIELDS },
  distribution: 'uniform',
  valueSize: 100,
};
/** The set row: tags (SISMEMBER, SADD or SREM of one of a set's possible members). */
const SET_ROW: ClientRowSpec = {
  library: 'node-redis',
  workload: { kind: 'set', readPercent: 80, members: SET_MEMBERS },
  distribution: 'zipf',
  valueSize: 0,
};

/**
 * The rows: both libraries on the common case, then each dimension of the issue (mix, distribution,
 * value size, MGET) at least once, alternating libraries, few enough for the time budget. Grouped by
 * value size, so that each target's key space is preloaded once per size.
 */
export const ROWS: readonly ClientRowSpec[] = [
  { library: 'ioredis', workload: { kind: 'mix', readPercent: 95 }, distribution: 'uniform', valueSize: 100 },
  {
    library: 'node-redis',
    workload: { kind: 'mix', readPercent: 95 },
    distribution: 'uniform',
    valueSize: 100,
  },
  {
    library: 'ioredis',
    workload: { kind: 'mget', keys: MGET_KEYS },
    distribution: 'uniform',
    valueSize: 100,
  },
  {
    library: 'node-redis',
    workload: { kind: 'mget', keys: MGET_KEYS },
    distribution: 'zipf',
    valueSize: 100,
  },
  { library: 'ioredis', workload: { kind: 'mix', readPercent: 95 }, distribution: 'zipf', valueSize: 1024 },
  {
    library: 'node-redis',
    workload: { kind: 'mix', readPercent: 50 },
    distribution: 'zipf',
    valueSize: 1024,
  },
  {
    library: 'ioredis',
    workload: { kind: 'mix', readPercent: 50 },
    distribution: 'uniform',
    valueSize: 10240,
  },
  HASH_ROW,
  SET_ROW,
];

export function keyspaceFor(mode: Mode, valueSize: number): number {
  return Math.min(KEYSPACE[mode], Math.max(100, Math.floor(PRELOAD_BYTES / valueSize)));
}

/** The keys a row draws from: hashes of HASH_FIELDS values, sets (a tenth as many), or strings. */
export function rowKeyspace(spec: ClientRowSpec, mode: Mode): number {
  const { workload } = spec;
  if (workload.kind === 'hash') return keyspaceFor(mode, spec.valueSize * workload.fields);
  if (workload.kind === 'set') return Math.max(100, KEYSPACE[mode] / 10);
  return keyspaceFor(mode, spec.valueSize);
}

function workloadLabel(workload: Workload): string {
  const writes = workload.kind === 'mget' ? 0 : 100 - workload.readPercent;
  switch (workload.kind) {
    case 'mget':
      return `MGET ${workload.keys} keys`;
    case 'hash':
      return `HGET/HSET ${workload.readPercent}:${writes}`;
    case 'set':
      return `SISMEMBER/SADD/SREM ${workload.readPercent}:${writes / 2}:${writes / 2}`;
    case 'mix':
      return `GET/SET ${workload.readPercent}:${writes}`;
  }
}

export function rowLabel(spec: ClientRowSpec): string {
  const distribution = spec.distribution === 'zipf' ? 'Zipf' : 'uniform';
  const label = `${spec.library} · ${workloadLabel(spec.workload)} · ${distribution}`;
  return spec.workload.kind === 'set' ? label : `${label} · ${formatSize(spec.valueSize)}`;
}

export function rowId(spec: ClientRowSpec): string {
  const { workload } = spec;
  const name =
    workload.kind === 'mget'
      ? `mget${workload.keys}`
      : workload.kind === 'mix'
        ? `rw${workload.readPercent}`
        : `${workload.kind}${workload.readPercent}`;
  return `${spec.library}-${name}-${spec.distribution}-${spec.valueSize}b`;
}

export function loadConfig(spec: ClientRowSpec, mode: Mode, port: number, seed: number): LoadConfig {
  return {
    library: spec.library,
    port,
    connections: CONNECTIONS,
    inFlight: IN_FLIGHT,
    workload: spec.workload,
    keyPrefix:
      spec.workload.kind === 'hash' || spec.workload.kind === 'set'
        ? COLLECTION_PREFIX[spec.workload.kind]
        : KEY_PREFIX,
    keyDigits: KEY_DIGITS,
    keyspace: rowKeyspace(spec, mode),
    distribution: spec.distribution,
    zipfExponent: ZIPF_EXPONENT,
    valueSize: spec.valueSize,
    warmupMs: WARMUP_MS[mode],
    durationMs: DURATION_MS[mode],
    seed,
  };
}

/** What a run does, in a line for the report; results.json keeps the exact command and its JSON. */
export function describeLoad(config: LoadConfig): string {
  const w = config.workload;
  const writes = w.kind === 'mget' ? 0 : 100 - w.readPercent;
  const workload =
    w.kind === 'mget'
      ? `MGET of ${w.keys} keys`
      : w.kind === 'hash'
        ? `HGET ${w.readPercent}% / HSET ${writes}% of one of ${w.fields} fields (HSET values changing)`
        : w.kind === 'set'
          ? `SISMEMBER ${w.readPercent}% / SADD ${writes / 2}% / SREM ${writes / 2}% of one of ${w.members} members`
          : `GET ${w.readPercent}% / SET ${writes}%`;
  const keys = w.kind === 'hash' ? 'hashes' : w.kind === 'set' ? 'sets' : 'keys';
  const values = w.kind === 'set' ? '' : `, ${config.valueSize}-byte values`;
  return (
    `node dist/load/client-worker.js: ${config.library}, ${config.connections} connections × ` +
    `${config.inFlight} in flight, ${workload}, ${config.distribution} over ` +
    `${config.keyspace.toLocaleString('en-US')} ${keys}${values}, ` +
    `${config.warmupMs} ms warm-up + ${config.durationMs} ms`
  );
}

/**
 * Fills the hashes (every field, `valueSize` bytes each) or the sets (the first half of their members) of
 * a hash or set row, pipelined: the `keyspace` collections of `config`, named as the load generator names
 * them.
 */
async function fillCollections(
  port: number,
  config: LoadConfig,
  signal: AbortSignal,
): Promise<{ collections: number; durationMs: number }> {
  const started = performance.now();
  const w = config.workload;
  const c = await connect(port, '127.0.0.1', 30_000);
  try {
    const args: string[] = [];
    if (w.kind === 'hash') {
      const value = 'x'.repeat(config.valueSize);
      for (let f = 0; f < w.fields; f++) args.push(`f${f}`, value);
    } else if (w.kind === 'set') {
      for (let m = 0; m < w.members / 2; m++) args.push(`m${m}`);
    }
    let pending: Promise<unknown>[] = [];
    for (let i = 0; i < config.keyspace; i++) {
      const key = `${config.keyPrefix}${String(i).padStart(config.keyDigits, '0')}`;
      pending.push(c.command(w.kind === 'hash' ? 'HSET' : 'SADD', key, ...args));
      if (pending.length >= 1000) {
        signal.throwIfAborted();
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    c.close();
  }
  return { collections: config.keyspace, durationMs: Math.round(performance.now() - started) };
}

/**
 * Runs the load generator's process with `config` and returns its figures: `rps` and the latency
 * percentiles in ms. A run with a failed request, or none in the measured window, fails.
 */
export async function runClientLoad(config: LoadConfig, signal: AbortSignal): Promise<RowRun> {
  const argv = [WORKER, JSON.stringify(config)];
  const result = await runTool(process.execPath, argv, {
    signal,
    timeoutMs: 60_000 + config.warmupMs + config.durationMs * 3,
  });
  const detail: Record<string, unknown> = {
    command: [process.execPath, ...argv],
    exitCode: result.code,
    stderr: result.stderr,
    wallMs: Math.round(result.durationMs),
  };
  if (result.killedBecause !== undefined) {
    throw new RunFailure(
      `the load generator was stopped because ${result.killedBecause}`,
      result.stderr,
      detail,
    );
  }
  if (result.code !== 0) {
    throw new RunFailure(
      `the load generator exited with ${result.code ?? result.signal}`,
      result.stderr,
      detail,
    );
  }
  let load: LoadResult;
  try {
    load = JSON.parse(result.stdout) as LoadResult;
  } catch {
    throw new RunFailure('the load generator printed no result', result.stdout + result.stderr, detail);
  }
  detail.load = load;
  if (load.errors > 0) {
    throw new RunFailure(`${load.errors} request(s) failed`, load.firstError ?? 'no message', detail);
  }
  if (load.ops === 0) throw new RunFailure('no request completed in the measured window', '', detail);
  const ms = (us: number) => us / 1000;
  return {
    measurement: {
      rps: (load.ops / load.windowMs) * 1000,
      avgMs: ms(load.latencyUs.mean),
      minMs: ms(load.latencyUs.min),
      p50Ms: ms(load.latencyUs.p50),
      p90Ms: ms(load.latencyUs.p90),
      p99Ms: ms(load.latencyUs.p99),
      p999Ms: ms(load.latencyUs.p999),
      maxMs: ms(load.latencyUs.max),
    },
    detail,
  };
}

const keyOf = (i: number) => `${KEY_PREFIX}${String(i).padStart(KEY_DIGITS, '0')}`;

export const clientsSuite: Suite = {
  name: 'clients',
  title: 'Client libraries',
  description:
    'Workloads driven through [ioredis](https://github.com/redis/ioredis) and ' +
    '[node-redis](https://github.com/redis/node-redis), in a Node.js process of their own on the same ' +
    `machine: ${CONNECTIONS} connections with ${IN_FLIGHT} requests in flight on each ` +
    `(${CONNECTIONS * IN_FLIGHT} at a time), each request sent as soon as the one before it on its slot ` +
    'was answered (a closed loop). Keys are drawn uniformly or from a Zipf distribution (exponent ' +
    `${ZIPF_EXPONENT}: a few hot keys and a long tail) over a key space preloaded with values of the ` +
    'row’s size; SETs overwrite it with the same size. The hash row reads and writes one of ' +
    `${HASH_FIELDS} fields of a hash (all filled first; each HSET writes a new value), the set row asks ` +
    `whether a set holds one of ${SET_MEMBERS} members, adds one or removes one (the first half filled ` +
    'first). Every request’s latency goes into an HDR ' +
    'histogram (microsecond resolution, 3 significant digits); rps counts requests, an MGET of ' +
    `${MGET_KEYS} keys being one. The latency chart shows each row’s p50, p90, p99 and p99.9.`,
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    /** Per target: the value size every key of the key space holds. */
    const loaded = new Map<TargetName, number>();
    /** Per target: the hash and set rows' collections filled so far. */
    const filled = new Map<TargetName, Set<string>>();
    const rows = ROWS.map((spec, index): BenchRow => {
      const template = loadConfig(spec, mode, 0, 1 + index);
      return {
        id: rowId(spec),
        label: rowLabel(spec),
        command: describeLoad(template),
        async prepare(target: Target, ctx: RunContext) {
          const kind = spec.workload.kind;
          if (kind === 'hash' || kind === 'set') {
            const done = filled.get(target.name) ?? new Set<string>();
            filled.set(target.name, done);
            if (done.has(kind)) return undefined;
            const fill = await fillCollections(target.server.port, template, ctx.signal);
            done.add(kind);
            return { preload: fill };
          }
          if (loaded.get(target.name) === spec.valueSize) return undefined;
          const fill = await fillKeys(
            target.server.port,
            0,
            template.keyspace,
            spec.valueSize,
            ctx.signal,
            keyOf,
          );
          loaded.set(target.name, spec.valueSize);
          return { preload: fill };
        },
        measure: (target: Target, ctx: RunContext) =>
          runClientLoad({ ...template, port: target.server.port }, ctx.signal),
      };
    });
    return {
      settings: {
        connections: CONNECTIONS,
        'requests in flight per connection': IN_FLIGHT,
        'measured time per run (ms)': DURATION_MS[mode],
        'warm-up per run (ms)': WARMUP_MS[mode],
        'key space (100 B and 1 KiB rows)': keyspaceFor(mode, 1024),
        'key space (10 KiB rows)': keyspaceFor(mode, 10240),
        'hashes (HGET/HSET row), fields each': `${rowKeyspace(HASH_ROW, mode)}, ${HASH_FIELDS}`,
        'sets (SISMEMBER/SADD/SREM row), members drawn over': `${rowKeyspace(SET_ROW, mode)}, ${SET_MEMBERS} (half filled first)`,
        'Zipf exponent': ZIPF_EXPONENT,
        'MGET keys': MGET_KEYS,
      },
      rows,
      tables: [
        {
          columns: [
            { header: 'rps', figures: ['rps'], format: 'rate' },
            { header: 'p50 / p99 / p99.9 ms', figures: ['p50Ms', 'p99Ms', 'p999Ms'], format: 'ms' },
          ],
          ratios: sluiceRatios(targets, 'rps'),
        },
      ],
      charts: [
        ...(sluiceRatios(targets, 'rps').length > 0 ? [{ kind: 'ratio-bars' as const }] : []),
        {
          kind: 'latency-curves',
          figures: ['p50Ms', 'p90Ms', 'p99Ms', 'p999Ms'],
          labels: ['p50', 'p90', 'p99', 'p99.9'],
        },
      ],
    };
  },
};
