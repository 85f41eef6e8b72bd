/**
 * The redis-benchmark suite: Debian's redis-benchmark 7 against every target, with the same options,
 * one row per command, pipeline depth and value size.
 */
import { runTool, toolMissing } from '../exec.js';
import { fillKeys } from '../raw-client.js';
import {
  type BenchRow,
  type Mode,
  type RowRun,
  type RunContext,
  RunFailure,
  type Suite,
  type SuitePlan,
  type Target,
} from '../suite.js';
import type { TargetName } from '../targets.js';

export const REDIS_BENCHMARK = 'redis-benchmark';

/** Concurrent connections (`-c`). */
const CLIENTS = 50;
/** How many keys MGET asks for, as redis-benchmark's MSET test writes 10. */
const MGET_KEYS = 10;

/** Requests per row (`-n`) at pipeline depth 1; `-P 16` rows send `PIPELINED_FACTOR` times as many. */
export const REQUESTS: Record<Mode, number> = { full: 200_000, quick: 20_000, tiny: 2_000 };
/**
 * Pipelined rows complete several times faster; more requests keep them from ending in a blink. MSET and
 * MGET carry 10 keys a request and gain less from pipelining: they get fewer.
 */
export const PIPELINED_FACTOR: Record<Test, number> = {
  get: 5,
  set: 5,
  mset: 2,
  mget10: 2,
  hset: 5,
  sadd: 5,
  spop: 5,
  lpush: 5,
  rpush: 5,
  lpop: 5,
  rpop: 5,
  lrange_100: 1,
  lrange_600: 1,
  zadd: 5,
  zpopmin: 5,
  xadd: 5,
};
/** Rows whose requests cost far more than one key's: they send fewer (LRANGE replies 100 or 600 elements). */
const HEAVY_FACTOR: Partial<Record<Test, number>> = { lrange_100: 0.5, lrange_600: 0.25 };

export function requestsFor(row: RowSpec, mode: Mode): number {
  const base = Math.round(REQUESTS[mode] * (HEAVY_FACTOR[row.test] ?? 1));
  return row.pipeline === 1 ? base : base * PIPELINED_FACTOR[row.test];
}
/** The key space (`-r`): keys are `key:000000000000` up to `key:` + (KEYSPACE − 1) in 12 digits. */
export const KEYSPACE: Record<Mode, number> = { full: 100_000, quick: 100_000, tiny: 1_000 };
/**
 * At most this many bytes of values in a key space: rows of large values use fewer keys, so that a
 * preload (unmeasured, but it takes time) stays short: 16 KiB values use 16,384 keys in the full run.
 */
export const KEYSPACE_BYTES: Record<Mode, number> = { full: 256 << 20, quick: 64 << 20, tiny: 16 << 20 };

/** The key space of a row with `dataSize`-byte values. */
export function keyspaceFor(mode: Mode, dataSize: number): number {
  return Math.min(KEYSPACE[mode], Math.floor(KEYSPACE_BYTES[mode] / dataSize));
}

/** redis-benchmark's own tests (`-t`), and MGET of 10 keys as a custom command. */
type Test =
  | 'get'
  | 'set'
  | 'mset'
  | 'mget10'
  | 'hset'
  | 'sadd'
  | 'spop'
  | 'lpush'
  | 'rpush'
  | 'lpop'
  | 'rpop'
  | 'lrange_100'
  | 'lrange_600'
  | 'zadd'
  | 'zpopmin'
  | 'xadd';

export interface RowSpec {
  test: Test;
  pipeline: 1 | 16;
  dataSize: number;
}

/**
 * The rows, in the order they run. Writes of a value size come before the reads of it, so a read row
 * preloads only when the key space does not already hold its value size everywhere.
 */
