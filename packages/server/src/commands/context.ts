/**
 * What a command handler may use, and nothing more: its arguments, the reply writer, the selected
 * database, the command's time, the connection's session, and the few server operations that reach
 * past the connection (`ServerOps`). A handler's whole reach is written down here.
 *
 * A connection (`Client`) is its own context and the `Server` is its `ServerOps`, so running a command
 * allocates nothing; a unit test builds a context from plain objects (test/unit/context.ts).
 */

import type { Args, ReplyWriter, RespVersion } from '@sluice/protocol';
import type { ClusterTopology } from '../cluster/topology.js';
import type { Config, SettingValue } from '../config/index.js';
import type { CursorTable } from '../keyspace/cursors.js';
import type { Database, Keyspace, WriteBatch } from '../keyspace/keyspace.js';
import { type SubscriptionKind, Subscriptions } from '../pubsub/registry.js';
import type { ScriptEngine, ScriptHost, ScriptRun } from '../scripting/engine.js';
import type { SlowLog } from '../slowlog.js';
import type { TrackingOptions, TrackingState } from '../tracking/state.js';
import type { CommandDef } from './spec.js';

export interface CommandContext {
  /** The command's arguments; argument 0 is its name. */
  readonly args: Args;
  /** Where the reply goes, in the session's protocol. */
  readonly out: ReplyWriter;
  /** The selected database (SELECT changes it). */
  db: Database;
  /** The command's time in ms since the epoch, read once per command as redis-server does. */
  readonly now: number;
  readonly session: Session;
  readonly server: ServerOps;
  /**
   * Blocks the connection: no reply now, and none of its later commands runs, until `wait` calls the
   * `wake` it is given; then this command runs again (Redis 7 reprocesses a blocked command the same
   * way). `wait` returns what cancels it (the connection closed). Returns false, blocking nothing, where
   * a command cannot block (inside MULTI/EXEC): the handler then replies at once.
   */
  block(wait: (wake: () => void) => () => void): boolean;
  /** Running inside MULTI/EXEC (or a script), where a command may not block. */
  readonly inTransaction: boolean;
  /** Called from a script (redis.call in EVAL or FCALL): redis-server's CLIENT_SCRIPT. */
  readonly inScript?: boolean;
}

/** A connection blocked on keys, as CLIENT UNBLOCK and INFO see it. */
export interface KeyBlocked {
  unblock(reason: 'timeout' | 'error'): void;
  readonly timed: boolean;
}

/** A command queued by MULTI, with a copy of its arguments. */
export interface QueuedCommand {
  readonly def: CommandDef;
  readonly args: Args;
}

/** What a session asks of the connection it belongs to. */
export interface SessionHost {
  /** The decoder applies redis-server's pre-AUTH request limits while `required`. */
  requireAuth(required: boolean): void;
  /** The session's protocol changed (HELLO, RESET): the replies from here on use it. */
  useProtocol(version: RespVersion): void;
  /** Close the connection once the replies written so far have been sent (QUIT). */
  closeAfterReplies(): void;
}

/**
 * A connection's state as Redis defines it: authentication, protocol, name, library, and the MULTI/WATCH
 * state of a transaction. The protocol version lives here and only here.
 */
