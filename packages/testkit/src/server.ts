import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { removeDir, tempDir } from './fs.js';
import { freePort } from './net.js';

/** How a server process ended: an exit code, or the signal that ended it. */
export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** A server process started by this module, listening on 127.0.0.1. */
export interface RunningServer {
  kind: 'sluice' | 'redis';
  host: '127.0.0.1';
  port: number;
  /** The data directory (`--dir`). */
  dir: string;
  pid: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Everything the process wrote to stdout and stderr so far, interleaved as it arrived. */
  output(): string;
  /** Send `signal` (default SIGTERM); after `timeoutMs` (default 10 s) send SIGKILL. Resolves on exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitStatus>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Stop the server, then remove `dir` if this module created it (a `dir` passed in is kept). */
  dispose(): Promise<void>;
  /** Resolves when the process has exited, whoever ended it. */
  exited: Promise<ExitStatus>;
}

/** Options shared by `startSluice` and `startRedis`. */
export interface StartOptions {
  /** Extra command-line arguments, after the ones this module adds. */
  args?: string[];
  /** Data directory to use (e.g. the one from a previous run, for restart tests); default: a new temp dir. */
  dir?: string;
  /** Port to listen on; default: a free port (retried if another process takes it first). */
  port?: number;
  /** Extra environment variables for the process. */
  env?: Record<string, string>;
  /** How long to wait for the server to answer PING (default 15000 ms). */
  timeoutMs?: number;
  /** A config file, passed as the first argument the way redis-server takes it. */
  configFile?: string;
  /**
   * Count a server that answers PING with `-LOADING` as started (a log-mode node still applying its
   * topic); by default the server must answer `+PONG` (or `-NOAUTH`).
   */
  acceptLoading?: boolean;
}

export interface StartRedisOptions extends StartOptions {
  /** `none` (default): `--save '' --appendonly no`; `aof-everysec`: `--save '' --appendonly yes --appendfsync everysec`. */
  persistence?: 'none' | 'aof-everysec';
}

const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 15_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const PROBE_INTERVAL_MS = 50;
const PORT_ATTEMPTS = 3;

/** The monorepo root: this file is `packages/testkit/{src,dist}/server.{ts,js}`. */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));

/** The sluice-server entry point that `startSluice` runs with `process.execPath`. */
export const sluiceServerScript: string = fileURLToPath(
  new URL('../../../packages/server/bin/sluice-server.js', import.meta.url),
);

/** The redis-server binary: `$REDIS_SERVER` or `redis-server` on PATH. */
const redisServerCommand = process.env.REDIS_SERVER ?? 'redis-server';

let redisServerFound: boolean | undefined;

/** Whether a `redis-server` binary can be run (checked once with `redis-server --version`). */
export function hasRedisServer(): boolean {
  redisServerFound ??= spawnSync(redisServerCommand, ['--version'], { stdio: 'ignore' }).status === 0;
  return redisServerFound;
}

/** Start sluice-server with `--port P --bind 127.0.0.1 --dir D` and wait until it answers PING. */
export async function startSluice(opts: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(sluiceServerScript)) {
    throw new Error(
      `sluice-server not found at ${sluiceServerScript}; build @sluice/server first ` +
        '(or run the compat tests with SLUICE_COMPAT_TARGETS=redis)',
    );
  }
  return launch('sluice', opts, (port, dir) => ({
    command: process.execPath,
    args: [
      sluiceServerScript,
      ...(opts.configFile === undefined ? [] : [opts.configFile]),
      ...['--port', String(port), '--bind', HOST, '--dir', dir],
      ...(opts.args ?? []),
    ],
  }));
}

