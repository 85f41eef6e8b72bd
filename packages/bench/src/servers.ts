/**
 * Starts the servers under test: sluice-server, and redis-server as the reference, each on a free
 * loopback port with a fresh temporary directory, and waits until a raw PING answers +PONG.
 *
 * Same contract as @sluice/testkit's startSluice/startRedis; kept here so the benchmark does not depend
 * on the test helpers' release timing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './exec.js';
import { pingOnce } from './raw-client.js';

/** The repository root (this file is packages/bench/{src,dist}/servers.*). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The sluice-server entry point of a checkout, and what it runs: absent until @sluice/server is built. */
export function sluiceServerFiles(checkout: string = repoRoot): { script: string; built: string } {
  return {
    script: path.join(checkout, 'packages/server/bin/sluice-server.js'),
    built: path.join(checkout, 'packages/server/dist/main.js'),
  };
}

/** The first file a checkout needs to run sluice-server that does not exist (the checkout itself first). */
export function sluiceServerMissing(checkout: string = repoRoot): string | undefined {
  const { script, built } = sluiceServerFiles(checkout);
  return [checkout, script, built].find((file) => !existsSync(file));
}

export interface RunningServer {
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** The command line the server was started with. */
  readonly command: readonly string[];
  /** False once the process has exited. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after a grace period; removes the directory if it was created here. */
  stop(): Promise<void>;
  /** SIGKILL now, like a crash; leaves the directory in place. */
  kill(): void;
  /** The last 64 KiB of the process's stdout and stderr. */
  output(): string;
}

export interface StartOptions {
  /** Extra arguments after the standard ones. */
  args?: readonly string[];
  /** Data directory; a temporary one (removed on stop) when absent. */
  dir?: string;
  /** How long to wait for the first +PONG. */
  readyTimeoutMs?: number;
  /** Count `-LOADING` as an answer too (a log-mode server still applying its topic). */
  acceptLoading?: boolean;
}

export interface StartSluiceOptions extends StartOptions {
  /** The checkout whose packages/server runs; this one when absent. */
  checkout?: string;
}

export interface StartRedisOptions extends StartOptions {
  /** `aof-everysec`: --appendonly yes --appendfsync everysec. `none` (default): --appendonly no. */
  persistence?: 'none' | 'aof-everysec';
}

export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(output ? `${message}\n--- server output ---\n${output.trimEnd()}` : message);
  }
}

export function startSluice(options: StartSluiceOptions = {}): Promise<RunningServer> {
  const checkout = options.checkout ?? repoRoot;
  const own = options.checkout === undefined;
  const missing = sluiceServerMissing(checkout);
  if (missing !== undefined) {
    return Promise.reject(
      new ServerStartError(
        `sluice-server is not available: ${path.relative(process.cwd(), missing) || missing} does not exist. ` +
          (own
            ? 'Build @sluice/server first, or measure only the reference with --target redis.'
            : `Build it in that checkout first: ${baselineBuildCommand(checkout)}`),
      ),
    );
  }
  return launch({
    label: own ? 'sluice-server' : 'sluice-server-base',
    command: process.execPath,
    args: (port, dir) => [
      sluiceServerFiles(checkout).script,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      ...(options.args ?? []),
    ],
    dir: options.dir,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    acceptLoading: options.acceptLoading ?? false,
  });
}

/** How to build the sluice-server of another checkout, for messages. */
export function baselineBuildCommand(checkout: string): string {
  return `cd ${checkout} && pnpm install --frozen-lockfile && pnpm --filter @sluice/server... build`;
}

export function startRedis(options: StartRedisOptions = {}): Promise<RunningServer> {
  const persistence =
    options.persistence === 'aof-everysec'
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no'];
  return launch({
    label: 'redis-server',
    command: 'redis-server',
    args: (port, dir) => [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--daemonize',
      'no',
      ...persistence,
      ...(options.args ?? []),
    ],
    dir: options.dir,
    readyTimeoutMs: options.readyTimeoutMs ?? 10_000,
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

interface LaunchSpec {
  label: string;
  command: string;
  args(port: number, dir: string): string[];
  dir: string | undefined;
  readyTimeoutMs: number;
  acceptLoading?: boolean;
}

const OUTPUT_LIMIT = 64 * 1024;
const PORT_ATTEMPTS = 3;

async function launch(spec: LaunchSpec): Promise<RunningServer> {
  const ownDir = spec.dir === undefined;
  const dir = spec.dir ?? (await mkdtemp(path.join(os.tmpdir(), `sluice-bench-${spec.label}-`)));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launchOnce(spec, dir, ownDir);
      } catch (err) {
        // Another process may take the port between freePort() and the server's bind: try another one.
        const portTaken =
          err instanceof ServerStartError && /address already in use|EADDRINUSE/i.test(err.output);
        if (!portTaken || attempt >= PORT_ATTEMPTS) throw err;
      }
    }
  } catch (err) {
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function launchOnce(spec: LaunchSpec, dir: string, ownDir: boolean): Promise<RunningServer> {
  const port = await freePort();
  const args = spec.args(port, dir);
  const child = spawn(spec.command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT * 2) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  let exitDescription: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      exitDescription = `could not be started (${err.message})`;
      resolve();
    });
  });
  const tail = () => output.slice(-OUTPUT_LIMIT);

  let stopping: Promise<void> | undefined;
  const server: RunningServer = {
    port,
    dir,
    pid: child.pid ?? -1,
    command: [spec.command, ...args],
    alive: () => exitDescription === undefined,
    kill: () => {
      if (exitDescription === undefined) child.kill('SIGKILL');
    },
    output: tail,
    stop: () => {
      stopping ??= (async () => {
        await terminate(child, exited, () => exitDescription === undefined);
        if (ownDir) await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };

  const deadline = Date.now() + spec.readyTimeoutMs;
  for (;;) {
    if (exitDescription !== undefined) {
      throw new ServerStartError(`${spec.label} ${exitDescription} before answering PING`, tail());
    }
    if (await pingOnce(port, 500, spec.acceptLoading)) return server;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new ServerStartError(
        `${spec.label} did not answer PING on port ${port} within ${spec.readyTimeoutMs} ms`,
        tail(),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>, alive: () => boolean): Promise<void> {
  if (!alive()) return;
  child.kill('SIGTERM');
  const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([exited, grace])) === 'timeout' && alive()) {
    child.kill('SIGKILL');
    await exited;
  }
}
