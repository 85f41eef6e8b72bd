/**
 * The HTTP suite: autocannon against sluice-server's HTTP endpoints, health and REST reads. Only Sluice
 * has them, so the figures are absolute: there is no redis-server to divide by, only the baseline build
 * (`sluice-base`) when the run has one.
 */
import { createRequire } from 'node:module';
import { runTool } from '../exec.js';
import { connect } from '../raw-client.js';
import { freePort, type RunningServer, ServerStartError } from '../servers.js';
import {
  type BenchRow,
  type Mode,
  type RunContext,
  RunFailure,
  RunSkipped,
  type Suite,
  type SuitePlan,
  sluiceRatios,
  type Target,
} from '../suite.js';
import type { TargetName } from '../targets.js';
import { formatSize } from './redis-benchmark.js';

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

const CONNECTIONS = 50;
/** autocannon measures in whole seconds. */
export const DURATION_S: Record<Mode, number> = { full: 10, quick: 1, tiny: 1 };
const WARMUP_S: Record<Mode, number> = { full: 2, quick: 1, tiny: 0 };

export const NO_HTTP_PORT = 'sluice-server has no --http-port yet';

/**
 * Whether a sluice-server that would not start said it does not know `--http-port` (then the suite is
 * skipped, not failed): `unknown setting 'http-port'`, or any message naming the flag as unknown.
 */
export function rejectsHttpPort(output: string): boolean {
  return output
    .split('\n')
    .some(
      (line) => /http-port/.test(line) && /unknown|unrecogni[sz]ed|not supported|bad directive/i.test(line),
    );
}

interface HttpRowSpec {
  id: string;
  label: string;
  /** The request path; `value` rows read a key preloaded with that many bytes. */
  path: string;
  valueSize?: number;
}

const keyFor = (size: number) => `bench:http:${size}`;

export const ROWS: readonly HttpRowSpec[] = [
  { id: 'healthz', label: 'GET /healthz', path: '/healthz' },
  ...[100, 10240].map((size) => ({
    id: `get-key-${size}b`,
    label: `GET /v1/keys/{key} · ${formatSize(size)}`,
    path: `/v1/keys/${encodeURIComponent(keyFor(size))}`,
    valueSize: size,
  })),
];

export function autocannonArgs(url: string, seconds: number, connections = CONNECTIONS): string[] {
  return [AUTOCANNON, '-c', `${connections}`, '-p', '1', '-d', `${seconds}`, '-j', url];
}

/** The figures of autocannon's `--json` output this suite uses. */
interface AutocannonResult {
  start: string;
  finish: string;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { mean: number; min: number; max: number; p50: number; p90: number; p99: number; p99_9: number };
  requests: { total: number };
}

async function autocannon(url: string, seconds: number, signal: AbortSignal, connections?: number) {
  const argv = autocannonArgs(url, seconds, connections);
  const result = await runTool(process.execPath, argv, { signal, timeoutMs: 30_000 + seconds * 3000 });
  const detail: Record<string, unknown> = {
    command: ['node', ...argv],
    exitCode: result.code,
    stderr: result.stderr,
    wallMs: Math.round(result.durationMs),
  };
  if (result.killedBecause !== undefined || result.code !== 0) {
    throw new RunFailure(
      `autocannon ${result.killedBecause ? `was stopped because ${result.killedBecause}` : `exited with ${result.code ?? result.signal}`}`,
      result.stderr,
      detail,
    );
  }
  let json: AutocannonResult;
  try {
    json = JSON.parse(result.stdout) as AutocannonResult;
  } catch {
    throw new RunFailure('autocannon printed no JSON result', result.stdout + result.stderr, detail);
  }
  detail.autocannon = json;
  return { json, detail };
}

/** Waits until GET /readyz answers 200. */
async function waitReady(base: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`GET ${base}/readyz did not answer 200 within 15 s (last: ${last})`);
}

