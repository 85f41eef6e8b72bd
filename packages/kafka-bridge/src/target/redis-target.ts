/**
 * The target as a Redis-protocol server (sluice-server, redis-server, or any compatible one). Each
 * concurrent apply gets a connection of its own, because WATCH state is per connection.
 *
 * One apply, on a target with MULTI/EXEC and WATCH, is two round trips:
 *
 *   WATCH <offset key>; GET <offset key>           → the stored offset; stop here unless it is the expected one
 *   MULTI; DEL <tombstoned keys…>; MSET <keys and values…> <offset key> <offset>; EXEC
 *
 * A record with `sluice-format: dump` (a hash, set, list or sorted set from sluice-server's log mode)
 * becomes `RESTORE <key> <expiry or 0> <payload> REPLACE ABSTTL` in the same transaction. A payload the
 * target refuses (corrupt, or an RDB version it cannot read) is skipped with a warning: the other writes
 * and the offset still go in, so one bad record never stalls the partition.
 *
 * EXEC fails (nil reply) if anyone wrote the offset key after the WATCH; then the check runs again.
 * Without WATCH the check is a plain GET. Without MULTI (`--transactions off`, or a server that lacks it)
 * the DEL and the MSET go out in one pipelined write; the MSET carries the offset, so the offset is never
 * stored without the batch's sets (see the docs for what a crash between the two commands means).
 *
 * Connections are opened on first use and again after a failure; the bridge's retry loop supplies the
 * backoff, so a target that is down costs one connection attempt per retry.
 */

import { encodeCommands, ReplyError } from '@sluice/protocol';
import type { Logger } from '../log.js';
import { type OffsetKeys, parseStoredOffset, storedOffsets } from '../offsets.js';
import type { Plan } from '../plan.js';
import {
  type Arg,
  ConnectionError,
  type Reply,
  RespConnection,
  requestTimeoutFor,
  throwIfError,
} from './resp.js';
import {
  type ApplyResult,
  type Target,
  TargetConfigError,
  TargetUnavailableError,
  type TransactionMode,
} from './target.js';

