/**
 * The scale suite: how throughput and memory change as the data set grows, from 10⁴ keys to 10⁶, and
 * 10⁷ in the full run. Each target gets a server of its own for the suite, filled up row by row.
 */
import { runTool, toolMissing } from '../exec.js';
import { directorySize, processMemory } from '../proc.js';
import { fillKeys } from '../raw-client.js';
import type { RunningServer } from '../servers.js';
import {
  type BenchRow,
  type Mode,
  type RunContext,
  RunFailure,
  type Suite,
  type SuitePlan,
  sluiceRatios,
  type Target,
} from '../suite.js';
import type { TargetName } from '../targets.js';
import { parseBenchmarkCsv, REDIS_BENCHMARK } from './redis-benchmark.js';

export const KEY_COUNTS: Record<Mode, readonly number[]> = {
  full: [10_000, 1_000_000, 10_000_000],
  quick: [10_000, 1_000_000],
  tiny: [1_000, 10_000],
};
/** Requests of each of GET and SET per run. */
export const REQUESTS: Record<Mode, number> = { full: 500_000, quick: 50_000, tiny: 5_000 };
const VALUE_SIZE = 64;
const CLIENTS = 50;
const PIPELINE = 16;

/** `10⁴ keys`. */
export function keysLabel(count: number): string {
  const exponent = Math.log10(count);
  if (!Number.isInteger(exponent)) return `${count.toLocaleString('en-US')} keys`;
  const superscript = [...String(exponent)].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]).join('');
  return `10${superscript} keys`;
}

export function scaleArgs(keys: number, requests: number): string[] {
  return [
    '-c',
    `${CLIENTS}`,
    '-P',
    `${PIPELINE}`,
    '-r',
    `${keys}`,
    '-n',
    `${requests}`,
    '-d',
    `${VALUE_SIZE}`,
    '-t',
    'set,get',
    '--csv',
  ];
}

export const scaleSuite: Suite = {
  name: 'scale',
  title: 'Scale',
  description:
    'How throughput and memory change with the size of the data set. For this suite each target gets a ' +
    'server of its own (started like the shared one, with its own temporary directory), filled row by ' +
    `row, unmeasured, with pipelined MSETs of ${VALUE_SIZE}-byte values up to the row’s number of keys ` +
    '(`key:000000000000` …). Each run is one `redis-benchmark` with SET then GET tests over random keys ' +
    `of the whole key space, ${CLIENTS} connections, \`-P ${PIPELINE}\`; SET overwrites keys with values ` +
    'of the same size, so the key count stays the row’s. Memory is read after the run: the resident set ' +
    'size of the server process (VmRSS in /proc/<pid>/status; `anon` is its RssAnon part: for ' +
    'sluice-server, RSS also counts the pages of the LMDB file it has mapped, which the kernel can ' +
    'reclaim) and the bytes its data directory takes on disk (LMDB for sluice, the AOF for redis).',
  check: () => toolMissing(REDIS_BENCHMARK, ['--version']),
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    const own = new Map<TargetName, Promise<RunningServer>>();
    /** Keys each own server holds so far. */
    const filled = new Map<TargetName, number>();
    const serverFor = (target: Target) => {
      let server = own.get(target.name);
      if (!server) {
        server = target.spec.start();
        own.set(target.name, server);
      }
      return server;
    };
    const requests = REQUESTS[mode];

    const rows = KEY_COUNTS[mode].map((keys): BenchRow => {
      const args = scaleArgs(keys, requests);
      return {
        id: `keys-${keys}`,
        label: keysLabel(keys),
        command: [REDIS_BENCHMARK, '-h', '127.0.0.1', '-p', '<port>', ...args].join(' '),
        async prepare(target: Target, ctx: RunContext) {
          const server = await serverFor(target);
          const from = filled.get(target.name) ?? 0;
          const fill = await fillKeys(server.port, from, keys, VALUE_SIZE, ctx.signal);
          filled.set(target.name, keys);
          await target.spec.settle(server, ctx.signal);
          return { server: server.command, fill };
        },
        async measure(target: Target, ctx: RunContext) {
          const server = await serverFor(target);
          if (!server.alive())
            throw new Error(`the suite's ${target.name} server exited: ${server.output().slice(-500)}`);
          await target.spec.settle(server, ctx.signal);
          const argv = ['-h', '127.0.0.1', '-p', `${server.port}`, ...args];
          const result = await runTool(REDIS_BENCHMARK, argv, {
            signal: ctx.signal,
            timeoutMs: 120_000 + requests,
            failFastOn: /Could not connect/,
          });
          const detail: Record<string, unknown> = {
            command: [REDIS_BENCHMARK, ...argv],
            exitCode: result.code,
            stdout: result.stdout,
            stderr: result.stderr,
            wallMs: Math.round(result.durationMs),
          };
          if (result.killedBecause !== undefined || result.code !== 0) {
            throw new RunFailure(
              `redis-benchmark ${result.killedBecause ? `was stopped because ${result.killedBecause}` : `exited with ${result.code ?? result.signal}`}`,
              result.stderr || result.stdout,
              detail,
            );
          }
          const lines = parseBenchmarkCsv(result.stdout);
          const set = lines.find((l) => l.test === 'SET');
          const get = lines.find((l) => l.test === 'GET');
          if (!set || !get) throw new RunFailure('expected a SET and a GET line', result.stdout, detail);
          const memory = await processMemory(server.pid);
          const dirBytes = await directorySize(server.dir);
          return {
            measurement: {
              rps: get.rps,
              p50Ms: get.p50Ms,
              p99Ms: get.p99Ms,
              setRps: set.rps,
              setP50Ms: set.p50Ms,
              setP99Ms: set.p99Ms,
              ...memory,
              dirBytes,
              keys,
            },
            detail,
          };
        },
      };
    });

    return {
      settings: {
        'keys per row': KEY_COUNTS[mode].join(', '),
        'value size (bytes)': VALUE_SIZE,
        clients: CLIENTS,
        pipeline: PIPELINE,
        'requests per test (SET, then GET)': requests,
      },
      rows,
      tables: [
        {
          caption: 'Throughput (requests per second, higher is better):',
          columns: [
            { header: 'GET rps', figures: ['rps'], format: 'rate' },
            { header: 'SET rps', figures: ['setRps'], format: 'rate' },
          ],
          ratios: [...sluiceRatios(targets, 'rps', ' GET'), ...sluiceRatios(targets, 'setRps', ' SET')],
        },
        {
          caption:
            'Memory after the run (lower is better): resident set size and its anonymous part, and the data ' +
            'directory on disk.',
          columns: [
            { header: 'RSS / anon', figures: ['rssBytes', 'rssAnonBytes'], format: 'bytes' },
            { header: 'data dir', figures: ['dirBytes'], format: 'bytes' },
          ],
          ratios: sluiceRatios(targets, 'rssBytes', ' RSS'),
        },
      ],
      charts: sluiceRatios(targets, 'rps').length > 0 ? [{ kind: 'ratio-bars' }] : [],
      async close() {
        const servers = await Promise.allSettled(own.values());
        await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
      },
    };
  },
};
