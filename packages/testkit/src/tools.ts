import { spawn } from 'node:child_process';

/** What a finished command printed, and its exit code (null if a signal ended it). */
export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed (stdin is empty by default). */
  input?: string | Buffer;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kill the command with SIGKILL after this long (default 60000 ms) and reject. */
  timeoutMs?: number;
}

const DEFAULT_RUN_TIMEOUT_MS = 60_000;

/** Run a command to completion, collecting stdout and stderr as UTF-8. Rejects only if it cannot start or times out. */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const result = (code: number | null): RunResult => ({
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      code,
    });
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const { stdout: out, stderr: err } = result(null);
      reject(new Error(`${command} timed out after ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(result(code));
    });
    // The command may exit without reading all its input; that is its business, not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Run `redis-cli -h 127.0.0.1 -p <port> ...args`. */
export function redisCli(
  port: number,
  args: readonly string[],
  opts: { input?: string | Buffer; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], opts);
}

/**
 * The Python with the `redis` module (Debian's python3-redis). A pyenv `python3` earlier on PATH
 * usually lacks it, so this is an absolute path.
 */
export const PYTHON = '/usr/bin/python3';

/** Run `/usr/bin/python3 -c <script>` with extra environment variables. */
export function python(script: string, env?: Record<string, string>): Promise<RunResult> {
  return run(PYTHON, ['-c', script], env === undefined ? {} : { env });
}
