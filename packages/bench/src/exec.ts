/** Runs an external tool to completion, with a time limit, cancellation and its whole output kept. */
import { spawn } from 'node:child_process';

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
}

export function runTool(
  command: string,
  args: readonly string[],
  options: ToolOptions = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killedBecause: string | undefined;
    const end = (reason: string) => {
      if (killedBecause === undefined) killedBecause = reason;
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
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
