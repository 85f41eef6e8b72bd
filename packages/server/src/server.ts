import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { keySlot, ReplyWriter } from '@sluice/protocol';
import { Client } from './client.js';
import { announcedHost, Cluster } from './cluster/cluster.js';
import { ClusterGroup } from './cluster/group.js';
import { partitionOfSlot } from './cluster/membership.js';
import type {
  ClientInfo,
  CommandContext,
  KeyBlocked,
  PubSubOps,
  QueuedCommand,
  ServerOps,
  TrackingOps,
} from './commands/context.js';
import { allCommands } from './commands/index.js';
import { CommandTable } from './commands/table.js';
import {
  type BufferLimit,
  brokersOf,
  bufferLimit,
  type Config,
  kafkaSecurityOf,
  logModeOn,
  type SettingValue,
} from './config/index.js';
import { Dispatcher } from './dispatch.js';
import { errorReply } from './errors.js';
import { HttpServer } from './http/server.js';
import { infoText } from './info.js';
import type { WriteBatch } from './keyspace/batch.js';
import { CursorTable } from './keyspace/cursors.js';
import { DiskError, Keyspace } from './keyspace/keyspace.js';
import { kafkajsLog, LogMode } from './log/log-mode.js';
import { PubsubBus } from './log/pubsub-bus.js';
import { keysOf, LogRecordTooLargeError, LogTypeNotCarriedError } from './log/records.js';
import { LogFencedError, LogOutcomeUnknownError } from './log/writer.js';
import type { Logger, LogLevel } from './log.js';
import { type Output, ReplyPath } from './output.js';
import { PubSubRegistry } from './pubsub/registry.js';
import { ScriptCaller } from './scripting/caller.js';
import { ScriptEngine, type ScriptHost } from './scripting/engine.js';
import { SlowLog } from './slowlog.js';
import type { ServerStats, ServerStatus } from './status.js';
import { TrackingTable } from './tracking/table.js';
import { VERSION } from './version.js';

/** Where the function libraries are stored (Sluice's own records), as a FUNCTION DUMP payload. */
const FUNCTIONS_KEY = Buffer.from('functions');

/**
 * sluice-server: accepts connections and feeds their requests to the dispatcher (dispatch.ts), whose
 * replies leave through the reply path (output.ts). It is the `ServerOps` of every command: the
 * operations that reach past one connection are here, named.
 */