export class Session {
  name = '';
  libName = '';
  libVer = '';
  /** CLIENT NO-EVICT: kept for CLIENT LIST; Sluice never evicts clients. */
  noEvict = false;
  /** Cluster mode, READONLY: reads of slots this node keeps a standby copy of are served here. */
  readOnly = false;
  /** Commands queued by MULTI, or null outside a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A command was refused while queuing: EXEC will answer EXECABORT. */
  multiFailed = false;
  /** A WATCHed key changed: EXEC will answer null. */
  watchedChanged = false;
  /**
   * When the command that blocked the connection first ran (ms since the epoch), kept while it runs again
   * after each wake-up, for its timeout; null when no command is blocked.
   */
  blockedSince: number | null = null;
  /**
   * A command blocked on keys (BLPOP, …): its place in the keys' queues, kept while it runs again after
   * each wake-up, so that it keeps its turn; null when no command is blocked.
   */
  blockOrder: number | null = null;
  /**
   * The key whose write woke the blocked command (latin1, of its database), while it runs again; null
   * when it was woken otherwise (timeout, CLIENT UNBLOCK, SWAPDB) or is not blocked. A woken XREAD on
   * several keys serves this one, as redis-server 7.0 does.
   */
  wokenBy: string | null = null;
  /** CLIENT UNBLOCK ended the blocked command: it replies as on its timeout, or with UNBLOCKED. */
  unblockedBy: 'timeout' | 'error' | null = null;
  /** Log mode: the batch of this connection's last write, for SLUICE POSITION. */
  lastWrite: WriteBatch | null = null;
  /** A script this connection started that ended while it waited: its EVAL, run again, replies with it. */
  scriptRun: ScriptRun | null = null;
  /** Its Pub/Sub channels, patterns and shard channels (the registry keeps the other direction). */
  readonly subscriptions = new Subscriptions();
  /** CLIENT TRACKING's state, or null while tracking is off (tracking/table.ts keeps the keys). */
  tracking: TrackingState | null = null;
  /** WATCHed keys: the database and the key (latin1). */
  private readonly watching: { db: Database; key: string }[] = [];
  /** Marks the transaction as spoiled; registered with each WATCHed key. */
  private readonly onWatchedChange = (): void => {
    this.watchedChanged = true;
  };
  private auth = false;
  private resp: RespVersion = 2;

  constructor(
    /** The connection's id (CLIENT ID); ServerOps names connections by it. */
    readonly id: number,
    private readonly host: SessionHost,
    authenticated: boolean,
  ) {
    this.authenticated = authenticated;
  }

  /** Whether the connection may run commands other than AUTH, HELLO and the like. */
  get authenticated(): boolean {
    return this.auth;
  }

  set authenticated(value: boolean) {
    this.auth = value;
    this.host.requireAuth(!value);
  }

  /** RESP2 or RESP3, as HELLO chose. */
  get protocol(): RespVersion {
    return this.resp;
  }

  set protocol(version: RespVersion) {
    this.resp = version;
    this.host.useProtocol(version);
  }

  /** Closes the connection once the replies written so far have been sent. */
  closeAfterReplies(): void {
    this.host.closeAfterReplies();
  }

  /** WATCHes `key` (latin1) of `db`. */
  watch(db: Database, key: string): void {
    if (this.watching.some((w) => w.db === db && w.key === key)) return;
    let set = db.watchers.get(key);
    if (set === undefined) {
      set = new Set();
      db.watchers.set(key, set);
    }
    set.add(this.onWatchedChange);
    this.watching.push({ db, key });
  }

  /** Forgets every WATCHed key (UNWATCH, EXEC, DISCARD, RESET, disconnect). */
  unwatch(): void {
    for (const { db, key } of this.watching) {
      const set = db.watchers.get(key);
      set?.delete(this.onWatchedChange);
      if (set?.size === 0) db.watchers.delete(key);
    }
    this.watching.length = 0;
    this.watchedChanged = false;
  }

  /** Leaves MULTI without running it, and forgets the WATCHed keys. */
  discard(): void {
    this.multi = null;
    this.multiFailed = false;
    this.unwatch();
  }
}

/** The command table as COMMAND reads it. */
export interface CommandCatalog {
  /** Every command, sorted by name. */
  readonly all: readonly CommandDef[];
  readonly size: number;
  /** By lowercase name, `container|sub` for subcommands. */
  get(name: string): CommandDef | undefined;
}

