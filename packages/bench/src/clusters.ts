/**
 * Clusters for the cluster suite: redis-server nodes joined into a Redis Cluster, and sluice-server nodes
 * in cluster mode on one topic of a Kafka broker. Each node is a server of its own (servers.ts), on a free
 * loopback port with a fresh temporary directory; a cluster is ready once every node says
 * `cluster_state:ok`, knows every node, agrees on CLUSTER SLOTS with one primary a node, and a key of every
 * part of the slot space answers on its node (no LOADING while a node reads its partitions).
 */
import { connect, type RawConnection, ReplyError } from './raw-client.js';
import { freePort, type RunningServer, type StartOptions } from './servers.js';

export interface StartedCluster {
  readonly nodes: readonly RunningServer[];
  stop(): Promise<void>;
}

/** How long a cluster may take to be ready: a Kafka group's join and rebalance take seconds. */
const READY_TIMEOUT_MS = 90_000;

/** Node `i` of `n`'s slots, as redis-cli --cluster create splits them: contiguous, in node order. */
export function slotRange(i: number, n: number): [number, number] {
  return [Math.floor((i * 16384) / n), Math.floor(((i + 1) * 16384) / n) - 1];
}

/**
 * `nodes` redis-server nodes started by `start` (a target's, so with its persistence) with cluster mode
 * on, each given its share of the slots with CLUSTER ADDSLOTSRANGE and met with the first: redis-cli
 * --cluster create refuses fewer than three primaries.
 */
export async function startRedisCluster(
  nodes: number,
  start: (options: StartOptions) => Promise<RunningServer>,
  signal: AbortSignal,
): Promise<StartedCluster> {
  const started: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  try {
    const busPorts: number[] = [];
    for (let i = 0; i < nodes; i++) {
      const bus = await freePort();
      busPorts.push(bus);
      started.push(
        await start({
          args: [
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-port', String(bus), '--cluster-announce-ip', '127.0.0.1'],
          ],
        }),
      );
    }
    for (const [i, node] of started.entries()) {
      const conn = await connect(node.port);
      try {
        const [from, to] = slotRange(i, nodes);
        expectOk(await conn.command('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to)), 'ADDSLOTSRANGE');
        // The bus port too: without it, MEET assumes the client port + 10000.
        if (i > 0) {
          const first = started[0] as RunningServer;
          expectOk(
            await conn.command('CLUSTER', 'MEET', '127.0.0.1', String(first.port), String(busPorts[0])),
            'MEET',
          );
        }
      } finally {
        conn.close();
      }
    }
    await waitReady(started, signal);
    return { nodes: started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `nodes` sluice-server nodes started by `start` in cluster mode on `topic` of the broker at `bootstrap`,
 * one after another, with `extra` arguments (the suite's `--cluster-standby-replicas 0`).
 */
export async function startSluiceCluster(
  nodes: number,
  bootstrap: string,
  topic: string,
  extra: readonly string[],
  start: (options: StartOptions) => Promise<RunningServer>,
  signal: AbortSignal,
): Promise<StartedCluster> {
  const started: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  try {
    for (let i = 0; i < nodes; i++) {
      signal.throwIfAborted();
      started.push(
        await start({
          args: [
            ...['--cluster-enabled', 'yes', '--kafka-brokers', bootstrap, '--kafka-topic', topic],
            ...extra,
          ],
        }),
      );
    }
    await waitReady(started, signal);
    return { nodes: started, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function expectOk(reply: unknown, what: string): void {
  if (reply !== 'OK') throw new Error(`CLUSTER ${what} answered ${String(reply)}`);
}

type SlotsReply = [number, number, [string, number, ...unknown[]], ...unknown[]][];

/** Where each slot is served: [from, to, port] per range, sorted. */
async function slotMap(conn: RawConnection): Promise<[number, number, number][]> {
  const reply = await conn.command('CLUSTER', 'SLOTS');
  if (!Array.isArray(reply)) return [];
  return (reply as SlotsReply)
    .map(([from, to, [, port]]): [number, number, number] => [Number(from), Number(to), Number(port)])
    .sort((a, b) => a[0] - b[0]);
}

/** Keys spread over the slot space: one in each 1/16 of it (each partition of up to 16 holds one). */
async function probeKeys(conn: RawConnection): Promise<{ key: string; slot: number }[]> {
  const candidates = Array.from({ length: 400 }, (_, i) => `sluice-bench:probe:${i}`);
  const slots = await conn.pipeline(candidates.map((key) => ['CLUSTER', 'KEYSLOT', key]));
  const byPart = new Map<number, { key: string; slot: number }>();
  for (const [i, key] of candidates.entries()) {
    const slot = Number(slots[i]);
    const part = Math.floor((slot * 16) / 16384);
    if (!byPart.has(part)) byPart.set(part, { key, slot });
  }
  return [...byPart.values()];
}

/** Says what is not ready yet, or nothing once the cluster is. */
async function notReady(nodes: readonly RunningServer[]): Promise<string | undefined> {
  const conns = await Promise.all(nodes.map((n) => connect(n.port)));
  try {
    const maps: string[] = [];
    for (const [i, conn] of conns.entries()) {
      const info = await conn.command('CLUSTER', 'INFO');
      if (typeof info !== 'string' || !info.includes('cluster_state:ok\r\n')) {
        return `node ${i} is not in cluster_state:ok`;
      }
      if (!info.includes(`cluster_known_nodes:${nodes.length}\r\n`)) {
        return `node ${i} does not know ${nodes.length} nodes`;
      }
      maps.push(JSON.stringify(await slotMap(conn)));
    }
    if (new Set(maps).size !== 1) return `the nodes do not agree on CLUSTER SLOTS: ${maps.join(' ')}`;
    const map = JSON.parse(maps[0] as string) as [number, number, number][];
    const covered = map.reduce((sum, [from, to]) => sum + to - from + 1, 0);
    const primaries = new Set(map.map(([, , port]) => port));
    if (covered !== 16384 || primaries.size !== nodes.length) {
      return `CLUSTER SLOTS covers ${covered} slots with ${primaries.size} primaries`;
    }
    for (const { key, slot } of await probeKeys(conns[0] as RawConnection)) {
      const port = map.find(([from, to]) => from <= slot && slot <= to)?.[2];
      const conn = conns[nodes.findIndex((n) => n.port === port)];
      if (conn === undefined) return `no node serves slot ${slot}`;
      const reply = await conn.command('GET', key);
      if (reply instanceof ReplyError) return `GET ${key} on port ${port}: ${reply.message}`;
    }
    return undefined;
  } finally {
    for (const conn of conns) conn.close();
  }
}

async function waitReady(nodes: readonly RunningServer[], signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    signal.throwIfAborted();
    const dead = nodes.find((n) => !n.alive());
    if (dead) throw new Error(`a cluster node exited: ${dead.output().slice(-1000)}`);
    const problem = await notReady(nodes);
    if (problem === undefined) return;
    if (Date.now() > deadline) {
      throw new Error(`the cluster was not ready after ${READY_TIMEOUT_MS / 1000} s: ${problem}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
