/** Runs an external tool to completion, with a time limit, cancellation and its whole output kept. */
import { type ChildProcess, spawn } from 'node:child_process';

/** Long-running children of this process (servers, brokers, bridges), for a last-resort SIGKILL. */
const children = new Set<ChildProcess>();

/** Remembers `child` until it exits, so that `killChildren` can end it. */
export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
}

/** SIGKILLs every tracked child still running: for a second Ctrl-C, when there is no time to stop them. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

export interface ToolResult {
  /** Exit code, or null when the process was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Why the harness ended the process, if it did. */
  killedBecause?: string;
}

export interface ToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Ends the process as soon as its stderr matches (for tools that spin instead of exiting on failure). */
  failFastOn?: RegExp;
  /** Sends standard output to /dev/null instead of keeping it (`stdout` is then empty). */
  discardStdout?: boolean;
}

export function runTool(
  command: string,
  args: readonly string[],
  options: ToolOptions = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killedBecause: string | undefined;
    const end = (reason: string) => {
      if (killedBecause === undefined) killedBecause = reason;
      child.kill('SIGKILL');
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (options.failFastOn?.test(stderr)) end(`its output matched ${options.failFastOn}`);
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => end(`it ran longer than ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => end('the run was interrupted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanUp = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (err) => {
      cleanUp();
      reject(new Error(`could not run ${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      cleanUp();
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      const result: ToolResult = { code, signal, stdout, stderr, durationMs: performance.now() - started };
      if (killedBecause !== undefined) result.killedBecause = killedBecause;
      resolve(result);
    });
  });
}

/**
 * Why `command` cannot be used here, or undefined when `command args` (a `--version`) exits 0: for
 * `Suite.check`.
 */
export async function toolMissing(command: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const result = await runTool(command, args, { timeoutMs: 10_000 });
    if (result.code === 0) return undefined;
    return `${command} ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim().split('\n')[0] ?? ''}`;
  } catch (err) {
    return `it needs ${command} on the PATH (${(err as Error).message})`;
  }
}

/** A long-running process the harness started (a broker, a bridge) and must stop. */
export interface StartedProcess {
  readonly pid: number;
  readonly command: readonly string[];
  /** Its standard input, when started with `stdin: 'pipe'`. */
  readonly stdin: NodeJS.WritableStream | null;
  /** Resolves with a description of how it ended (`exited with code 1`, `was killed by SIGKILL`). */
  readonly exited: Promise<string>;
  alive(): boolean;
  /** The last 64 KiB of its stdout and stderr. */
  output(): string;
  /** Calls `listener` with every chunk of stdout, as text. */
  onStdout(listener: (text: string) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

export function startProcess(
  command: string,
  args: readonly string[],
  options: { stdin?: 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv } = {},
): StartedProcess {
  const child = spawn(command, args, {
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  track(child);
  let output = '';
  let ended: string | undefined;
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT * 2) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  // A broken stdin pipe (the process exited) is reported through `exited`, not as an exception.
  child.stdin?.on('error', () => {});
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve(ended);
    });
    child.once('error', (err) => {
      ended = `could not be started (${err.message})`;
      resolve(ended);
    });
  });
  return {
    pid: child.pid ?? -1,
    command: [command, ...args],
    stdin: child.stdin,
    exited,
    alive: () => ended === undefined,
    output: () => output.slice(-OUTPUT_LIMIT),
    onStdout: (listener) => child.stdout?.on('data', (chunk: Buffer) => listener(chunk.toString('utf8'))),
    async stop(graceMs = 10_000) {
      if (ended !== undefined) return;
      child.kill('SIGTERM');
      const grace = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), graceMs).unref(),
      );
      if ((await Promise.race([exited, grace])) === 'timeout' && ended === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
