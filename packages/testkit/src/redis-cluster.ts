import { freePort } from './net.js';
import { connectRaw } from './raw-client.js';
import { type RunningServer, type StartRedisOptions, startRedis } from './server.js';
import { redisCli } from './tools.js';

/** A redis-server cluster started by `startRedisCluster`. */
export interface RedisCluster {
  /** The nodes, in the order their slots were given (the first serves the lowest slots). */
  readonly nodes: readonly RunningServer[];
  /** Stops every node and removes their directories. */
  dispose(): Promise<void>;
}

export interface RedisClusterOptions {
  /** How many primaries (default 3), with no replicas. */
  nodes?: number;
  /**
   * Slots to assign instead of `redis-cli --cluster create`'s even split: per node, inclusive ranges.
   * A cluster that leaves slots unassigned stays in `cluster_state:fail`; `ready` is then not awaited.
   */
  slots?: readonly (readonly (readonly [number, number])[])[];
  /** Extra redis-server arguments for every node. */
  args?: string[];
  /** How long to wait for `cluster_state:ok` (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts real redis-server nodes in cluster mode (`--cluster-enabled yes`, each with its own
 * nodes.conf in its own temporary directory, a free bus port, and `--cluster-announce-ip 127.0.0.1`),
 * joins them, assigns the slots and waits until every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<RedisCluster> {
  const count = opts.slots?.length ?? opts.nodes ?? 3;
  const nodes: RunningServer[] = [];
  const busPorts: number[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.dispose()));
  };
  try {
    for (let i = 0; i < count; i++) {
      const busPort = await freePort();
      busPorts.push(busPort);
      const options: StartRedisOptions = {
        args: [
          ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
          ...['--cluster-port', String(busPort), '--cluster-announce-ip', '127.0.0.1'],
          ...(opts.args ?? []),
        ],
      };
      nodes.push(await startRedis(options));
    }
    if (opts.slots === undefined) {
      const created = await redisCli(nodes[0]?.port ?? 0, [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      if (created.code !== 0)
        throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    } else {
      for (const [i, node] of nodes.entries()) {
        const c = await connectRaw(node.port);
        for (const [start, end] of opts.slots[i] ?? []) {
          const reply = await c.call('CLUSTER', 'ADDSLOTSRANGE', String(start), String(end));
          if (reply !== '+OK\r\n') throw new Error(`CLUSTER ADDSLOTSRANGE failed: ${reply}`);
        }
        // The bus port too: without it, MEET assumes the client port + 10000.
        if (i > 0) await c.call('CLUSTER', 'MEET', '127.0.0.1', String(nodes[0]?.port), String(busPorts[0]));
        await c.close();
      }
    }
    const covered =
      opts.slots === undefined || opts.slots.flat().reduce((n, [s, e]) => n + e - s + 1, 0) === 16384;
    await waitForCluster(nodes, covered ? 'ok' : 'fail', opts.timeoutMs ?? 30_000);
    return { nodes, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** Waits until every node reports `state` and knows every node. */
async function waitForCluster(
  nodes: readonly RunningServer[],
  state: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ready = true;
    for (const node of nodes) {
      const c = await connectRaw(node.port);
      const info = await c.call('CLUSTER', 'INFO');
      await c.close();
      if (
        !info.includes(`cluster_state:${state}\r\n`) ||
        !info.includes(`cluster_known_nodes:${nodes.length}\r\n`)
      )
        ready = false;
    }
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`the redis-server cluster did not reach cluster_state:${state} in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
