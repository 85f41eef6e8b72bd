import type { Cluster } from './cluster/cluster.js';
import type { PubSubOps } from './commands/context.js';
import type { CommandTable } from './commands/table.js';
import type { Config } from './config/index.js';
import type { Keyspace } from './keyspace/keyspace.js';
import type { LogMode } from './log/log-mode.js';
import type { PubsubBus } from './log/pubsub-bus.js';
import type { LogLevel } from './log.js';

/** Counters for INFO stats. */
export interface ServerStats {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
}

/** What INFO, /metrics and the HTTP endpoints read of the server (the Server implements it). */
export interface ServerStatus {
  readonly config: Readonly<Config>;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly stats: ServerStats;
  /** Error replies by code (INFO errorstats). */
  readonly errorStats: ReadonlyMap<string, number>;
  readonly startedAt: number;
  readonly runId: string;
  /** The port actually bound. */
  readonly port: number;
  /** The config file the server started with, or ''. */
  readonly configFile: string;
  readonly connectedClients: number;
  /** Commands per second over the last sampling interval. */
  readonly opsPerSec: number;
  /** Log mode, or null in local mode. */
  readonly logMode: LogMode | null;
  /** Log and cluster mode: PUBLISH messages to and from the other nodes (log/pubsub-bus.ts). */
  readonly pubsubBus: PubsubBus | null;
  /** Cluster mode (cluster-enabled yes), else null. */
  readonly cluster: Cluster | null;
  /** Connections blocked by a command (BLPOP and the other blocking pops, SLUICE WAIT, a barrier waiting for its writes in log mode). */
  readonly blockedClients: number;
  /** Connections blocked on keys with a timeout (BLPOP k 5, …). */
  readonly clientsInTimeoutTable: number;
  /** Pub/Sub's channels and patterns (INFO pubsub_channels, …). */
  readonly pubsub: PubSubOps;
  /** Client-side caching: INFO tracking_clients, tracking_total_keys, _items and _prefixes. */
  trackingCounts(): { clients: number; keys: number; items: number; prefixes: number };
  /** Where the server is in its life: /readyz reports ready only in `ready`. */
  readonly state: 'starting' | 'ready' | 'shutting-down';
  log(level: LogLevel, message: string): void;
}