export interface RedisTargetOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` */
  url: string;
  /** Connections for applies; at most this many partitions are applied at once. */
  connections: number;
  transactions: 'auto' | 'require' | 'off';
  keys: OffsetKeys;
  connectTimeoutMs: number;
  logger: Logger;
}

/** What the server supports, asked once per connection with COMMAND INFO. */
interface Capabilities {
  multi: boolean;
  watch: boolean;
}

/** A slot in the pool: its connection while it has one. */
interface Lane {
  readonly role: string;
  connection: RespConnection | undefined;
  connecting: Promise<RespConnection> | undefined;
  capabilities: Capabilities | undefined;
}

export class RedisTarget implements Target {
  readonly #options: RedisTargetOptions;
  readonly #address: {
    host: string;
    port: number;
    tls: boolean;
    username?: string;
    password?: string;
    db: number;
  };
  readonly #control: Lane;
  readonly #idle: Lane[] = [];
  readonly #waiting: ((lane: Lane) => void)[] = [];
  #mode: TransactionMode | undefined;
  #connected = false;
  #closed = false;

  constructor(options: RedisTargetOptions) {
    this.#options = options;
    this.#address = parseTarget(options.url);
    this.#control = lane('control');
    for (let i = 0; i < options.connections; i++) this.#idle.push(lane(`apply-${i}`));
  }

  get mode(): TransactionMode | undefined {
    return this.#mode;
  }

  get connected(): boolean {
    return this.#connected;
  }

  async readOffsets(partitions: readonly number[]): Promise<Map<number, bigint | null>> {
    if (partitions.length === 0) return new Map();
    const keys = partitions.map((p) => this.#options.keys.key(p));
    const [values] = await this.#use(this.#control, (c) => c.call(['MGET', ...keys]));
    if (!Array.isArray(values)) throw new ReplyError(`MGET answered ${String(values)}`);
    return storedOffsets(this.#options.keys, partitions, values);
  }

  async apply(partition: number, plan: Plan, offset: bigint, expected: bigint | null): Promise<ApplyResult> {
    const lane = await this.#acquire();
    try {
      return await this.#use(lane, (c) => this.#applyOn(c, lane, partition, plan, offset, expected));
    } finally {
      this.#release(lane);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const l of [this.#control, ...this.#idle]) l.connection?.close();
  }

  async #applyOn(
    connection: RespConnection,
    lane: Lane,
    partition: number,
    plan: Plan,
    offset: bigint,
    expected: bigint | null,
  ): Promise<ApplyResult> {
    lane.capabilities ??= await capabilitiesOf(connection);
    const capabilities = lane.capabilities;
    const mode = this.#chooseMode(capabilities);
    const watch = mode === 'multi' && capabilities.watch;
    const key = this.#options.keys.key(partition);
    const name = this.#options.keys.describe(partition);
    const writes: Arg[][] = [];
    if (plan.dels.length > 0) writes.push(['DEL', ...plan.dels]);
    for (const { key: k, value, at } of plan.expiring) writes.push(['SET', k, value, 'PXAT', String(at)]);
    /** Indexes in `writes` of the RESTOREs, whose errors skip their record instead of failing the apply. */
    const restores = new Map<number, Buffer>();
    for (const { key: k, value, at } of plan.restores ?? []) {
      restores.set(writes.length, k);
      writes.push(['RESTORE', k, String(at), value, 'REPLACE', 'ABSTTL']);
    }
    writes.push(['MSET', ...plan.sets, key, offset.toString()]);
    const checkWrites = (replies: readonly Reply[]): void =>
      skipRefusedRestores(replies, restores, this.#options.logger, partition);
    const payload =
      mode === 'multi' ? encodeCommands([['MULTI'], ...writes, ['EXEC']]) : encodeCommands(writes);
    for (;;) {
      const check = watch
        ? await connection.call(['WATCH', key], ['GET', key])
        : await connection.call(['GET', key]);
      const raw = check[check.length - 1];
      throwIfError(check);
      const stored = parseStoredOffset(Buffer.isBuffer(raw) ? raw : null, name);
      if (stored !== expected) {
        if (watch) throwIfError(await connection.call(['UNWATCH']));
        return { applied: false, stored };
      }
      if (mode === 'multi') {
        const replies = await connection.request(payload, writes.length + 2);
        const exec = replies[replies.length - 1];
        throwIfError(replies.slice(0, -1));
        if (exec instanceof ReplyError) throw exec;
        // Nil: the offset key changed after WATCH; look again.
        if (exec === null) continue;
        if (Array.isArray(exec)) checkWrites(exec);
      } else {
        checkWrites(await connection.request(payload, writes.length));
      }
      this.#mode = mode;
      return { applied: true };
    }
  }

  #chooseMode(capabilities: Capabilities): TransactionMode {
    const { transactions } = this.#options;
    if (transactions === 'off') return 'pipeline';
    if (capabilities.multi) return 'multi';
    if (transactions === 'require') {
      throw new TargetConfigError(
        'the target does not support MULTI/EXEC and --transactions is require; use a server with MULTI or --transactions auto',
      );
    }
    return 'pipeline';
  }

  /**
   * Run `request` on `lane`'s connection, connecting first if needed. A broken connection is dropped (the
   * next request reconnects) and reported as `TargetUnavailableError`.
   */
  async #use<T>(lane: Lane, request: (connection: RespConnection) => Promise<T>): Promise<T> {
    let connection: RespConnection;
    try {
      connection = await this.#connection(lane);
    } catch (err) {
      this.#setConnected(false, err);
      throw new TargetUnavailableError(`target unavailable: ${(err as Error).message}`, { cause: err });
    }
    try {
      const result = await request(connection);
      this.#setConnected(true);
      return result;
    } catch (err) {
      if (err instanceof ConnectionError) {
        connection.close();
        this.#setConnected(false, err);
        throw new TargetUnavailableError(`target unavailable: ${err.message}`, { cause: err });
      }
      // The server answered (an error reply, an unusable offset record): it is up, the request is wrong.
      this.#setConnected(true);
      throw err;
    }
  }

  #connection(lane: Lane): Promise<RespConnection> {
    if (lane.connection !== undefined && !lane.connection.closed) return Promise.resolve(lane.connection);
    if (this.#closed) return Promise.reject(new ConnectionError('closed'));
    lane.connecting ??= RespConnection.connect({
      ...this.#address,
      connectTimeoutMs: this.#options.connectTimeoutMs,
      requestTimeoutMs: requestTimeoutFor(this.#options.connectTimeoutMs),
    })
      .then((connection) => {
        lane.connection = connection;
        // A failover or a restore may change what the server supports: ask again on each connection.
        lane.capabilities = undefined;
        connection.onClose(() => {
          if (lane.connection === connection) lane.connection = undefined;
        });
        return connection;
      })
      .finally(() => {
        lane.connecting = undefined;
      });
    return lane.connecting;
  }

  #setConnected(connected: boolean, error?: unknown): void {
    if (connected === this.#connected || this.#closed) return;
    this.#connected = connected;
    if (connected) this.#options.logger.info('target connected');
    else this.#options.logger.warn('target connection failed', { error });
  }

  #acquire(): Promise<Lane> {
    const idle = this.#idle.pop();
    if (idle !== undefined) return Promise.resolve(idle);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(l: Lane): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next(l);
    else this.#idle.push(l);
  }
}

function lane(role: string): Lane {
  return { role, connection: undefined, connecting: undefined, capabilities: undefined };
}

/** Ask COMMAND INFO for MULTI, EXEC and WATCH; a server without COMMAND INFO is probed with MULTI. */
async function capabilitiesOf(connection: RespConnection): Promise<Capabilities> {
  const [info] = await connection.call(['COMMAND', 'INFO', 'MULTI', 'EXEC', 'WATCH']);
  if (Array.isArray(info)) {
    return { multi: Array.isArray(info[0]) && Array.isArray(info[1]), watch: Array.isArray(info[2]) };
  }
  const [multi] = await connection.call(['MULTI']);
  if (multi instanceof ReplyError) return { multi: false, watch: false };
  throwIfError(await connection.call(['DISCARD']));
  return { multi: true, watch: false };
}

/**
 * Checks the replies of a transaction's writes (EXEC's, or a pipeline's): throws the first error reply,
 * except those of the RESTOREs at `restores` (index → key), whose record is skipped and logged: the
 * target refused its DUMP payload.
 */
export function skipRefusedRestores(
  replies: readonly Reply[],
  restores: ReadonlyMap<number, Buffer>,
  logger: Logger,
  partition: number,
): void {
  replies.forEach((reply, i) => {
    if (!(reply instanceof ReplyError)) return;
    const restored = restores.get(i);
    if (restored === undefined) throw reply;
    logger.warn('skipped a record whose DUMP payload the target refused', {
      partition,
      key: restored.toString('latin1'),
      error: reply.message,
    });
  });
}

/** The parts of a target URL (already validated by the settings). */
export function parseTarget(url: string): {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
} {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    tls: parsed.protocol === 'rediss:',
    ...(username !== '' && password !== '' ? { username } : {}),
    ...(password !== '' ? { password } : username !== '' ? { password: username } : {}),
    db,
  };
}