export const ROWS: readonly RowSpec[] = [
  { test: 'set', pipeline: 1, dataSize: 64 },
  { test: 'set', pipeline: 16, dataSize: 64 },
  { test: 'get', pipeline: 1, dataSize: 64 },
  { test: 'get', pipeline: 16, dataSize: 64 },
  { test: 'mset', pipeline: 1, dataSize: 64 },
  { test: 'mset', pipeline: 16, dataSize: 64 },
  { test: 'mget10', pipeline: 1, dataSize: 64 },
  { test: 'mget10', pipeline: 16, dataSize: 64 },
  { test: 'set', pipeline: 1, dataSize: 1024 },
  { test: 'get', pipeline: 1, dataSize: 1024 },
  { test: 'set', pipeline: 1, dataSize: 16384 },
  { test: 'get', pipeline: 1, dataSize: 16384 },
  // redis-benchmark's collection tests: HSET of random fields into one hash, SADD of random members into
  // one set, then SPOP from it (the set empties partway: the rest pop nothing, on both servers alike).
  { test: 'hset', pipeline: 1, dataSize: 64 },
  { test: 'hset', pipeline: 16, dataSize: 64 },
  { test: 'sadd', pipeline: 1, dataSize: 64 },
  { test: 'sadd', pipeline: 16, dataSize: 64 },
  { test: 'spop', pipeline: 1, dataSize: 64 },
  // Its list tests, all on one list (`mylist`): pushes at either end, then pops that empty it again;
  // LRANGE of the first 100 and 600 elements, each after an unmeasured LPUSH pass that fills the list.
  { test: 'lpush', pipeline: 1, dataSize: 64 },
  { test: 'lpop', pipeline: 1, dataSize: 64 },
  { test: 'rpush', pipeline: 1, dataSize: 64 },
  { test: 'rpush', pipeline: 16, dataSize: 64 },
  { test: 'rpop', pipeline: 1, dataSize: 64 },
  { test: 'lrange_100', pipeline: 1, dataSize: 64 },
  { test: 'lrange_600', pipeline: 1, dataSize: 64 },
  // Its sorted-set tests, on one set (`myzset`): ZADD of random members with random scores, then ZPOPMIN
  // until it is empty (the rest pop nothing, on both servers alike).
  { test: 'zadd', pipeline: 1, dataSize: 64 },
  { test: 'zadd', pipeline: 16, dataSize: 64 },
  { test: 'zpopmin', pipeline: 1, dataSize: 64 },
  // Appends to one stream (`XADD mystream * field <value>`, a custom command: redis-benchmark has no -t
  // xadd), each entry with an id from the clock.
  { test: 'xadd', pipeline: 1, dataSize: 64 },
  { test: 'xadd', pipeline: 16, dataSize: 64 },
];

const TEST_LABELS: Record<Test, string> = {
  get: 'GET',
  set: 'SET',
  mset: `MSET (${MGET_KEYS} keys)`,
  mget10: `MGET (${MGET_KEYS} keys)`,
  hset: 'HSET',
  sadd: 'SADD',
  spop: 'SPOP',
  lpush: 'LPUSH',
  rpush: 'RPUSH',
  lpop: 'LPOP',
  rpop: 'RPOP',
  lrange_100: 'LRANGE (first 100 elements)',
  lrange_600: 'LRANGE (first 600 elements)',
  zadd: 'ZADD',
  zpopmin: 'ZPOPMIN',
  xadd: 'XADD',
};

/** Reads need every key of the key space present, with the row's value size. */
const READS: ReadonlySet<Test> = new Set(['get', 'mget10']);

