/**
 * `--target-cluster auto`: the first request asks the target `INFO cluster`, as redis-cli and cluster
 * clients can, and goes on with a `ClusterTarget` when it answers `cluster_enabled:1`, else with a
 * `RedisTarget`. Until the target answers, every request fails as `TargetUnavailableError`, so the
 * bridge's retry loop waits for it as for any target that is down.
 */

import { ReplyError } from '@sluice/protocol';
import type { Logger } from '../log.js';
import { parseTarget } from './redis-target.js';
import { ConnectionError, RespConnection, requestTimeoutFor } from './resp.js';
import {
  type ApplyResult,
  type Planner,
  type Target,
  TargetUnavailableError,
  type TransactionMode,
} from './target.js';

/** Whether the server at `url` runs in cluster mode (`INFO cluster` says `cluster_enabled:1`). */
export async function isCluster(url: string, connectTimeoutMs: number): Promise<boolean> {
  const address = parseTarget(url);
  let c: RespConnection;
  try {
    c = await RespConnection.connect({
      ...address,
      // SELECT is refused by a cluster node: ask on database 0.
      db: 0,
      connectTimeoutMs,
      requestTimeoutMs: requestTimeoutFor(connectTimeoutMs),
    });
  } catch (err) {
    if (err instanceof ReplyError) throw err;
    throw new TargetUnavailableError(`target unavailable: ${(err as Error).message}`, { cause: err });
  }
  try {
    const [info] = await c.call(['INFO', 'cluster']);
    // A server without INFO or its cluster section is not a cluster.
    if (!Buffer.isBuffer(info)) return false;
    return /(^|\r?\n)cluster_enabled:1\r?\n?/.test(info.toString('latin1'));
  } catch (err) {
    if (err instanceof ConnectionError) {
      throw new TargetUnavailableError(`target unavailable: ${err.message}`, { cause: err });
    }
    throw err;
  } finally {
    c.close();
  }
}

export interface DetectingTargetOptions {
  /** Asks the target whether it is a cluster. */
  detect: () => Promise<boolean>;
  single: () => Target;
  cluster: () => Target;
  logger: Logger;
}

export class DetectingTarget implements Target {
  readonly #o: DetectingTargetOptions;
  #target: Target | undefined;
  #choosing: Promise<Target> | undefined;
  #closed = false;

  constructor(options: DetectingTargetOptions) {
    this.#o = options;
  }

  get planner(): Planner | undefined {
    return this.#target?.planner;
  }

  get mode(): TransactionMode | undefined {
    return this.#target?.mode;
  }

  get connected(): boolean {
    return this.#target?.connected ?? false;
  }

  async readOffsets(partitions: readonly number[]): Promise<Map<number, bigint | null>> {
    return (await this.#chosen()).readOffsets(partitions);
  }

  async apply(
    partition: number,
    plan: Parameters<Target['apply']>[1],
    offset: bigint,
    expected: bigint | null,
  ): Promise<ApplyResult> {
    return (await this.#chosen()).apply(partition, plan, offset, expected);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#target?.close();
  }

  #chosen(): Promise<Target> {
    if (this.#target !== undefined) return Promise.resolve(this.#target);
    if (this.#closed) return Promise.reject(new TargetUnavailableError('target closed'));
    this.#choosing ??= this.#o
      .detect()
      .then((cluster) => {
        this.#target ??= cluster ? this.#o.cluster() : this.#o.single();
        this.#o.logger.info('target mode detected', { cluster });
        return this.#target;
      })
      .finally(() => {
        this.#choosing = undefined;
      });
    return this.#choosing;
  }
}
