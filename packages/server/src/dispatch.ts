/**
 * The way in: a connection's complete requests become commands, each through a straight line of
 * checks (redis-server's processCommand), and their replies go to the reply path (output.ts).
 *
 * `serve` runs a round: every complete request of one connection, in order, then the round's end.
 * `execute` queues a command in MULTI or runs it; `resolve` looks it up and checks it (unknown command
 * or subcommand, arity, authentication), refusing it with the exact error; `run` runs a command that
 * passed, with statistics, slow log and MONITOR, recording the batches its writes join. CLIENT PAUSE
 * holds commands back between `resolve` and `run`.
 */

import { ProtocolError } from '@sluice/protocol';
import type { Client } from './client.js';
import { isRouted, type Redirect, redirectReply, route, routedSlot } from './cluster/routing.js';
import type { ClusterTopology } from './cluster/topology.js';
import type { QueuedCommand } from './commands/context.js';
import type { CommandDef } from './commands/spec.js';
import type { CommandTable } from './commands/table.js';
import type { Config } from './config/index.js';
import { errorReply } from './errors.js';
import type { Keyspace, WriteBatch } from './keyspace/keyspace.js';
import type { LogLevel } from './log.js';
import type { ReplyPath } from './output.js';
import type { SlowLog } from './slowlog.js';
import type { TrackingTable } from './tracking/table.js';

const ARG_PREVIEW = 128;
const QUEUED = Buffer.from('+QUEUED\r\n');
/** What a RESP2 connection in Pub/Sub mode may run. */
const SUBSCRIBER_COMMANDS = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
]);
/** Commands that act on a transaction instead of joining its queue. */
const TRANSACTION_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'unwatch', 'quit', 'reset']);

/** Counters the dispatcher keeps for INFO stats. */
export interface CommandCounters {
  commandsProcessed: number;
  errorReplies: number;
}

/** What the dispatcher asks of log mode before it runs a command. */
export interface LogGate {
  /** Still applying what the topic held at start: data commands get LOADING. */
  readonly loading: boolean;
  /** Whether the brokers answer (with replica-serve-stale-data no, data commands get MASTERDOWN if not). */
  readonly connected: boolean;
}

/** What the dispatcher asks of cluster mode before it runs a command: who serves which slots. */
export interface ClusterGate {
  readonly topology: ClusterTopology;
  /** Whether the slot is being caught up with after its node gained it (LOADING). */
  slotLoading(slot: number): boolean;
  /**
   * Whether reads of the node's keys are refused now: its plan may be out of date after a stall or a
   * lapse of the group's confirmations (cluster.ts).
   */
  refusesReads(now: number): boolean;
}

export interface DispatcherOptions {
  readonly table: CommandTable;
  readonly keyspace: Keyspace;
  /** Log mode, or null. */
  readonly logMode: LogGate | null;
  /** Cluster mode, or null. */
  readonly cluster: ClusterGate | null;
  readonly replies: ReplyPath;
  readonly config: Readonly<Config>;
  readonly slowlog: SlowLog;
  readonly counters: CommandCounters;
  /** Error replies by code (INFO errorstats). */
  readonly errorStats: Map<string, number>;
  /** Client-side caching: the keys tracking connections read, and their invalidations. */
  readonly tracking: TrackingTable<Client>;
  /** Per-command latency for /metrics, when HTTP is on. */
  observe(def: CommandDef, usec: number): void;
  /** Whether a script runs past busy-reply-threshold: commands without allow_busy get BUSY. */
  /** What runs past busy-reply-threshold: an EVAL script, a function, or nothing (null). */
  scriptBusy(): 'eval' | 'function' | null;
  log(level: LogLevel, message: string): void;
}

export class Dispatcher {
  /** Clients in MONITOR mode. */
  readonly monitors = new Set<Client>();
  private pause: { until: number; all: boolean; timer: NodeJS.Timeout } | null = null;
  /** Clients whose current command waits for the pause to end, in arrival order. */
  private readonly paused: Client[] = [];
  /**
   * Date.now() minus performance.now(), taken before each round (serve, and a resumed command): a
   * command's time (Client.now) comes from the one clock reading that also times it.
   */
  private wallClockOffset = Date.now() - performance.now();

  private readonly table: CommandTable;
  private readonly keyspace: Keyspace;
  private readonly replies: ReplyPath;
  private readonly config: Readonly<Config>;
  private readonly counters: CommandCounters;
  private readonly tracking: TrackingTable<Client>;

