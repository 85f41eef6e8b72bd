/** sluice-bridge as a child process, the way a container runs it, with its JSON log lines parsed. */

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

/** `bin/sluice-bridge.js`, found from the package root (the bench runs a compiled copy of this file). */
export const BRIDGE_BIN = join(packageRoot(), 'bin', 'sluice-bridge.js');

export interface LogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

export interface BridgeProcess {
  readonly pid: number;
  /** The HTTP port (`--http-port 0` by default, read from the `http listening` line). */
  readonly httpPort: number;
  /** Log lines so far; lines that are not JSON are kept as `{ msg: <text>, level: 'unparsed' }`. */
  logs(): LogLine[];
  /** Everything printed so far, for failure messages. */
  output(): string;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  get(path: string): Promise<{ status: number; body: string }>;
  /** `/metrics` parsed: `name{labels}` → value. */
  metrics(): Promise<Map<string, number>>;
  /** Sum of a metric over all label sets matching `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Wait until `/readyz` answers `status` (200 by default). */
  waitReady(timeoutMs?: number, status?: number): Promise<void>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: string | null }>;
  kill(): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
}

export interface StartBridgeOptions {
  brokers: string;
  topic: string;
  target: string;
  /** More arguments, after the defaults (later ones win). */
  args?: string[];
  env?: Record<string, string>;
  /** Wait for the HTTP server (default true). */
  waitHttp?: boolean;
  /** Pass brokers, topic and target as SLUICE_BRIDGE_* variables instead of flags. */
  viaEnv?: boolean;
}

/** Defaults that keep the tests quick: a short session (restarts after SIGKILL) and frequent lag polls. */
export const FAST_ARGS = [
  '--http-port',
  '0',
  '--http-host',
  '127.0.0.1',
  '--session-timeout-ms',
  '6000',
  '--lag-interval-ms',
  '200',
  '--commit-interval-ms',
  '500',
  '--retry-max-ms',
  '1000',
  '--metadata-max-age-ms',
  '2000',
  '--ready-max-lag-records',
  '0',
  '--log-level',
  'debug',
];

export async function startBridge(options: StartBridgeOptions): Promise<BridgeProcess> {
  // The test environment's own SLUICE_BRIDGE_* variables (the test target list) are not for the bridge.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SLUICE_BRIDGE_') && v !== undefined) env[k] = v;
  const main = options.viaEnv
    ? []
    : ['--brokers', options.brokers, '--topic', options.topic, '--target', options.target];
  if (options.viaEnv) {
    env.SLUICE_BRIDGE_BROKERS = options.brokers;
    env.SLUICE_BRIDGE_TOPIC = options.topic;
    env.SLUICE_BRIDGE_TARGET = options.target;
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [BRIDGE_BIN, ...main, ...FAST_ARGS, ...(options.args ?? [])],
    {
      env: { ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const watchers = new Set<(line: LogLine) => void>();
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    raw.push(text);
    partial += text;
    let nl = partial.indexOf('\n');
    while (nl >= 0) {
      const text = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { time: '', level: 'error', msg: text, unparsed: true };
      }
      lines.push(line);
      for (const watch of watchers) watch(line);
      nl = partial.indexOf('\n');
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => raw.push(text));
  let exitStatus: { code: number | null; signal: string | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      resolve(exitStatus);
    });
  });

  const waitForLog = (predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const found = lines.find(predicate);
      if (found !== undefined) {
        resolve(found);
        return;
      }
      const timer = setTimeout(() => {
        watchers.delete(watch);
        reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${tail(raw.join(''))}`));
      }, timeoutMs);
      const watch = (line: LogLine): void => {
        if (!predicate(line)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        resolve(line);
      };
      watchers.add(watch);
      void exited.then((status) => {
        if (!watchers.has(watch)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        reject(
          new Error(
            `bridge exited (${JSON.stringify(status)}) before the log line; output:\n${tail(raw.join(''))}`,
          ),
        );
      });
    });

  let httpPort = -1;
  if (options.waitHttp ?? true) {
    const line = await waitForLog((l) => l.msg === 'http listening', 15_000);
    httpPort = Number(line.port);
  }

  const get = async (path: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(`http://127.0.0.1:${httpPort}${path}`);
    return { status: res.status, body: await res.text() };
  };

  const metrics = async (): Promise<Map<string, number>> => {
    const { body } = await get('/metrics');
    const map = new Map<string, number>();
    for (const line of body.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const at = line.lastIndexOf(' ');
      map.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return map;
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 40_000) => {
    if (exitStatus !== undefined) return exitStatus;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const status = await exited;
    clearTimeout(timer);
    return status;
  };

  return {
    pid: child.pid ?? -1,
    httpPort,
    logs: () => lines,
    output: () => raw.join(''),
    waitForLog,
    get,
    metrics,
    metric: async (name, labels = {}) => {
      let sum = 0;
      for (const [key, value] of await metrics()) {
        const brace = key.indexOf('{');
        const metricName = brace < 0 ? key : key.slice(0, brace);
        if (metricName !== name) continue;
        if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
      }
      return sum;
    },
    waitReady: async (timeoutMs = 60_000, status = 200) => {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        if (exitStatus !== undefined)
          throw new Error(`bridge exited: ${JSON.stringify(exitStatus)}\n${tail(raw.join(''))}`);
        try {
          const res = await get('/readyz');
          if (res.status === status) return;
          last = res.body;
        } catch (err) {
          last = String(err);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `/readyz did not answer ${status} within ${timeoutMs} ms; last: ${last}\n${tail(raw.join(''))}`,
      );
    },
    stop,
    kill: async () => {
      await stop('SIGKILL');
    },
    exited,
  };
}

export function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Poll `check` until it returns true; throws `describe()`'s text after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A server restarting, say: try again.
    }
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((r) => setTimeout(r, 200));
  }
}