export function formatSize(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** The redis-benchmark arguments for one row, after `-h 127.0.0.1 -p <port>`. */
export function benchmarkArgs(row: RowSpec, requests: number, keyspace: number): string[] {
  const common = ['-c', `${CLIENTS}`, '-r', `${keyspace}`, '-d', `${row.dataSize}`, '-n', `${requests}`];
  if (row.test === 'mget10') {
    // redis-benchmark has no -t mget: run MGET as a custom command. Every __rand_int__ is drawn separately.
    return [
      ...common,
      '-P',
      `${row.pipeline}`,
      '--csv',
      'mget',
      ...Array.from({ length: MGET_KEYS }, () => 'key:__rand_int__'),
    ];
  }
  if (row.test === 'xadd') {
    return [...common, '-P', `${row.pipeline}`, '--csv', 'XADD', 'mystream', '*', 'field', 'v:__rand_int__'];
  }
  return [...common, '-t', row.test, '-P', `${row.pipeline}`, '--csv'];
}

/** One line of redis-benchmark's CSV: the test's name and its figures. */
export interface CsvRow {
  test: string;
  rps: number;
  avgMs: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

const CSV_COLUMNS = {
  rps: 'rps',
  avgMs: 'avg_latency_ms',
  minMs: 'min_latency_ms',
  p50Ms: 'p50_latency_ms',
  p95Ms: 'p95_latency_ms',
  p99Ms: 'p99_latency_ms',
  maxMs: 'max_latency_ms',
} as const satisfies Record<Exclude<keyof CsvRow, 'test'>, string>;

/** Splits one CSV line into fields; fields may be double-quoted, with `""` for a quote inside. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new Error(`unterminated quoted field in CSV line: ${line}`);
        field += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    if (line[i] !== ',') throw new Error(`unexpected character after a quoted field in CSV line: ${line}`);
    i++;
  }
}

/**
 * Parses redis-benchmark 7's `--csv` output: a header
 * `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"`
 * and one line per test. Lines before the header (warnings) are skipped; columns are found by name.
 */
export function parseBenchmarkCsv(text: string): CsvRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const headerAt = lines.findIndex((line) => /(^|,)"test"(,|$)/.test(line));
  const headerLine = lines[headerAt];
  if (headerLine === undefined) throw new Error('no CSV header ("test","rps",…) in redis-benchmark output');
  const header = splitCsvLine(headerLine);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) {
      throw new Error(`redis-benchmark CSV has no "${name}" column (redis-benchmark 7 or later is needed)`);
    }
    return index;
  };
  const testIndex = column('test');
  const indexes = Object.entries(CSV_COLUMNS).map(([key, name]) => [key, column(name)] as const);
  return lines.slice(headerAt + 1).map((line) => {
    const fields = splitCsvLine(line);
    const row: Record<string, number | string> = { test: fields[testIndex] ?? '' };
    for (const [key, index] of indexes) {
      const value = Number(fields[index]);
      if (fields[index] === undefined || fields[index] === '' || !Number.isFinite(value)) {
        throw new Error(
          `redis-benchmark CSV: ${CSV_COLUMNS[key as keyof typeof CSV_COLUMNS]} is not a number in: ${line}`,
        );
      }
      row[key] = value;
    }
    return row as unknown as CsvRow;
  });
}

/**
 * Runs redis-benchmark with `args` (after `-h 127.0.0.1 -p <port>`) and returns its one CSV row's figures:
 * `rps` and the latency percentiles. Other suites measure with it too (log mode).
 */
export async function runRedisBenchmark(
  port: number,
  args: readonly string[],
  requests: number,
  signal: AbortSignal,
): Promise<RowRun> {
  const argv = ['-h', '127.0.0.1', '-p', `${port}`, ...args];
  const result = await runTool(REDIS_BENCHMARK, argv, {
    signal,
    // Generous: only a hung or pathologically slow server gets near it.
    timeoutMs: 60_000 + requests * 2,
    failFastOn: /Could not connect/,
  });
  const detail = {
    command: [REDIS_BENCHMARK, ...argv],
    exitCode: result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    wallMs: Math.round(result.durationMs),
  };
  const problem =
    result.killedBecause !== undefined
      ? `redis-benchmark was stopped because ${result.killedBecause}`
      : result.code !== 0
        ? `redis-benchmark exited with ${result.code ?? result.signal}`
        : FAILURE_TEXT.test(result.stderr)
          ? 'redis-benchmark reported an error'
          : undefined;
  if (problem) throw new RunFailure(problem, result.stderr || result.stdout, detail);
  // LRANGE tests first fill the list with a pass of their own ("LPUSH (needed to benchmark LRANGE)").
  const parsed = parseBenchmarkCsv(result.stdout).filter((r) => !/needed to benchmark/i.test(r.test));
  const [row] = parsed;
  if (parsed.length !== 1 || row === undefined) {
    throw new RunFailure(`expected one CSV row, got ${parsed.length}`, result.stdout, detail);
  }
  const { test: _test, ...measurement } = row;
  return { measurement, detail };
}