export const httpSuite: Suite = {
  name: 'http',
  title: 'HTTP',
  description:
    '[autocannon](https://github.com/mcollina/autocannon) (in a Node.js process of its own, on the same ' +
    `machine) against sluice-server’s HTTP endpoints: ${CONNECTIONS} keep-alive connections, one request ` +
    'in flight on each, for a fixed time. The suite starts a sluice-server of its own with `--http-port` ' +
    '(one per sluice build, when the run compares one with a baseline), preloads the keys it reads over ' +
    'RESP, and warms the server up before the first row. redis-server has no HTTP API, so these figures ' +
    'are absolute, not ratios over redis: compare them between runs of this suite, or with the baseline ' +
    'build of the same run, not with the other suites. autocannon measures latency in whole ' +
    'milliseconds: 0 means under one.',
  targets: ['sluice', 'sluice-base'],
  plan(mode: Mode, targets: readonly TargetName[]): SuitePlan {
    /** Per target: its HTTP server, started by the first row's prepare. */
    const started = new Map<TargetName, Promise<{ server: RunningServer; base: string }>>();
    const start = async (target: Target, signal: AbortSignal) => {
      const httpPort = await freePort();
      let server: RunningServer;
      try {
        server = await target.spec.start({ args: ['--http-port', `${httpPort}`] });
      } catch (err) {
        if (err instanceof ServerStartError && rejectsHttpPort(err.output)) {
          const said =
            err.output
              .trim()
              .split('\n')
              .find((l) => /http-port/.test(l)) ?? '';
          throw new RunSkipped(`${NO_HTTP_PORT} (it said: ${said.trim()})`);
        }
        throw err;
      }
      const base = `http://127.0.0.1:${httpPort}`;
      try {
        await waitReady(base, signal);
        const conn = await connect(server.port);
        try {
          for (const row of ROWS) {
            if (row.valueSize !== undefined) {
              await conn.command('SET', keyFor(row.valueSize), Buffer.alloc(row.valueSize, 'x'));
            }
          }
        } finally {
          conn.close();
        }
        const firstRead = ROWS.find((r) => r.valueSize !== undefined);
        if (WARMUP_S[mode] > 0 && firstRead) {
          await autocannon(`${base}${firstRead.path}`, WARMUP_S[mode], signal, 10);
        }
      } catch (err) {
        await server.stop();
        throw err;
      }
      return { server, base };
    };

    const rows = ROWS.map(
      (spec): BenchRow => ({
        id: spec.id,
        label: spec.label,
        command: [
          'autocannon',
          ...autocannonArgs(`http://127.0.0.1:<http-port>${spec.path}`, DURATION_S[mode]).slice(1),
        ].join(' '),
        async prepare(target: Target, ctx: RunContext) {
          let server = started.get(target.name);
          if (!server) {
            server = start(target, ctx.signal);
            started.set(target.name, server);
          }
          const { server: running, base } = await server;
          return { server: { command: running.command, httpBase: base } };
        },
        async measure(target: Target, ctx: RunContext) {
          const starting = started.get(target.name);
          if (!starting) throw new Error('the HTTP server was not started');
          const { server, base } = await starting;
          if (!server.alive())
            throw new Error(`the suite's sluice-server exited: ${server.output().slice(-500)}`);
          const { json, detail } = await autocannon(`${base}${spec.path}`, DURATION_S[mode], ctx.signal);
          const problems = [
            json.errors > 0 ? `${json.errors} connection error(s)` : '',
            json.timeouts > 0 ? `${json.timeouts} timeout(s)` : '',
            json.non2xx > 0 ? `${json.non2xx} answer(s) not 2xx` : '',
          ].filter(Boolean);
          if (problems.length > 0) throw new RunFailure(problems.join(', '), '', detail);
          const seconds = (Date.parse(json.finish) - Date.parse(json.start)) / 1000;
          if (!(json.requests.total > 0) || !(seconds > 0)) {
            throw new RunFailure('autocannon completed no request', '', detail);
          }
          return {
            measurement: {
              rps: json.requests.total / seconds,
              avgMs: json.latency.mean,
              minMs: json.latency.min,
              p50Ms: json.latency.p50,
              p90Ms: json.latency.p90,
              p99Ms: json.latency.p99,
              p999Ms: json.latency.p99_9,
              maxMs: json.latency.max,
            },
            detail,
          };
        },
      }),
    );

    return {
      settings: {
        connections: CONNECTIONS,
        'requests in flight per connection': 1,
        'measured time per row (s)': DURATION_S[mode],
        'warm-up before the first row (s)': WARMUP_S[mode],
      },
      rows,
      tables: [
        {
          columns: [
            { header: 'rps', figures: ['rps'], format: 'rate' },
            { header: 'p50 / p99 / p99.9 ms', figures: ['p50Ms', 'p99Ms', 'p999Ms'], format: 'whole-ms' },
          ],
          ratios: sluiceRatios(targets, 'rps'),
        },
      ],
      charts: [{ kind: 'rate-bars' }],
      async close() {
        const servers = await Promise.allSettled(started.values());
        await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.server.stop() : undefined)));
      },
    };
  },
};
