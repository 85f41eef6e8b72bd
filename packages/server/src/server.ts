import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { ProtocolError, ReplyWriter } from '@sluice/protocol';
import { Client } from './client.js';
import { allCommands } from './commands/index.js';
import type { CommandDef } from './commands/spec.js';
import { CommandTable } from './commands/table.js';
import type { Config } from './config/index.js';
import { errorReply } from './errors.js';
import { HttpServer } from './http/server.js';
import { CursorTable } from './keyspace/cursors.js';
import { Keyspace } from './keyspace/keyspace.js';
import type { Logger, LogLevel } from './log.js';
import { SlowLog } from './slowlog.js';
import { VERSION } from './version.js';

const ARG_PREVIEW = 128;
const QUEUED = Buffer.from('+QUEUED\r\n');
/** Commands that act on a transaction instead of joining its queue. */
const TRANSACTION_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'unwatch', 'quit', 'reset']);

/** Counters for INFO stats. */
export interface ServerStats {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
}

/**
 * sluice-server: accepts connections, decodes their requests, runs commands from the command table and
 * sends replies, acknowledging writes only once they have committed.
 */
export class Server {
  readonly table = new CommandTable(allCommands);
  readonly keyspace: Keyspace;
  readonly clients = new Map<number, Client>();
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
  readonly slowlog: SlowLog;
  /** Clients in MONITOR mode. */
  readonly monitors = new Set<Client>();
  /** Error replies by code (INFO errorstats). */
  readonly errorStats = new Map<string, number>();
  private pause: { until: number; all: boolean; timer: NodeJS.Timeout } | null = null;
  /** Clients whose current command waits for the pause to end, in arrival order. */
  private readonly paused: Client[] = [];
  /**
   * Date.now() minus performance.now(), taken before each client's round (process, and a resumed
   * command): a command's time (Client.now) comes from the one clock reading that also times it.
   */
  private wallClockOffset = Date.now() - performance.now();
  /** Clients with replies in their outbox, written after the poll phase (scheduleOutbox). */
  private outboxes: Client[] = [];
  /** The port actually bound (differs from the setting with port 0). */
  port = 0;
  /** Commands per second over the last sampling interval. */
  opsPerSec = 0;
  private opsSample = { at: Date.now(), commands: 0 };
  private readonly sampler: NodeJS.Timeout;
  /** One writer for all clients: replies are taken from it after each client's round. */
  private readonly out = new ReplyWriter(2);
  private readonly listeners: NetServer[] = [];
  private nextClientId = 1;
  private shuttingDown: Promise<void> | null = null;
  /** Where the server is in its life: /readyz reports ready only in `ready`. */
  state: 'starting' | 'ready' | 'shutting-down' = 'starting';
  /** The HTTP endpoints, when http-port is set. */
  http: HttpServer | null = null;
  /** Called once the server has shut down (SHUTDOWN, signals). */
  onShutdown: (() => void) | null = null;

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
    });
    this.slowlog = new SlowLog(() => this.config['slowlog-max-len']);
    this.out.onError = (message) => {
      this.stats.errorReplies++;
      const code = message.slice(0, message.indexOf(' ') >>> 0);
      this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1);
    };
    this.sampler = setInterval(() => this.sampleOps(), 1000);
    this.sampler.unref();
  }

  private sampleOps(): void {
    const now = Date.now();
    const done = this.stats.commandsProcessed - this.opsSample.commands;
    this.opsPerSec = Math.round((done * 1000) / Math.max(1, now - this.opsSample.at));
    this.opsSample = { at: now, commands: this.stats.commandsProcessed };
  }

  setLogLevel(level: LogLevel): void {
    this.logger.level = level;
  }

  resetStats(): void {
    for (const key of Object.keys(this.stats) as (keyof ServerStats)[]) this.stats[key] = 0;
    this.errorStats.clear();
    for (const def of this.table.all) {
      for (const d of [def, ...(def.subcommands ?? [])])
        Object.assign(d.stats, { calls: 0, usec: 0, rejected: 0, failed: 0 });
    }
    this.opsSample = { at: Date.now(), commands: 0 };
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
    return port;
  }

  get connectedClients(): number {
    return this.clients.size;
  }

  private accept(socket: Socket): void {
    this.stats.connectionsReceived++;
    if (this.shuttingDown !== null || this.clients.size >= this.config.maxclients) {
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
    const client = new Client(this.nextClientId++, socket, this, this.keyspace.dbs[0] as never, this.out);
    this.clients.set(client.id, client);
    socket.setNoDelay(true);
    if (this.config['tcp-keepalive'] > 0) socket.setKeepAlive(true, this.config['tcp-keepalive'] * 1000);
    if (this.config.timeout > 0) socket.setTimeout(this.config.timeout * 1000, () => socket.destroy());
    socket.on(
      'data',
      this.guarded(client, (chunk: Buffer) => {
        this.stats.netInputBytes += chunk.length;
        client.lastInteraction = Date.now();
        client.decoder.feed(chunk);
        this.process(client);
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
      this.guarded(client, () => this.maybeResume(client)),
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      client.closed = true;
      client.unwatch();
      this.monitors.delete(client);
      this.clients.delete(client.id);
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
        this.fail(client, err);
      }
    };
  }

  /** A fault while serving `client`: logged, and that client closed, without what its round had written. */
  private fail(client: Client, err: unknown): void {
    this.log(
      'warning',
      `internal error serving client id=${client.id}, closing it: ${(err as Error).stack ?? String(err)}`,
    );
    this.out.take(); // drop whatever this client's round had written
    client.socket.destroy();
  }

  /** Runs the client's complete commands in order, then sends their replies in as few writes as possible. */
  process(client: Client): void {
    if (client.closed || client.suspended) return;
    const out = this.out;
    out.protocol = client.protocol;
    const limit = this.config['sluice-output-pause-bytes'];
    this.readWallClock();
    try {
      while (!client.closeAfterFlush) {
        if (out.pendingBytes + client.pendingOutputBytes > limit) {
          client.outputPaused = true;
          client.socket.pause();
          break;
        }
        if (!client.decoder.next()) break;
        if (!this.execute(client)) break;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      out.error(err.reply);
      client.closeAfterFlush = true;
      this.log('verbose', `protocol error from client id=${client.id} addr=${client.addr}: ${err.message}`);
    }
    this.flush(client);
  }

  /** Takes the wall-clock offset that the commands of the round about to run use (see `run`). */
  private readWallClock(): void {
    this.wallClockOffset = Date.now() - performance.now();
  }

  /** Has `client`'s outbox written once this poll phase ends (see Client.post). */
  scheduleOutbox(client: Client): void {
    this.outboxes.push(client);
    if (this.outboxes.length === 1) setImmediate(this.flushOutboxes);
  }

  private readonly flushOutboxes = (): void => {
    const clients = this.outboxes;
    this.outboxes = [];
    for (const client of clients) {
      try {
        client.flushOutbox();
        this.maybeResume(client); // may run a round of the client's commands
      } catch (err) {
        this.fail(client, err);
      }
    }
  };

  /** Resumes a client whose reading was paused once its waiting replies fall under the limit. */
  maybeResume(client: Client): void {
    if (!client.outputPaused || client.closed) return;
    if (client.pendingOutputBytes > this.config['sluice-output-pause-bytes'] / 2) return;
    client.outputPaused = false;
    client.socket.resume();
    this.process(client);
  }

  private flush(client: Client): void {
    const chunks = this.out.take();
    let bytes = 0;
    for (const c of chunks) bytes += c.length;
    this.stats.netOutputBytes += bytes;
    const batches = client.roundBatches;
    if (batches.length > 0) client.roundBatches = [];
    client.send(chunks, batches);
  }

  /**
   * Runs the decoder's current command. Returns false when the client must wait (CLIENT PAUSE); the
   * command then runs once the pause ends.
   */
  private execute(client: Client): boolean {
    const args = client.decoder;
    client.args = args;
    const def = this.resolve(client);
    if (def === undefined) return true;
    if (this.pausedFor(def, client)) {
      this.suspend(client);
      return false;
    }
    const multi = client.multi;
    if (multi !== null && !TRANSACTION_CONTROL.has(def.spec.name)) {
      if (def.spec.flags.includes('no_multi')) {
        client.multiFailed = true;
        this.reject(def, errorReply('notInMulti'));
        return true;
      }
      multi.push({ def, args: args.copy() });
      this.out.raw(QUEUED);
      return true;
    }
    this.run(client, def);
    return true;
  }

  /**
   * Looks the current command up and checks it (unknown command or subcommand, arity, authentication),
   * replying with the error and returning undefined when it cannot run.
   */
  private resolve(client: Client): CommandDef | undefined {
    const args = client.args;
    let def = this.table.lookup(args);
    if (def === undefined) {
      this.refuse(client, unknownCommand(args.argv()));
      return undefined;
    }
    if (def.subcommands !== undefined && args.argc >= 2) {
      const sub = this.lookupSubcommand(def, client);
      if (sub === undefined) {
        this.refuse(
          client,
          errorReply('unknownSubcommand', preview(args.argString(1)), def.spec.name.toUpperCase()),
          def,
        );
        return undefined;
      }
      def = sub;
    }
    const arity = def.spec.arity;
    if (arity > 0 ? args.argc !== arity : args.argc < -arity) {
      this.refuse(client, errorReply('wrongArity', def.spec.name), def);
      return undefined;
    }
    if (!client.authenticated && !def.spec.flags.includes('no_auth')) {
      this.refuse(client, errorReply('noAuth'), def);
      return undefined;
    }
    return def;
  }

  /** A command refused before running: inside MULTI, the transaction can no longer run. */
  private refuse(client: Client, message: string, def?: CommandDef): void {
    if (client.multi !== null) client.multiFailed = true;
    this.reject(def, message);
  }

  private reject(def: CommandDef | undefined, message: string): void {
    if (def !== undefined) def.stats.rejected++;
    this.out.error(message);
  }

  /** Runs a command that passed its checks, with statistics, slow log and MONITOR. */
  run(client: Client, def: CommandDef): void {
    const out = this.out;
    if (def.spec.barrier) this.keyspace.commitNow();
    if (this.monitors.size > 0 && !def.spec.flags.includes('admin')) this.feedMonitors(client);
    const t0 = performance.now();
    client.now = Math.floor(this.wallClockOffset + t0);
    client.lastCommand = def.spec.name;
    this.stats.commandsProcessed++;
    const errorsBefore = this.stats.errorReplies;
    try {
      def.run(client);
    } catch (err) {
      out.error(`ERR internal error: ${(err as Error).message}`);
      this.log('warning', `command '${def.spec.name}' failed: ${(err as Error).stack ?? String(err)}`);
    }
    const usec = (performance.now() - t0) * 1000;
    const stats = def.stats;
    stats.calls++;
    stats.usec += usec;
    if (this.stats.errorReplies !== errorsBefore) stats.failed++;
    if (def.writes) {
      const batch = this.keyspace.latestBatch;
      const batches = client.roundBatches;
      if (batch !== null && batch.state !== 'committed' && batches[batches.length - 1] !== batch) {
        batches.push(batch);
      }
    }
    this.http?.metrics.observe(def, usec);
    const threshold = this.config['slowlog-log-slower-than'];
    if (threshold >= 0 && usec >= threshold) this.slowlog.add(client, usec);
  }

  private lookupSubcommand(def: CommandDef, client: Client): CommandDef | undefined {
    const args = client.args;
    for (const sub of def.subcommands ?? []) {
      const name = sub.spec.name.slice(def.spec.name.length + 1);
      if (args.argLength(1) === name.length && args.argString(1, 'latin1').toLowerCase() === name) return sub;
    }
    return undefined;
  }

  /** Whether CLIENT PAUSE holds this command back now (an EXEC counts as a write if it holds one). */
  private pausedFor(def: CommandDef, client: Client): boolean {
    const pause = this.pause;
    if (pause === null) return false;
    if (Date.now() >= pause.until) {
      this.unpause();
      return false;
    }
    if (def.spec.name.startsWith('client|')) return false;
    if (pause.all || def.writes) return true;
    return def.spec.name === 'exec' && (client.multi?.some((q) => q.def.writes) ?? false);
  }

  /** CLIENT PAUSE: holds back commands (all, or only writes) for `ms` milliseconds. */
  pauseClients(ms: number, all: boolean): void {
    if (this.pause !== null) clearTimeout(this.pause.timer);
    const timer = setTimeout(() => this.unpause(), ms);
    this.pause = { until: Date.now() + ms, all, timer };
  }

  /** CLIENT UNPAUSE, or the end of the pause: runs the commands held back, in arrival order. */
  unpause(): void {
    if (this.pause === null) return;
    clearTimeout(this.pause.timer);
    this.pause = null;
    for (const client of this.paused.splice(0)) {
      client.suspended = false;
      if (client.closed) continue;
      if (!client.outputPaused) client.socket.resume();
      this.out.protocol = client.protocol;
      this.readWallClock();
      if (this.execute(client)) this.process(client);
      else this.flush(client);
    }
  }

  /** Parks the client until the pause ends; its current command then runs. */
  private suspend(client: Client): void {
    client.suspended = true;
    client.socket.pause();
    this.paused.push(client);
  }

  /** Sends the command about to run to every MONITOR client, as redis-server formats it. */
  private feedMonitors(client: Client): void {
    const now = Date.now();
    const args = client.args;
    let line = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')} [${client.db.index} ${client.addr}]`;
    for (let i = 0; i < args.argc; i++) line += ` ${quoteRepr(args.arg(i))}`;
    const bytes = Buffer.from(`+${line}\r\n`, 'latin1');
    for (const m of this.monitors) {
      if (m === client || m.closed) continue;
      m.post([bytes]);
    }
  }

  /**
   * Stops accepting, lets commands in flight finish and their writes commit, closes connections, then
   * flushes and closes LMDB.
   */
  shutdown(reason: string): Promise<void> {
    if (this.shuttingDown !== null) return this.shuttingDown;
    this.log('notice', `${reason}: shutting down`);
    this.state = 'shutting-down';
    this.shuttingDown = (async () => {
      clearInterval(this.sampler);
      await Promise.all(this.listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
      await new Promise<void>((resolve) => this.keyspace.whenIdle(resolve));
      for (const client of this.clients.values()) {
        client.closeAfterFlush = true;
        client.send([], []);
      }
      await this.http?.close();
      await this.keyspace.close();
      for (const client of this.clients.values()) client.socket.destroy();
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

/** A byte string the way redis-server's sdscatrepr shows it: quoted, escapes for the unprintable. */
export function quoteRepr(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x5c || b === 0x22) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x07) out += '\\a';
    else if (b === 0x08) out += '\\b';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

function preview(s: string): string {
  return s.length > ARG_PREVIEW ? s.slice(0, ARG_PREVIEW) : s;
}

/** redis-server's text: the name, then the first arguments, each quoted and followed by a space. */
function unknownCommand(argv: Buffer[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < ARG_PREVIEW; i++) {
    args += `'${(argv[i] as Buffer).toString('latin1').slice(0, ARG_PREVIEW - args.length)}' `;
  }
  return errorReply('unknownCommand', preview((argv[0] as Buffer).toString('latin1')), args);
}