/** Start a real redis-server (no RDB snapshots; AOF only if asked) and wait until it answers PING. */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RunningServer> {
  if (!hasRedisServer()) {
    throw new Error(
      `redis-server not found (tried ${JSON.stringify(redisServerCommand)}); install it ` +
        '(Debian: apt-get install redis-server), set $REDIS_SERVER, or run with SLUICE_COMPAT_TARGETS=sluice',
    );
  }
  const aof = opts.persistence === 'aof-everysec';
  return launch('redis', opts, (port, dir) => ({
    command: redisServerCommand,
    args: [
      ...(opts.configFile === undefined ? [] : [opts.configFile]),
      ...['--port', String(port), '--bind', HOST, '--dir', dir, '--daemonize', 'no', '--save', ''],
      ...(aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
      ...(opts.args ?? []),
    ],
  }));
}

type CommandLine = (port: number, dir: string) => { command: string; args: string[] };

async function launch(
  kind: RunningServer['kind'],
  opts: StartOptions,
  commandLine: CommandLine,
): Promise<RunningServer> {
  const ownsDir = opts.dir === undefined;
  const dir = opts.dir ?? (await tempDir(`sluice-${kind}-`));
  // The server runs in its data directory, which may not exist yet.
  await mkdir(dir, { recursive: true });
  try {
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? (await freePort());
      try {
        return await spawnServer(kind, port, dir, ownsDir, opts, commandLine(port, dir));
      } catch (err) {
        // freePort() is racy: another process may bind the port between our probe and the server's bind.
        const portTaken =
          err instanceof ServerStartError && /address already in use|EADDRINUSE/i.test(err.output);
        if (!portTaken || opts.port !== undefined || attempt >= PORT_ATTEMPTS) throw err;
      }
    }
  } catch (err) {
    if (ownsDir) await removeDir(dir);
    throw err;
  }
}

/** The server exited, or did not answer PING in time; `output` is what it printed. */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- server output ---\n${output}`);
  }
}

async function spawnServer(
  kind: RunningServer['kind'],
  port: number,
  dir: string,
  ownsDir: boolean,
  opts: StartOptions,
  { command, args }: { command: string; args: string[] },
): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const chunks: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (text: string) => chunks.push(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => chunks.push(text));
  const output = (): string => chunks.join('');

  let hasExited = false;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('error', (err) => {
      chunks.push(`[testkit] spawn failed: ${err.message}\n`);
      hasExited = true;
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = DEFAULT_STOP_TIMEOUT_MS) => {
    if (hasExited) return exited;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }).then(() => {
      if (!hasExited) child.kill('SIGKILL');
      return exited;
    });
    const status = await Promise.race([exited, escalate]);
    clearTimeout(timer);
    return status;
  };

  const server: RunningServer = {
    kind,
    host: HOST,
    port,
    dir,
    pid: child.pid ?? -1,
    url: `redis://${HOST}:${port}`,
    output,
    stop,
    kill: async () => {
      await stop('SIGKILL');
    },
    dispose: async () => {
      await stop();
      if (ownsDir) await removeDir(dir);
    },
    exited,
  };

  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  for (;;) {
    if (hasExited) {
      const { code, signal } = await exited;
      throw new ServerStartError(
        `${kind} server exited before it was ready (code ${code}, signal ${signal})`,
        output(),
      );
    }
    if (await probe(port, opts.acceptLoading ?? false)) return server;
    if (Date.now() > deadline) {
      await server.kill();
      throw new ServerStartError(`${kind} server did not answer PING on port ${port} in time`, output());
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

/**
 * Whether the server on `port` answers a RESP `PING` with `+PONG`, or with `-NOAUTH` (it is serving but
 * wants a password; `requirepass` may come from args or a config file, so it is accepted either way).
 * `-LOADING` (unless `acceptLoading`) and connection errors mean "not yet".
 */
function probe(port: number, acceptLoading: boolean): Promise<boolean> {
  const ready = acceptLoading ? /^(\+PONG|-NOAUTH|-LOADING)/ : /^(\+PONG|-NOAUTH)/;
  return new Promise((resolve) => {
    const socket = connect({ port, host: HOST });
    let received = '';
    const finish = (ready: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ready);
    };
    const timer = setTimeout(() => finish(false), 1000);
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end >= 0) finish(ready.test(received.slice(0, end)));
    });
  });
}

/** Children still running; killed when this process exits so a failed test run leaves no servers behind. */
const children = new Set<ChildProcess>();
let safetyNetInstalled = false;

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  const killAll = (): void => {
    for (const running of children) running.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAll();
      // Keep the default behaviour (exit) when nobody else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}
