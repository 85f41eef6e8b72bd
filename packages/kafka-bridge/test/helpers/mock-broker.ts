/**
 * A Kafka cluster for the tests: `mock-broker.c` (librdkafka's mock cluster) compiled on first use into
 * a temporary directory, keyed by the source's hash so an edited source is rebuilt.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { run } from '@sluice/testkit';

/** The package's directory, found from this file wherever it runs from (the bench runs a compiled copy). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@sluice/kafka-bridge'
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the @sluice/kafka-bridge package directory');
    dir = parent;
  }
}

const SOURCE = join(packageRoot(), 'test', 'helpers', 'mock-broker.c');

let built: Promise<string> | undefined;

/** The path of the compiled mock broker, compiling it with `cc … -lrdkafka` if needed. */
export function buildMockBroker(): Promise<string> {
  built ??= (async () => {
    const source = readFileSync(SOURCE);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const dir = join(tmpdir(), `sluice-bridge-mock-broker-${hash}`);
    const binary = join(dir, 'mock-broker');
    if (existsSync(binary)) return binary;
    mkdirSync(dir, { recursive: true });
    const partial = `${binary}.${process.pid}`;
    const cc = process.env.CC ?? 'cc';
    const result = await run(cc, ['-O2', '-Wall', '-o', partial, SOURCE, '-lrdkafka'], {
      timeoutMs: 120_000,
    });
    if (result.code !== 0) {
      throw new Error(
        `compiling the mock broker failed (needs a C compiler and librdkafka-dev):\n${result.stderr}${result.stdout}`,
      );
    }
    renameSync(partial, binary);
    return binary;
  })();
  return built;
}

export interface MockBroker {
  /** `host:port,host:port,…` */
  readonly bootstrap: string;
  readonly pid: number;
  /** Run a fault-injection command (see mock-broker.c), e.g. `down -1`; rejects on `error …`. */
  command(line: string): Promise<void>;
  /** Take every broker down (connections dropped and refused) or bring them back. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface MockBrokerOptions {
  brokers?: number;
  topics: { name: string; partitions: number }[];
}

export async function startMockBroker(options: MockBrokerOptions): Promise<MockBroker> {
  const binary = await buildMockBroker();
  const args = [String(options.brokers ?? 1)];
  for (const topic of options.topics) args.push(topic.name, String(topic.partitions));
  const child: ChildProcess = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const pending: ((line: string) => void)[] = [];
  const early: string[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  lines.on('line', (line) => {
    const waiter = pending.shift();
    if (waiter === undefined) early.push(line);
    else waiter(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = (what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const line = early.shift();
      if (line !== undefined) {
        resolve(line);
        return;
      }
      const timer = setTimeout(
        () => reject(new Error(`mock broker: no answer to ${what}; stderr: ${stderr}`)),
        10_000,
      );
      pending.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
  const bootstrap = await nextLine('start');
  let queue = Promise.resolve();
  const command = (line: string): Promise<void> => {
    const result = queue.then(async () => {
      child.stdin?.write(`${line}\n`);
      const answer = await nextLine(line);
      if (answer !== 'ok') throw new Error(`mock broker: ${line}: ${answer}`);
    });
    queue = result.catch(() => {});
    return result;
  };
  return {
    bootstrap,
    pid: child.pid ?? -1,
    command,
    down: () => command('down -1'),
    up: () => command('up -1'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
