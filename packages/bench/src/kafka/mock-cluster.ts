/**
 * A Kafka cluster on loopback: librdkafka's mock cluster, through the small C program sluice-bridge's
 * tests use (packages/testkit/kafka/mock-broker.c), compiled at run time into a temporary
 * directory (no binary is ever kept in the repository).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runTool, type StartedProcess, startProcess } from '../exec.js';
import { repoRoot } from '../servers.js';

export const MOCK_BROKER_SOURCE = path.join(repoRoot, 'packages/testkit/kafka/mock-broker.c');

export interface MockCluster {
  /** `host:port[,host:port]`, what --brokers and kcat -b take. */
  readonly bootstrap: string;
  readonly process: StartedProcess;
  /** Compiler and program, for results.json. */
  readonly command: readonly string[];
  stop(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Compiles the mock broker into a fresh temporary directory and starts it with `topics`. */
export async function startMockCluster(
  topics: readonly TopicSpec[],
  signal: AbortSignal,
): Promise<MockCluster> {
  if (!existsSync(MOCK_BROKER_SOURCE)) throw new Error(`${MOCK_BROKER_SOURCE} does not exist`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-kafka-'));
  try {
    const binary = path.join(dir, 'mock-broker');
    const compile = ['-O2', '-o', binary, MOCK_BROKER_SOURCE, '-lrdkafka'];
    const built = await runTool('cc', compile, { signal, timeoutMs: 60_000 });
    if (built.code !== 0) {
      throw new Error(
        `cc ${compile.join(' ')} failed: ${built.stderr.trim().split('\n').slice(-5).join(' ')}`,
      );
    }
    const args = ['1', ...topics.flatMap((t) => [t.name, `${t.partitions}`])];
    const broker = startProcess(binary, args, { stdin: 'pipe' });
    const bootstrap = await firstLine(broker, 10_000);
    return {
      bootstrap,
      process: broker,
      command: [binary, ...args],
      async stop() {
        // It exits at the end of its standard input; a signal if it does not.
        broker.stdin?.end();
        await Promise.race([broker.exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
        await broker.stop(3000);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The first line the process prints on stdout (the mock broker's bootstrap servers). */
function firstLine(proc: StartedProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      void proc.stop(1000);
      reject(
        new Error(`the mock broker printed no bootstrap servers within ${timeoutMs} ms: ${proc.output()}`),
      );
    }, timeoutMs);
    proc.onStdout((chunk) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    void proc.exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the mock broker ${how}: ${proc.output().trim()}`));
    });
  });
}