/** Errors redis-benchmark prints while still exiting 0, or before spinning forever on a refused connection. */
const FAILURE_TEXT =
  /Could not connect|Error from server|Error:|Connection (reset|refused)|Server closed the connection/i;

export const redisBenchmarkSuite: Suite = {
  name: 'redis-benchmark',
  title: 'redis-benchmark',
  description:
    "Debian's `redis-benchmark` (single-threaded client, on the same machine as the server) with " +
    `${CLIENTS} connections and random keys over the whole key space. GET and MGET rows read a key space ` +
    'that was first filled, unmeasured, with values of the row’s size; SET and MSET rows overwrite it. ' +
    'HSET adds random fields to one hash, SADD random members to one set, and SPOP pops from that set; ' +
    'XADD appends entries with ids from the clock to one stream. ' +
    '`-P 16` rows pipeline 16 requests per connection. Figures are redis-benchmark’s own: requests per ' +
    'second (MSET and MGET count one request per command, of 10 keys) and latency percentiles in ms.',
  check: () => toolMissing(REDIS_BENCHMARK, ['--version']),
  plan(mode: Mode): SuitePlan {
    const baseRequests = REQUESTS[mode];
    /** Per target: the value size every key holds, or `undefined` when not every key holds the same. */
    const loaded = new Map<TargetName, number | undefined>();

    const rows = ROWS.map((spec): BenchRow => {
      const requests = requestsFor(spec, mode);
      const keyspace = keyspaceFor(mode, spec.dataSize);
      const args = benchmarkArgs(spec, requests, keyspace);
      const suffix = `${spec.test}-${spec.dataSize}b-p${spec.pipeline}`;
      return {
        id: suffix,
        label: `${TEST_LABELS[spec.test]} · ${formatSize(spec.dataSize)} · -P ${spec.pipeline}`,
        command: [REDIS_BENCHMARK, '-h', '127.0.0.1', '-p', '<port>', ...args].join(' '),
        prepare: READS.has(spec.test)
          ? async (target: Target, ctx: RunContext) => {
              if (loaded.get(target.name) === spec.dataSize) return undefined;
              const preload = await fillKeys(target.server.port, 0, keyspace, spec.dataSize, ctx.signal);
              loaded.set(target.name, spec.dataSize);
              return { preload };
            }
          : undefined,
        async measure(target: Target, ctx: RunContext) {
          if (!READS.has(spec.test) && loaded.get(target.name) !== spec.dataSize) {
            loaded.set(target.name, undefined);
          }
          return runRedisBenchmark(target.server.port, args, requests, ctx.signal);
        },
      };
    });

    return {
      settings: {
        host: '127.0.0.1',
        clients: CLIENTS,
        keyspace: [...new Set(ROWS.map((r) => r.dataSize))]
          .map((size) => `${keyspaceFor(mode, size).toLocaleString('en-US')} keys (${formatSize(size)})`)
          .join(', '),
        'requests (-P 1 rows)': baseRequests,
        'requests (LRANGE 100 and 600 rows)': `${requestsFor({ test: 'lrange_100', pipeline: 1, dataSize: 64 }, mode)} and ${requestsFor({ test: 'lrange_600', pipeline: 1, dataSize: 64 }, mode)}`,
        'requests (-P 16 GET, SET, HSET, SADD and RPUSH rows)': baseRequests * PIPELINED_FACTOR.get,
        'requests (-P 16 MSET and MGET rows)': baseRequests * PIPELINED_FACTOR.mset,
        'redis-benchmark threads': 1,
      },
      rows,
    };
  },
};