/** One connection as CLIENT LIST shows it. */
export interface ClientInfo {
  readonly id: number;
  readonly addr: string;
  readonly laddr: string;
  readonly name: string;
  /** When it connected and last sent a request, in ms since the epoch. */
  readonly createdAt: number;
  readonly lastInteraction: number;
  /**
   * CLIENT LIST's flags: O (monitor), P (subscribed), x (in MULTI), b (blocked), t (tracking), R (its
   * redirection is broken), B (BCAST), r (READONLY), e (no-evict), or N for none.
   */
  readonly flags: string;
  /** CLIENT LIST's redir: the connection its invalidations go to, 0 for itself, -1 when not tracking. */
  readonly redirect: number;
  /** The SELECTed database's number. */
  readonly db: number;
  /** Commands queued by MULTI, or -1 outside a transaction. */
  readonly multi: number;
  /** Request bytes received and not yet run (qbuf), and the decoder's buffer size (rbs). */
  readonly queryBufferBytes: number;
  readonly queryBufferSize: number;
  /** Reply batches held for a commit (oll), and reply bytes not yet handed to the kernel (omem). */
  readonly heldReplies: number;
  readonly outputBytes: number;
  readonly lastCommand: string;
  readonly protocol: RespVersion;
  readonly libName: string;
  readonly libVer: string;
  /** Pub/Sub subscriptions: channels (sub), patterns (psub), shard channels (ssub). */
  readonly sub: number;
  readonly psub: number;
  readonly ssub: number;
}

/** Pub/Sub as commands reach it (pubsub/registry.ts); connections are named by their id. */
export interface PubSubOps {
  /** Subscribes connection `id` to `name` (latin1 bytes); false when it already was. */
  subscribe(id: number, kind: SubscriptionKind, name: string): boolean;
  /** Unsubscribes connection `id` from `name`; false when it was not subscribed. */
  unsubscribe(id: number, kind: SubscriptionKind, name: string): boolean;
  /** PUBLISH (or SPUBLISH, `shard`) from connection `publisherId`: the number of receivers. */
  publish(channel: Buffer, message: Buffer, shard: boolean, publisherId: number): number;
  /** Channels (or shard channels) with a subscriber, matching `pattern` when given. */
  activeChannels(shard: boolean, pattern: Buffer | null): Buffer[];
  /** Connections subscribed to `channel` (or the shard channel). */
  subscriberCount(shard: boolean, channel: Buffer): number;
  /** Forgets every subscription of connection `id`, without replies (RESET). */
  unsubscribeAll(id: number): void;
  /** Channels, distinct patterns and shard channels with a subscriber (PUBSUB NUMPAT, INFO). */
  counts(): { channels: number; patterns: number; shardChannels: number };
}

/** Client-side caching as commands reach it (tracking/table.ts); connections are named by their id. */
export interface TrackingOps {
  /** CLIENT TRACKING ON with checked options (again while on: the new options replace the old, prefixes add up). */
  enable(id: number, options: TrackingOptions): void;
  /** CLIENT TRACKING OFF, RESET. */
  disable(id: number): void;
}

/** One partition of the topic as log mode knows it (SLUICE LAG). */
export interface PartitionLagView {
  readonly partition: number;
  /** The last offset applied on this node, -1 when none. */
  readonly applied: bigint;
  /** The partition's end as last seen, null when not known yet. */
  readonly high: bigint | null;
  readonly lagRecords: number | null;
  readonly lagSeconds: number | null;
}

/** What handlers may ask of log mode (null in local mode). */
export interface LogOps {
  readonly topic: string;
  /** Partitions of the topic, 0 while not known. */
  readonly partitions: number;
  /** The partition Kafka's default partitioner gives `key`. */
  partitionOf(key: Buffer): number;
  /** Whether the brokers are reachable. */
  readonly connected: boolean;
  /** Every partition's applied offset, end and lag. */
  lag(): PartitionLagView[];
  /** The offsets applied on this node now. */
  position(): ReadonlyMap<number, bigint>;
  /** Calls `fn` once this node has applied `positions` (at once if it has); returns a cancel function. */
  whenApplied(positions: ReadonlyMap<number, bigint>, fn: () => void): () => void;
  /** Whether this node has applied `positions`. */
  applied(positions: ReadonlyMap<number, bigint>): boolean;
}

