/**
 * Log-mode nodes for tests: real sluice-server processes on one topic of librdkafka's mock cluster (the
 * testkit's `startMockBroker`), and what the tests read back from them: the state of every key (value
 * and expiry), and whether a node has applied the whole topic.
 */
import { type MockBroker, type RunningServer, startMockBroker, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';

export interface NodeOptions {
  /** Data directory to reuse (a restart). */
  dir?: string;
  port?: number;
  /** More settings, `--name value` pairs. */
  args?: string[];
  /** Wait for the node to have applied everything (default true). */
  caughtUp?: boolean;
}

/** A topic on a mock cluster and the log-mode nodes on it. */
export class LogCluster {
  readonly nodes: RunningServer[] = [];

  private constructor(
    readonly broker: MockBroker,
    readonly topic: string,
  ) {}

  static async start(topic = 'sluice', partitions = 4, brokers = 1): Promise<LogCluster> {
    const broker = await startMockBroker({ brokers, topics: [{ name: topic, partitions }] });
    return new LogCluster(broker, topic);
  }

  /** The settings that put a node in log mode on this cluster's topic. */
  logArgs(): string[] {
    return ['--kafka-brokers', this.broker.bootstrap, '--kafka-topic', this.topic];
  }

  async node(options: NodeOptions = {}): Promise<RunningServer> {
    const server = await startSluice({
      ...(options.dir === undefined ? {} : { dir: options.dir }),
      ...(options.port === undefined ? {} : { port: options.port }),
      args: [...this.logArgs(), '--kafka-produce-timeout-ms', '2000', ...(options.args ?? [])],
      // A node restarted after a kill waits for its consumer group to drop the dead member (the session
      // timeout) before it catches up: wait for that below, with a longer limit.
      acceptLoading: true,
    });
    this.nodes.push(server);
    if (options.caughtUp ?? true) await waitCaughtUp(server.port);
    return server;
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.dispose().catch(() => {});
    await this.broker.stop();
  }
}

/** A client of one node; disconnect it when done. */
export function client(port: number): Redis {
  return new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
}

/** Waits until the node answers data commands (no more LOADING). */
export async function waitCaughtUp(port: number, timeoutMs = 60_000): Promise<void> {
  const c = client(port);
  try {
    await eventually(
      async () => {
        const info = await c.info('persistence');
        return /\r\nloading:0\r\n/.test(`\r\n${info}`);
      },
      timeoutMs,
      `node on port ${port} still LOADING`,
    );
  } finally {
    c.disconnect();
  }
}

/** Waits until the node has applied every partition up to its end (as SLUICE LAG reports it). */
export async function waitApplied(
  port: number,
  ends: ReadonlyMap<number, number>,
  timeoutMs = 60_000,
): Promise<void> {
  const c = client(port);
  let last = '';
  try {
    await eventually(
      async () => {
        const lag = (await c.call('SLUICE', 'LAG')) as unknown[][];
        last = JSON.stringify(lag);
        for (const [partition, end] of ends) {
          const row = lag.find((r) => r[1] === partition);
          if (row === undefined || Number(row[3]) < end) return false;
        }
        return true;
      },
      timeoutMs,
      () => `node on port ${port} has not applied ${JSON.stringify([...ends])}: ${last}`,
    );
  } finally {
    c.disconnect();
  }
}

/** A key's state on a node: its value and its expiry (ms since the epoch, -1 for none). */
export interface KeyState {
  value: string;
  expireAt: number;
}

/** Every key of the node's database 0 with its value and expiry. */
export async function readState(port: number): Promise<Map<string, KeyState>> {
  const c = client(port);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await c.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const state = new Map<string, KeyState>();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const p = c.pipeline();
      for (const k of chunk) {
        p.get(k);
        p.call('PEXPIRETIME', k);
      }
      const replies = (await p.exec()) ?? [];
      for (const [j, key] of chunk.entries()) {
        let value = replies[2 * j]?.[1] as string | null | undefined;
        const expireAt = Number(replies[2 * j + 1]?.[1]);
        // A collection (GET answers WRONGTYPE): its elements, in an order both servers agree on.
        if (replies[2 * j]?.[0] != null) value = await collectionState(c, key);
        if (value !== null && value !== undefined) state.set(key, { value, expireAt });
      }
    }
    return state;
  } finally {
    c.disconnect();
  }
}

/**
 * A collection's value as text: its type and elements (sets and hashes sorted, lists and sorted sets in
 * order; a stream's entries and groups).
 */
async function collectionState(c: Redis, key: string): Promise<string | null> {
  const type = await c.type(key);
  if (type === 'hash') {
    const all = await c.hgetall(key);
    return `hash ${JSON.stringify(Object.entries(all).sort())}`;
  }
  if (type === 'set') return `set ${JSON.stringify((await c.smembers(key)).sort())}`;
  if (type === 'list') return `list ${JSON.stringify(await c.lrange(key, 0, -1))}`;
  if (type === 'zset') return `zset ${JSON.stringify(await c.zrange(key, 0, -1, 'WITHSCORES'))}`;
  if (type === 'stream') {
    // Entries and groups (XINFO GROUPS has no times; consumers' seen times differ between servers).
    const groups = await c.call('XINFO', 'GROUPS', key);
    return `stream ${JSON.stringify(await c.xrange(key, '-', '+'))} ${JSON.stringify(groups)}`;
  }
  return null;
}

/** How two states differ, for failure messages ('' when they are equal). */
export function diff(expected: ReadonlyMap<string, KeyState>, actual: ReadonlyMap<string, KeyState>): string {
  const problems: string[] = [];
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (got === undefined) problems.push(`missing ${key}`);
    else if (got.value !== want.value || got.expireAt !== want.expireAt) {
      problems.push(`${key}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
    }
  }
  for (const key of actual.keys()) if (!expected.has(key)) problems.push(`extra ${key}`);
  return problems.length === 0 ? '' : `${problems.length} differences: ${problems.slice(0, 8).join('; ')}`;
}

/** Polls `check` until it holds, or fails after `timeoutMs` with `message`. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  message: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // a node restarting, a connection refused: try again
    }
    if (Date.now() > deadline) throw new Error(typeof message === 'string' ? message : message());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