  constructor(private readonly options: DispatcherOptions) {
    this.table = options.table;
    this.keyspace = options.keyspace;
    this.replies = options.replies;
    this.config = options.config;
    this.counters = options.counters;
    this.tracking = options.tracking;
    const { counters, errorStats } = options;
    this.replies.writer.onError = (message) => {
      counters.errorReplies++;
      const code = message.slice(0, message.indexOf(' ') >>> 0);
      errorStats.set(code, (errorStats.get(code) ?? 0) + 1);
    };
  }

  /** Nested `run`s (EXEC's queued commands): log mode cuts the replies around top-level writes only. */
  private depth = 0;
  /** Clients parked by a blocked command (INFO blocked_clients). */
  readonly blocked = new Set<Client>();

  /** A round: runs the client's complete requests in order, then ends the round on the reply path. */
  serve(client: Client): void {
    if (client.closed || client.suspended) return;
    const replies = this.replies;
    const output = client.output;
    replies.serve(client.session.protocol);
    this.readWallClock();
    try {
      while (!output.closing) {
        if (replies.full(output)) {
          replies.pauseReading(output);
          break;
        }
        if (!client.decoder.next()) break;
        if (!this.execute(client)) break;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      replies.writer.error(err.reply);
      output.closing = true;
      this.options.log(
        'verbose',
        `protocol error from client id=${client.id} addr=${client.addr}: ${err.message}`,
      );
    }
    replies.endRound(output, client.commits.take());
  }

  /** Takes the wall-clock offset that the commands of the round about to run use (see `run`). */
  private readWallClock(): void {
    this.wallClockOffset = Date.now() - performance.now();
  }

  /**
   * Runs the decoder's current command. Returns false when the client must wait (CLIENT PAUSE, a
   * blocked command, a barrier in log mode); the command then runs again once it is woken.
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
    const session = client.session;
    const multi = session.multi;
    if (this.waitsForWrites(def, client)) {
      // Log mode: a command that reads the whole keyspace from LMDB first waits until the writes before
      // it have come back from the topic (local mode commits them at once instead: `run`).
      client.barrierWaited = true;
      client.blockedOn = (wake) => {
        this.keyspace.whenSettledSoFar(wake);
        return () => {};
      };
      this.park(client);
      return false;
    }
    if (multi !== null && !TRANSACTION_CONTROL.has(def.spec.name)) {
      if (def.spec.flags.includes('no_multi')) {
        session.multiFailed = true;
        this.reject(def, errorReply('notInMulti'));
        return true;
      }
      multi.push({ def, args: args.copy() });
      this.replies.writer.raw(QUEUED);
      return true;
    }
    this.run(client, def);
    client.barrierWaited = false;
    if (client.blockedOn !== null) {
      session.blockedSince ??= client.now;
      this.park(client);
      return false;
    }
    session.blockedSince = null;
    session.blockOrder = null;
    session.wokenBy = null;
    return true;
  }

  /** Log mode: whether this command must wait for the writes before it to come back from the topic. */
  private waitsForWrites(def: CommandDef, client: Client): boolean {
    if (this.options.logMode === null || client.barrierWaited || !this.keyspace.pending) return false;
    if (def.spec.barrier) return client.session.multi === null;
    return def.spec.name === 'exec' && (client.session.multi?.some((q) => q.def.spec.barrier) ?? false);
  }

  /**
   * Parks a client on what its command asked to wait for (`Client.blockedOn`): its later commands wait
   * too. When woken, the command runs again (in a later turn, never inside the code that woke it).
   */
  private park(client: Client): void {
    const wait = client.blockedOn as (wake: () => void) => () => void;
    client.blockedOn = null;
    client.suspended = true;
    client.socket.pause();
    this.blocked.add(client);
    let woken = false;
    const wake = (): void => {
      if (woken) return;
      woken = true;
      client.unblock = null;
      setImmediate(() => {
        this.blocked.delete(client);
        this.resume(client);
      });
    };
    const cancel = wait(wake);
    if (!woken) client.unblock = cancel;
  }

  /** Runs a parked or paused client's current command again, then the rest of its requests. */
  private resume(client: Client): void {
    client.suspended = false;
    if (client.closed) return;
    if (!client.output.readingPaused) client.socket.resume();
    this.replies.serve(client.session.protocol);
    this.readWallClock();
    if (this.execute(client)) this.serve(client);
    else this.replies.endRound(client.output, client.commits.take());
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
      const sub = this.table.lookupSubcommand(def, args);
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
    if (!client.session.authenticated && !def.spec.flags.includes('no_auth')) {
      this.refuse(client, errorReply('noAuth'), def);
      return undefined;
    }
    if (this.options.cluster !== null && !this.clusterAdmits(client, def)) return undefined;
    const busy = this.options.scriptBusy();
    if (busy !== null && !def.spec.flags.includes('allow_busy')) {
      this.refuse(client, errorReply(busy === 'eval' ? 'busyScript' : 'busyFunction'), def);
      return undefined;
    }
    if (!this.diskAdmits(client, def)) return undefined;
    if (!this.subscriberAdmits(client, def)) return undefined;
    const log = this.options.logMode;
    if (log !== null) {
      const flags = def.spec.flags;
      if (!this.config['replica-serve-stale-data'] && !log.connected && !flags.includes('stale')) {
        this.refuse(client, errorReply('masterDown'), def);
        return undefined;
      }
      if (log.loading && !flags.includes('loading')) {
        this.refuse(client, errorReply('loading'), def);
        return undefined;
      }
    }
    return def;
  }

  /**
   * Cluster mode: the command's keys (for EXEC, those of every queued command) must hash to one slot that
   * this node serves, as redis-server's getNodeByQuery decides (cluster/routing.ts); else MOVED, CROSSSLOT
   * or CLUSTERDOWN. A refused command queued in MULTI makes EXEC fail; a refused EXEC ends the transaction.
   */
  private clusterAdmits(client: Client, def: CommandDef): boolean {
    if (!isRouted(def)) return true;
    const gate = this.options.cluster as ClusterGate;
    const topology = gate.topology;
    const session = client.session;
    const multi = session.multi;
    const exec = def.spec.name === 'exec';
    // While a transaction is open, redis-server asks whether the commands queued so far write.
    const write = multi === null ? def.writes : multi.some((q) => q.def.writes);
    // A node that stalled or lost touch with the group reads none of its keys until the group confirms
    // its plan (cluster.ts).
    const stale = gate.refusesReads(Date.now());
    let redirect: Redirect | null;
    if (exec) {
      if (multi === null) return true;
      redirect = route(topology, multi, session.readOnly, write, stale);
    } else {
      redirect = route(topology, { def, args: client.args }, session.readOnly, write, stale);
    }
    if (redirect === null) {
      const slot = routedSlot();
      if (slot === -1 || !gate.slotLoading(slot) || def.spec.flags.includes('loading')) return true;
      if (exec) {
        session.discard();
        this.reject(def, errorReply('loading'));
      } else {
        this.refuse(client, errorReply('loading'), def);
      }
      return false;
    }
    if (exec) {
      session.discard();
      this.reject(def, redirectReply(redirect));
    } else {
      this.refuse(client, redirectReply(redirect), def);
    }
    return false;
  }

  /**
   * RESP2 subscriber mode: a connection subscribed to a channel, pattern or shard channel only runs the
   * commands that manage subscriptions, PING, QUIT and RESET (redis-server's processCommand; the name of a
   * subcommand is its full name, `client|list`). RESP3 connections run anything.
   */
  private subscriberAdmits(client: Client, def: CommandDef): boolean {
    const session = client.session;
    if (session.protocol !== 2 || !session.subscriptions.active || SUBSCRIBER_COMMANDS.has(def.spec.name))
      return true;
    this.refuse(client, errorReply('pubsubContext', def.spec.name), def);
    return false;
  }

  /**
   * Whether the disk takes the command's writes (disk-guard.ts): while writes are refused, write commands,
   * an EXEC of writes and PING get `-MISCONF …`, as redis-server answers while it cannot write its AOF.
   * A write is also refused when the disk lacks room for what it could allocate, so that it gets the
   * error before it runs rather than failing at its commit.
   */
  private diskAdmits(client: Client, def: CommandDef): boolean {
    const keyspace = this.keyspace;
    const name = def.spec.name;
    let admitted: boolean;
    if (def.writes) {
      const args = client.args;
      admitted =
        client.session.multi !== null
          ? !keyspace.writesRefused // only queued now; EXEC is admitted for all of them
          : keyspace.admitsWrite(args.argc, requestBytes(args));
    } else if (name === 'exec') {
      const writes = client.session.multi?.filter((q) => q.def.writes) ?? [];
      let argc = 0;
      let bytes = 0;
      for (const { args } of writes) {
        argc += args.argc;
        bytes += requestBytes(args);
      }
      admitted = writes.length === 0 || keyspace.admitsWrite(argc, bytes);
    } else {
      admitted = name !== 'ping' || !keyspace.writesRefused;
    }
    if (admitted) return true;
    const message = errorReply('diskRefused', keyspace.guard.refusal ?? '');
    if (name === 'exec') {
      // redis-server's execCommandAbort: the transaction ends with the error.
      client.session.discard();
      this.reject(def, message);
    } else {
      this.refuse(client, message, def);
    }
    return false;
  }

  /** A command refused before running: inside MULTI, the transaction can no longer run. */
  private refuse(client: Client, message: string, def?: CommandDef): void {
    if (client.session.multi !== null) client.session.multiFailed = true;
    else if (client.session.tracking !== null && !def?.spec.name.startsWith('client|'))
      client.session.tracking.caching = false;
    this.reject(def, message);
  }

  private reject(def: CommandDef | undefined, message: string): void {
    if (def !== undefined) def.stats.rejected++;
    this.replies.writer.error(message);
  }

  /**
   * Runs a command that passed its checks, with statistics, slow log and MONITOR. The batches its writes
   * join are recorded on the client (`commits`), and the round's replies wait for them.
   */
  private run(client: Client, def: CommandDef): void {
    const { keyspace, counters } = this;
    if (def.spec.barrier) keyspace.commitNow();
    // Log mode: each write's reply leaves the writer on its own, so that it alone becomes an error if
    // Kafka does not take its records.
    // The same when the disk is nearly full: a write whose commit fails gets the error, not a closed connection.
    const cut =
      (this.options.logMode !== null || keyspace.nearlyFull) &&
      this.depth === 0 &&
      (def.writes || def.spec.name === 'exec' || def.spec.flags.includes('may_replicate'));
    if (cut) this.replies.cut(client.output, client.commits.take(), false);
    if (this.monitors.size > 0 && !def.spec.flags.includes('admin')) this.feedMonitors(client);
    const t0 = performance.now();
    client.now = Math.floor(this.wallClockOffset + t0);
    client.lastCommand = def.spec.name;
    counters.commandsProcessed++;
    const errorsBefore = counters.errorReplies;
    const recorder = keyspace.recorder;
    keyspace.recorder = client.commits;
    // Keyspace notifications of this command: the connection that receives its own gets them in its reply.
    const notifier = keyspace.notifier;
    const publisher = notifier.publisherId;
    notifier.publisherId = client.id;
    notifier.now = client.now;
    const tracking = this.tracking;
    const caller = tracking.current;
    tracking.current = client;
    this.depth++;
    try {
      def.run(client);
    } catch (err) {
      this.replies.writer.error(`ERR internal error: ${(err as Error).message}`);
      this.options.log(
        'warning',
        `command '${def.spec.name}' failed: ${(err as Error).stack ?? String(err)}`,
      );
    }
    this.depth--;
    if (tracking.clients > 0 || tracking.hasPending) this.tracked(client, def);
    tracking.current = caller;
    keyspace.recorder = recorder;
    notifier.publisherId = publisher;
    if (cut) {
      const batches = client.commits.take();
      if (batches.length > 0) client.session.lastWrite = batches[batches.length - 1] as WriteBatch;
      this.replies.cut(client.output, batches, true);
    }
    const usec = (performance.now() - t0) * 1000;
    const stats = def.stats;
    stats.calls++;
    stats.usec += usec;
    if (counters.errorReplies !== errorsBefore) stats.failed++;
    this.options.observe(def, usec);
    const threshold = this.config['slowlog-log-slower-than'];
    if (threshold >= 0 && usec >= threshold)
      this.options.slowlog.add(client.args, client.addr, client.session.name, usec);
  }

  /**
   * Client-side caching after a command ran: the keys a read-only command of a tracking connection read
   * are remembered; after a top-level command (EXEC counts as one), its connection gets the invalidations
   * its command caused for itself, behind its reply, and CLIENT CACHING's choice is spent unless a
   * transaction goes on or it was a CLIENT command (as redis-server clears it).
   */
  private tracked(client: Client, def: CommandDef): void {
    const tracking = this.tracking;
    tracking.remember(client, def, client.args);
    if (this.depth > 0) return;
    if (tracking.hasPending) tracking.sendPending(client);
    const state = client.session.tracking;
    if (state !== null && client.session.multi === null && !def.spec.name.startsWith('client|'))
      state.caching = false;
  }

  /**
   * EXEC: runs the queued commands now, in this turn of the event loop: their writes join one batch,
   * committed as one LMDB transaction, and no other client's command runs in between.
   */
  runTransaction(client: Client, queued: readonly QueuedCommand[]): void {
    const own = client.args;
    client.inTransaction = true;
    for (const { def, args } of queued) {
      client.args = args;
      this.run(client, def);
    }
    client.inTransaction = false;
    client.args = own;
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
    return def.spec.name === 'exec' && (client.session.multi?.some((q) => q.def.writes) ?? false);
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
    for (const client of this.paused.splice(0)) this.resume(client);
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
      this.replies.post(m.output, [bytes]);
    }
  }
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

/** A request's size in bytes, from its first argument to the end of its last (framing included). */
function requestBytes(args: { offsets: Uint32Array; argc: number }): number {
  return args.argc === 0 ? 0 : (args.offsets[2 * args.argc - 1] as number) - (args.offsets[0] as number);
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