/** Cluster mode as commands reach it (cluster/cluster.ts). */
export interface ClusterOps {
  /** Who serves which hash slots now. */
  readonly topology: ClusterTopology;
  /** This node's keys in `slot`, as committed. */
  countKeysInSlot(slot: number): number;
  /** Up to `count` of this node's keys in `slot`, as committed. */
  keysInSlot(slot: number, count: number): Buffer[];
  /**
   * What CLUSTER INFO says as cluster_state: every slot served, and this node's plan not out of date
   * after a stall or a lapse of the group's confirmations (cluster.ts `watchStalls`).
   */
  stateOk(now: number): boolean;
  /** Whether reads of this node's keys are refused now (stale, and cluster-allow-reads-when-down no). */
  refusesReads(now: number): boolean;
}

/**
 * The server operations handlers need: settings, the keyspace and the command table to read, and every
 * effect on other connections as a named operation. Connections are named by their id.
 */
export interface ServerOps {
  readonly config: Readonly<Config>;
  readonly keyspace: Keyspace;
  /** Log mode, or null in local mode. */
  readonly logMode: LogOps | null;
  /** Cluster mode, or null with cluster-enabled no. */
  readonly cluster: ClusterOps | null;
  readonly commands: CommandCatalog;
  /** SCAN's cursors. */
  readonly cursors: CursorTable;
  /**
   * Connections blocked on keys (BLPOP, …), by id: CLIENT UNBLOCK calls `unblock`, which ends the blocked
   * command as on its timeout, or with the UNBLOCKED error; `timed` when it waits with a timeout (INFO
   * clients_in_timeout_table).
   */
  readonly keyBlocked: Map<number, KeyBlocked>;
  readonly slowlog: SlowLog;
  /** INFO's text for these sections (lowercase; empty for the default ones). */
  info(sections: readonly string[]): string;
  /** CONFIG SET: applies checked values of live settings. */
  setConfig(changes: readonly (readonly [string, SettingValue])[]): void;
  /** CONFIG RESETSTAT. */
  resetStats(): void;
  /** Every open connection. */
  clients(): ClientInfo[];
  /** The connection with this id, if open. */
  client(id: number): ClientInfo | undefined;
  /** CLIENT KILL: closes these connections at once (a command closes its own with Session.closeAfterReplies). */
  killClients(ids: readonly number[]): void;
  /** SWAPDB: every connection keeps its SELECT number and so sees the other database from now on. */
  swapDatabases(a: number, b: number): void;
  /** CLIENT PAUSE: holds back every command (`all`) or only writes for `ms` milliseconds. */
  pauseClients(ms: number, all: boolean): void;
  /** CLIENT UNPAUSE: the commands held back run once the current reply has been written. */
  unpauseClients(): void;
  /** Pub/Sub's channels and their subscribers. */
  readonly pubsub: PubSubOps;
  /** Client-side caching: CLIENT TRACKING. */
  readonly tracking: TrackingOps;
  /** MONITOR on, and off again (RESET). */
  startMonitor(id: number): void;
  stopMonitor(id: number): void;
  /** The Lua scripts' engine and cache (EVAL, SCRIPT). */
  readonly scripts: ScriptEngine;
  /**
   * What a script run by this command calls back into: `redis.call` runs commands as this connection
   * would, with the script's checks; `readOnly` (EVAL_RO) refuses writes.
   */
  scriptHost(c: CommandContext, readOnly: boolean): ScriptHost;
  /** What runs past busy-reply-threshold (other commands get BUSY): an EVAL script, a function, or null. */
  scriptBusy(): 'eval' | 'function' | null;
  /** Stores the loaded function libraries (after FUNCTION LOAD, DELETE, FLUSH, RESTORE), with the next commit. */
  saveFunctions(): void;
  /** EXEC: runs the queued commands of connection `id` now, one after the other, as one transaction. */
  runTransaction(id: number, queued: readonly QueuedCommand[]): void;
  /** SHUTDOWN. */
  shutdown(reason: string): void;
}