export class Server implements ServerOps, ServerStatus {
  readonly commands = new CommandTable(allCommands);
  readonly keyspace: Keyspace;
  private readonly connections = new Map<number, Client>();
  readonly startedAt = Date.now();
  readonly stats: ServerStats = {
    connectionsReceived: 0,
    commandsProcessed: 0,
    rejectedConnections: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
  };
  readonly runId = Array.from({ length: 40 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  readonly cursors = new CursorTable();
  readonly keyBlocked = new Map<number, KeyBlocked>();
  readonly slowlog: SlowLog;
  /** Error replies by code (INFO errorstats). */
  readonly errorStats = new Map<string, number>();
  /** The port actually bound (differs from the setting with port 0). */
  port = 0;
  /** Commands per second over the last sampling interval. */
  opsPerSec = 0;
  private opsSample = { at: Date.now(), commands: 0 };
  private readonly sampler: NodeJS.Timeout;
  private readonly replies: ReplyPath;
  private readonly dispatcher: Dispatcher;
  private readonly listeners: NetServer[] = [];
  private nextClientId = 1;
  private shuttingDown: Promise<void> | null = null;
  /** Where the server is in its life: /readyz reports ready only in `ready`. */
  state: 'starting' | 'ready' | 'shutting-down' = 'starting';
  /** The HTTP endpoints, when http-port is set. */
  http: HttpServer | null = null;
  /** Called once the server has shut down (SHUTDOWN, signals). */
  onShutdown: (() => void) | null = null;
  /** Log mode (Kafka as the source of truth), or null in local mode. */
  readonly logMode: LogMode | null;
  /** Log and cluster mode: PUBLISH messages to and from the other nodes. */
  readonly pubsubBus: PubsubBus | null;
  /** Cluster mode (cluster-enabled yes), or null. */
  readonly cluster: Cluster | null;
  /** Pub/Sub's channels, patterns and shard channels, and who listens to them. */
  private readonly registry = new PubSubRegistry<Client>((k, frame, publisherId) =>
    this.deliver(k, frame, publisherId),
  );
  /** Client-side caching: the keys tracking connections read, their prefixes, and invalidations. */
  private readonly trackingTable = new TrackingTable<Client>({
    lookup: (id) => this.connections.get(id),
    send: (k, frame) => this.sendInvalidation(k, frame),
    maxKeys: () => this.config['tracking-table-max-keys'],
  });
  /** client-output-buffer-limit's pubsub class, read again when CONFIG SET changes it. */
  private pubsubLimit: BufferLimit;

  constructor(
    readonly config: Config,
    private readonly logger: Logger,
    readonly configFile = '',
  ) {
    this.keyspace = new Keyspace({
      dir: config.dir,
      databases: config.databases,
      durability: config.appendfsync,
      mapSize: config['lmdb-map-size'],
      writemap: config['lmdb-writemap'],
      commitDelayMs: Number(process.env.SLUICE_DEBUG_COMMIT_DELAY_MS ?? 0),
      log: (level, message) => this.log(level, message),
      slotIndex: config['cluster-enabled'],
    });
    const slots = this.keyspace.dbs[0]?.slots ?? null;
    this.cluster = slots === null ? null : new Cluster(this.keyspace, slots, logModeOn(config));
    if (this.cluster !== null) this.cluster.allowReadsWhenDown = config['cluster-allow-reads-when-down'];
    if (this.cluster !== null && logModeOn(config))
      this.cluster.watchStalls(config['cluster-node-timeout'], (stale, detail) =>
        this.log(
          'warning',
          stale
            ? `cluster: ${detail}: this node may have lost its slots; cluster_state is fail and reads of its keys answer CLUSTERDOWN (unless cluster-allow-reads-when-down) until the group confirms its plan`
            : `cluster: the group confirmed this node's plan ${detail}: cluster_state is ok again`,
        ),
      );
    this.keyspace.observer = this.trackingTable;
    this.slowlog = new SlowLog(() => this.config['slowlog-max-len']);
    this.replies = new ReplyPath({
      stats: this.stats,
      pauseBytes: () => this.config['sluice-output-pause-bytes'],
      log: (level, message) => this.log(level, message),
      fault: (output, err) => this.fail(output, err),
      failedWrite: (error) => {
        const reason = (error?.message ?? 'unknown error').replace(/[\r\n]+/g, ' ');
        if (error instanceof LogTypeNotCarriedError)
          return Buffer.from(`-${errorReply('collectionsLogMode')}\r\n`);
        if (error instanceof LogRecordTooLargeError) {
          const key = error.key.toString('latin1').replace(/[\r\n]+/g, ' ');
          return Buffer.from(
            `-${errorReply('logRecordTooLarge', key, String(error.bytes), String(error.limit))}\r\n`,
          );
        }
        if (error instanceof LogFencedError) {
          const m = error.moved;
          return Buffer.from(
            `-${m === null ? errorReply('clusterFenced', String(error.partition), error.owner) : errorReply('moved', String(m.slot), `${m.host}:${m.port}`)}\r\n`,
          );
        }
        if (error instanceof LogOutcomeUnknownError)
          return Buffer.from(`-${errorReply('clusterWriteUnknown', String(error.partition))}\r\n`);
        const name = error instanceof DiskError ? 'diskRefused' : 'logWriteFailed';
        return Buffer.from(`-${errorReply(name, reason)}\r\n`);
      },
    });
    this.logMode = logModeOn(config)
      ? new LogMode({
          brokers: brokersOf(config),
          topic: config['kafka-topic'],
          groupId: config['kafka-group-id'],
          clientId: config['kafka-client-id'],
          security: kafkaSecurityOf(config),
          produceTimeoutMs: config['kafka-produce-timeout-ms'],
          fetchMaxWaitMs: config['kafka-fetch-max-wait-ms'],
          maxInFlight: config['kafka-max-in-flight'],
          keyspace: this.keyspace,
          config,
          log: (level, message) => this.log(level, message),
          logs: (level) => this.logger.enabled(level),
          ...(this.cluster === null
            ? {}
            : {
                cluster: {
                  group: new ClusterGroup(this.cluster, config['cluster-standby-replicas']),
                  sessionTimeoutMs: config['cluster-node-timeout'],
                  partitioner: (key: Buffer, partitions: number) => partitionOfSlot(keySlot(key), partitions),
                  nodeId: this.cluster.id,
                  fencedError: (batch: WriteBatch, partition: number, owner: string) =>
                    fencedError(this.cluster as Cluster, batch, partition, owner),
                },
              }),
        })
      : null;
    this.pubsubBus =
      this.logMode === null
        ? null
        : new PubsubBus({
            brokers: brokersOf(config),
            topic: config['kafka-pubsub-topic'] || `${config['kafka-topic']}.pubsub`,
            nodeId: this.logMode.nodeId,
            clientId: config['kafka-client-id'],
            security: kafkaSecurityOf(config),
            cluster: this.cluster !== null,
            deliver: (channel, message, shard) => this.registry.publish(channel, message, shard, 0),
            log: (level, message) => this.log(level, message),
            kafkaLog: kafkajsLog((level, message) => this.log(level, message)),
          });
    this.dispatcher = new Dispatcher({
      table: this.commands,
      keyspace: this.keyspace,
      logMode: this.logMode,
      cluster: this.cluster,
      replies: this.replies,
      config,
      slowlog: this.slowlog,
      counters: this.stats,
      errorStats: this.errorStats,
      observe: (def, usec) => this.http?.metrics.observe(def, usec),
      scriptBusy: () => this.scriptBusy(),
      tracking: this.trackingTable,
      log: (level, message) => this.log(level, message),
    });
    this.pubsubLimit = bufferLimit(config, 'pubsub');
    this.keyspace.notifier.flags = config['notify-keyspace-events'];
    this.keyspace.notifier.connect((channel, message, publisherId) =>
      this.registry.publish(channel, message, false, publisherId),
    );
    this.sampler = setInterval(() => this.sampleOps(), 1000);
    this.sampler.unref();
  }

  private sampleOps(): void {
    const now = Date.now();
    const done = this.stats.commandsProcessed - this.opsSample.commands;
    this.opsPerSec = Math.round((done * 1000) / Math.max(1, now - this.opsSample.at));
    this.opsSample = { at: now, commands: this.stats.commandsProcessed };
  }

  log(level: LogLevel, message: string): void {
    this.logger.log(level, message);
  }

  /** The bind addresses, without redis-server's optional-address '-' marks. */
  get bindHosts(): string[] {
    return this.config.bind
      .split(' ')
      .filter((a) => a !== '')
      .map((a) => a.replace(/^-/, ''));
  }

  /** Starts the HTTP endpoints on http-port (before the keyspace is ready, so /readyz can say so). */
  async listenHttp(): Promise<number> {
    this.http = new HttpServer(this);
    return this.http.listen(this.config['http-port'], this.bindHosts);
  }

  /** Listens on every `bind` address. Resolves with the bound port (useful with port 0). */
  async listen(): Promise<number> {
    const addresses = this.config.bind.split(' ').filter((a) => a !== '');
    let port = this.config.port;
    for (const raw of addresses) {
      const optional = raw.startsWith('-');
      const host = optional ? raw.slice(1) : raw;
      const listener = createServer({ noDelay: true }, (socket) => this.accept(socket));
      listener.maxConnections = Number.MAX_SAFE_INTEGER;
      try {
        port = await new Promise<number>((resolve, reject) => {
          listener.once('error', reject);
          listener.listen({ host, port, backlog: this.config['tcp-backlog'] }, () => {
            listener.off('error', reject);
            const a = listener.address();
            resolve(typeof a === 'object' && a !== null ? a.port : port);
          });
        });
        this.listeners.push(listener);
      } catch (err) {
        if (!optional) throw err;
        this.log('warning', `could not listen on ${host}:${port}: ${(err as Error).message}`);
      }
    }
    this.port = port;
    this.cluster?.announce(
      announcedHost(this.config['cluster-announce-ip'], this.config.bind),
      this.config['cluster-announce-port'] || port,
    );
    return port;
  }

  get connectedClients(): number {
    return this.connections.size;
  }

  get blockedClients(): number {
    return this.dispatcher.blocked.size;
  }

  get clientsInTimeoutTable(): number {
    let n = 0;
    for (const blocked of this.keyBlocked.values()) if (blocked.timed) n++;
    return n;
  }

  private accept(socket: Socket): void {
    this.stats.connectionsReceived++;
    if (this.shuttingDown !== null || this.connections.size >= this.config.maxclients) {
      this.stats.rejectedConnections++;
      socket.end(`-${errorReply('maxClients')}\r\n`);
      return;
    }
    if (
      this.config['protected-mode'] &&
      this.config.requirepass === '' &&
      !isLoopback(socket.remoteAddress)
    ) {
      this.stats.rejectedConnections++;
      socket.end(`-${errorReply('denied')}\r\n`);
      return;
    }
    const client = new Client({
      id: this.nextClientId++,
      socket,
      server: this,
      replies: this.replies,
      db: this.keyspace.dbs[0] as Client['db'],
      maxBulkLength: this.config['proto-max-bulk-len'],
      authenticated: this.config.requirepass === '',
      serve: (k) => this.dispatcher.serve(k),
    });
    this.connections.set(client.id, client);
    socket.setNoDelay(true);
    if (this.config['tcp-keepalive'] > 0) socket.setKeepAlive(true, this.config['tcp-keepalive'] * 1000);
    if (this.config.timeout > 0) socket.setTimeout(this.config.timeout * 1000, () => socket.destroy());
    socket.on(
      'data',
      this.guarded(client, (chunk: Buffer) => {
        this.stats.netInputBytes += chunk.length;
        client.lastInteraction = Date.now();
        client.decoder.feed(chunk);
        this.dispatcher.serve(client);
        if (client.decoder.bufferedBytes > this.config['client-query-buffer-limit']) {
          this.log(
            'warning',
            `closing client that reached max query buffer length: id=${client.id} addr=${client.addr}`,
          );
          socket.destroy();
        }
      }),
    );
    socket.on(
      'drain',
      this.guarded(client, () => this.replies.resumeIfRoom(client.output)),
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      client.closed = true;
      client.unblock?.();
      client.unblock = null;
      this.dispatcher.blocked.delete(client);
      client.session.unwatch();
      this.dispatcher.monitors.delete(client);
      this.registry.unsubscribeAll(client);
      this.trackingTable.disable(client);
      this.connections.delete(client.id);
    });
  }

  /**
   * Wraps a socket event handler: a fault while serving one client closes that client and is logged;
   * it never unwinds the event loop or touches another client.
   */
  private guarded<A extends unknown[]>(client: Client, fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        this.fail(client.output, err);
      }
    };
  }

  /** A fault while serving a client: logged, and that client closed, without what its round had written. */
  private fail(output: Output, err: unknown): void {
    this.log(
      'warning',
      `internal error serving client id=${output.id}, closing it: ${(err as Error).stack ?? String(err)}`,
    );
    this.replies.discardRound();
    output.socket.destroy();
  }

  // ServerOps: what commands may do beyond their own connection.

  info(sections: readonly string[]): string {
    return infoText(this, sections);
  }

  setConfig(changes: readonly (readonly [string, SettingValue])[]): void {
    for (const [name, value] of changes) {
      (this.config as Record<string, SettingValue>)[name] = value;
      if (name === 'appendfsync') this.keyspace.durability = value as Config['appendfsync'];
      if (name === 'cluster-allow-reads-when-down' && this.cluster !== null)
        this.cluster.allowReadsWhenDown = value as boolean;
      if (name === 'loglevel') this.logger.level = value as Config['loglevel'];
      if (name === 'client-output-buffer-limit') this.pubsubLimit = bufferLimit(this.config, 'pubsub');
      if (name === 'notify-keyspace-events') this.keyspace.notifier.flags = value as number;
      if (name === 'proto-max-bulk-len') {
        for (const k of this.connections.values()) k.decoder.maxBulkLength = value as number;
      }
    }
  }

  resetStats(): void {
    for (const key of Object.keys(this.stats) as (keyof ServerStats)[]) this.stats[key] = 0;
    this.errorStats.clear();
    for (const def of this.commands.all) {
      for (const d of [def, ...(def.subcommands ?? [])])
        Object.assign(d.stats, { calls: 0, usec: 0, rejected: 0, failed: 0 });
    }
    this.opsSample = { at: Date.now(), commands: 0 };
  }

  clients(): ClientInfo[] {
    return [...this.connections.values()].map((k) => this.describe(k));
  }

  client(id: number): ClientInfo | undefined {
    const k = this.connections.get(id);
    return k === undefined ? undefined : this.describe(k);
  }

  private describe(k: Client): ClientInfo {
    const session = k.session;
    const multi = session.multi;
    const subs = session.subscriptions;
    const tracking = session.tracking;
    // redis-server's order: O, P, x, b (a blocked command), t, R, B (tracking), r (READONLY), e.
    const flags = `${this.dispatcher.monitors.has(k) ? 'O' : ''}${subs.active ? 'P' : ''}${multi !== null ? 'x' : ''}${this.dispatcher.blocked.has(k) ? 'b' : ''}${tracking === null ? '' : `t${tracking.brokenRedirect ? 'R' : ''}${tracking.bcast ? 'B' : ''}`}${session.readOnly ? 'r' : ''}${session.noEvict ? 'e' : ''}`;
    return {
      id: k.id,
      addr: k.addr,
      laddr: k.laddr,
      name: session.name,
      createdAt: k.createdAt,
      lastInteraction: k.lastInteraction,
      flags: flags || 'N',
      redirect: tracking?.redirect ?? -1,
      db: k.db.index,
      multi: multi === null ? -1 : multi.length,
      queryBufferBytes: k.decoder.bufferedBytes,
      queryBufferSize: k.decoder.allocatedBytes,
      heldReplies: k.output.held.length,
      outputBytes: k.output.pendingBytes,
      lastCommand: k.lastCommand,
      protocol: session.protocol,
      libName: session.libName,
      libVer: session.libVer,
      sub: subs.channels.size,
      psub: subs.patterns.size,
      ssub: subs.shardChannels.size,
    };
  }

  killClients(ids: readonly number[]): void {
    for (const id of ids) this.connections.get(id)?.socket.destroy();
  }

  swapDatabases(a: number, b: number): void {
    const keyspace = this.keyspace;
    const selected = [...this.connections.values()].map((k) => [k, k.db.index] as const);
    keyspace.swap(a, b);
    for (const [k, index] of selected) k.db = keyspace.dbs[index] as Client['db'];
    // Connections blocked on keys of either database now see the other one's keys: they look again.
    for (const i of [a, b]) {
      for (const queue of [...(keyspace.dbs[i]?.blocked.values() ?? [])])
        for (const w of [...queue]) w.wake();
    }
  }

  pauseClients(ms: number, all: boolean): void {
    this.dispatcher.pauseClients(ms, all);
  }

  unpauseClients(): void {
    setImmediate(() => this.dispatcher.unpause());
  }

  readonly pubsub: PubSubOps = {
    subscribe: (id, kind, name) => {
      const k = this.connections.get(id);
      return k !== undefined && this.registry.subscribe(k, kind, name);
    },
    unsubscribe: (id, kind, name) => {
      const k = this.connections.get(id);
      return k !== undefined && this.registry.unsubscribe(k, kind, name);
    },
    unsubscribeAll: (id) => {
      const k = this.connections.get(id);
      if (k !== undefined) this.registry.unsubscribeAll(k);
    },
    publish: (channel, message, shard, publisherId) => {
      this.pubsubBus?.forward(channel, message, shard);
      return this.registry.publish(channel, message, shard, publisherId);
    },
    activeChannels: (shard, pattern) => this.registry.activeChannels(shard, pattern),
    subscriberCount: (shard, channel) => this.registry.subscriberCount(shard, channel),
    counts: () => ({
      channels: this.registry.channelCount,
      patterns: this.registry.patternCount,
      shardChannels: this.registry.shardChannelCount,
    }),
  };

  /**
   * A Pub/Sub message for connection `k`. The publisher's own subscription gets it in the reply being
   * written, before the command's reply (inside EXEC's array, as redis-server 7.0 puts it); another
   * connection gets it behind its own replies, and is closed if its unsent output passes the pubsub
   * class of client-output-buffer-limit.
   */
  private deliver(k: Client, frame: Buffer, publisherId: number): void {
    if (k.id === publisherId) {
      this.replies.writer.raw(frame);
      return;
    }
    if (k.closed) return;
    const output = k.output;
    this.replies.send(output, frame);
    if (!output.gone && this.replies.overLimit(output, this.pubsubLimit, Date.now())) {
      this.log(
        'warning',
        `Client id=${k.id} addr=${k.addr} name=${k.session.name} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      this.replies.drop(output);
    }
  }

  readonly tracking: TrackingOps = {
    enable: (id, options) => {
      const k = this.connections.get(id);
      if (k !== undefined) this.trackingTable.enable(k, options);
    },
    disable: (id) => {
      const k = this.connections.get(id);
      if (k !== undefined) this.trackingTable.disable(k);
    },
  };

  trackingCounts(): { clients: number; keys: number; items: number; prefixes: number } {
    return { clients: this.trackingTable.clients, ...this.trackingTable.counts() };
  }

  /**
   * An invalidation for connection `k`: in the reply being written when its command runs now, else behind
   * its own replies (a subscribed connection is held to the pubsub class of client-output-buffer-limit).
   */
  private sendInvalidation(k: Client, frame: Buffer): void {
    if (k === this.trackingTable.current) {
      this.replies.writer.raw(frame);
      return;
    }
    if (k.session.subscriptions.active) this.deliver(k, frame, 0);
    else if (!k.closed) this.replies.send(k.output, frame);
  }

  startMonitor(id: number): void {
    const k = this.connections.get(id);
    if (k !== undefined) this.dispatcher.monitors.add(k);
  }

  stopMonitor(id: number): void {
    const k = this.connections.get(id);
    if (k !== undefined) this.dispatcher.monitors.delete(k);
  }

  private engine: ScriptEngine | null = null;
  /** Where commands called by scripts write their replies. */
  private readonly scriptCallWriter = new ReplyWriter(2);

  /** Starts the Lua engine (before the server accepts clients). */
  async startScripting(): Promise<void> {
    if (this.engine !== null) return;
    this.engine = await ScriptEngine.create(() => this.config['busy-reply-threshold']);
    // The function libraries stored by FUNCTION LOAD and the like, as a FUNCTION DUMP payload.
    const stored = this.keyspace.readMeta(FUNCTIONS_KEY);
    if (stored !== undefined) {
      const failed = this.engine.restoreLibraries(stored, 'flush');
      if (failed !== null)
        this.log('warning', `The stored function libraries could not be loaded: ${failed.error}`);
      else this.log('notice', `Loaded ${this.engine.libraries.size} function libraries`);
    }
  }

  saveFunctions(): void {
    const engine = this.scripts;
    this.keyspace.putMeta(FUNCTIONS_KEY, engine.libraries.size === 0 ? null : engine.dumpLibraries());
  }

  get scripts(): ScriptEngine {
    if (this.engine === null) throw new Error('the Lua engine has not started');
    return this.engine;
  }

  scriptBusy(): 'eval' | 'function' | null {
    return this.engine?.busyRun?.kind ?? null;
  }

  scriptHost(c: CommandContext, readOnly: boolean): ScriptHost {
    return new ScriptCaller(
      {
        table: this.commands,
        keyspace: this.keyspace,
        writer: this.scriptCallWriter,
        log: (level, message) => this.log(level, message),
        ran: (def, args) => {
          if (this.trackingTable.clients === 0) return;
          const k = this.connections.get(c.session.id);
          if (k !== undefined) this.trackingTable.remember(k, def, args);
        },
      },
      c,
      readOnly,
    );
  }

  runTransaction(id: number, queued: readonly QueuedCommand[]): void {
    const k = this.connections.get(id);
    if (k !== undefined) this.dispatcher.runTransaction(k, queued);
  }

  /**
   * Stops accepting, lets commands in flight finish and their writes commit, closes connections, then
   * flushes LMDB to disk and closes it.
   */
  shutdown(reason: string): Promise<void> {
    if (this.shuttingDown !== null) return this.shuttingDown;
    this.log('notice', `${reason}: shutting down`);
    this.state = 'shutting-down';
    this.shuttingDown = (async () => {
      clearInterval(this.sampler);
      // Stop accepting connections now; the listeners close once the connections are gone (below).
      const closed = Promise.all(
        this.listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))),
      );
      // Log mode: writes on their way get their acknowledgement (or their error) before the consumer
      // stops; none is cut off between Kafka's answer and its application here.
      if (this.logMode !== null) {
        await within(this.config['kafka-produce-timeout-ms'] * 2, this.keyspace);
        await this.logMode.stop();
        await this.pubsubBus?.stop();
      }
      await new Promise<void>((resolve) => this.keyspace.whenIdle(resolve));
      for (const client of this.connections.values()) this.replies.closeAfterReplies(client.output);
      await this.http?.close();
      await this.keyspace.close();
      for (const client of this.connections.values()) client.socket.destroy();
      await closed;
      this.log('notice', `Sluice ${VERSION} is now ready to exit, bye bye...`);
      this.onShutdown?.();
    })();
    return this.shuttingDown;
  }
}

/** Loopback addresses, as protected mode admits them. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Waits until the keyspace has no write on its way, or `ms` at most. */
function within(ms: number, keyspace: Keyspace): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    keyspace.whenIdle(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The error for a write of this node that the fence left out (log/fence.ts): `MOVED` to the partition's
 * owner when the write's keys are in one slot and the plan gives the owner's address (nothing of the
 * write was applied anywhere, so a client may send it there), else `LogFencedError` without an address.
 */
function fencedError(cluster: Cluster, batch: WriteBatch, partition: number, owner: string): LogFencedError {
  const slots = new Set(keysOf(batch).map((k) => keySlot(Buffer.from(k, 'latin1'))));
  const node = cluster.topology.nodes.find((n) => n.id === owner);
  const [slot] = slots;
  if (slots.size !== 1 || slot === undefined || node === undefined || node.id === cluster.id)
    return new LogFencedError(partition, owner);
  return new LogFencedError(partition, owner, { slot, host: node.host, port: node.port });
}
