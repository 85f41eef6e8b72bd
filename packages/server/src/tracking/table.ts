/**
 * Client-side caching on one node, as redis-server 7.0's tracking.c keeps it: which connections may hold
 * which keys in a cache of their own, and the invalidation messages they get when those keys change.
 *
 * Default mode: the keys a tracking connection reads with a read-only command are remembered (key → ids of
 * the connections that read it); the first change of such a key, by any connection, a script, an expiry,
 * or a record applied from Kafka, sends each of them one invalidation and forgets the key. Keys are
 * global, as in redis-server: a change in any database invalidates a key read in another. Ids are
 * removed lazily: a connection that turned tracking off or closed is skipped when its key changes.
 *
 * BCAST mode: a connection names key prefixes instead; every key changed that starts with one of them is
 * collected per prefix, and the collected keys of each prefix leave in one message once the current turn
 * of the event loop is over (redis-server sends them before it sleeps).
 *
 * The table never writes to a socket: it hands frames to `TrackingHost.send` (server.ts), which writes into
 * the reply being written for the connection whose command runs, or behind another connection's replies.
 */

import type { Args, RespVersion } from '@sluice/protocol';
import { commandInfo } from '../commands/command-info.js';
import { findKeys } from '../commands/key-specs.js';
import { type CommandDef, keyIndexes } from '../commands/spec.js';
import { type TrackingOptions, TrackingState } from './state.js';

/** A connection as the table sees it. */
export interface Tracker {
  readonly id: number;
  readonly session: {
    tracking: TrackingState | null;
    readonly protocol: RespVersion;
    readonly subscriptions: { readonly active: boolean };
  };
}

/** What the table needs of the server. */
export interface TrackingHost<C extends Tracker> {
  /** The open connection with this id. */
  lookup(id: number): C | undefined;
  /** Sends a frame to `k`: into the reply being written if its command runs now, else behind its replies. */
  send(k: C, frame: Buffer): void;
  /** tracking-table-max-keys (0: no limit). */
  maxKeys(): number;
}

/** The keys one BCAST prefix collected this turn, with the connection that changed each last (NOLOOP). */
interface Prefix<C> {
  readonly clients: Set<C>;
  readonly keys: Map<string, C | null>;
}

/** Read-only commands whose own keys are not remembered: the keys their script reads are (as in redis-server). */
const SCRIPTS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

const INVALIDATE_PUSH = Buffer.from('>2\r\n$10\r\ninvalidate\r\n');
const INVALIDATE_MESSAGE = Buffer.from('*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n');
const NULL2 = Buffer.from('$-1\r\n');
const NULL3 = Buffer.from('_\r\n');

export class TrackingTable<C extends Tracker> {
  /** Key (latin1) → ids of the connections that may have it cached. */
  private readonly keys = new Map<string, Set<number>>();
  /** Ids across `keys` (INFO tracking_total_items). */
  private items = 0;
  private readonly prefixes = new Map<string, Prefix<C>>();
  /** Connections with tracking on (INFO tracking_clients). */
  private readonly trackers = new Set<C>();
  /** The connection whose command runs now (set by the dispatcher), or null. */
  current: C | null = null;
  /** Invalidations for `current`, sent once its command's reply is written; null: everything (a flush). */
  private pending: (string | null)[] = [];
  private broadcastQueued = false;

  constructor(private readonly host: TrackingHost<C>) {}

  /** Tracked keys and prefixes: nothing to do on a change while 0. */
  get size(): number {
    return this.keys.size + this.prefixes.size;
  }

  get clients(): number {
    return this.trackers.size;
  }

  /** Whether invalidations for the running command's connection wait to be sent. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** INFO's tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
  counts(): { keys: number; items: number; prefixes: number } {
    return { keys: this.keys.size, items: this.items, prefixes: this.prefixes.size };
  }

  /** CLIENT TRACKING ON, with options already checked (see CLIENT TRACKING's handler). */
  enable(k: C, options: TrackingOptions): void {
    let state = k.session.tracking;
    if (state === null) {
      state = new TrackingState();
      k.session.tracking = state;
      this.trackers.add(k);
    }
    state.brokenRedirect = false;
    state.redirect = options.redirect;
    state.bcast = options.bcast;
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
    if (options.bcast) {
      if (options.prefixes.length === 0) this.addPrefix(k, state, '');
      for (const p of options.prefixes) this.addPrefix(k, state, p);
    }
  }

  private addPrefix(k: C, state: TrackingState, prefix: string): void {
    let p = this.prefixes.get(prefix);
    if (p === undefined) {
      p = { clients: new Set(), keys: new Map() };
      this.prefixes.set(prefix, p);
    }
    p.clients.add(k);
    state.prefixes.add(prefix);
  }

  /** CLIENT TRACKING OFF, RESET, or the connection closed. Its remembered keys are forgotten lazily. */
  disable(k: C): void {
    const state = k.session.tracking;
    if (state === null) return;
    for (const prefix of state.prefixes) {
      const p = this.prefixes.get(prefix);
      p?.clients.delete(k);
      if (p?.clients.size === 0) this.prefixes.delete(prefix);
    }
    this.trackers.delete(k);
    k.session.tracking = null;
  }

  /**
   * After a command of `k` ran (directly, in EXEC, or called by its script): remembers the keys a
   * read-only command read, unless OPTIN without CACHING YES or OPTOUT with CACHING NO says not to.
   */
  remember(k: C, def: CommandDef, args: Args): void {
    const state = k.session.tracking;
    if (state === null || state.bcast) return;
    const spec = def.spec;
    if (!spec.flags.includes('readonly') || spec.flags.includes('pubsub') || SCRIPTS.has(spec.name)) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    const indexes = spec.flags.includes('movablekeys')
      ? findKeys(spec, commandInfo(spec).keySpecs, args.argv()).map((r) => r.index)
      : keyIndexes(spec, args.argc);
    for (const i of indexes) {
      const name = args.arg(i).toString('latin1');
      let ids = this.keys.get(name);
      if (ids === undefined) {
        ids = new Set();
        this.keys.set(name, ids);
      }
      if (!ids.has(k.id)) {
        ids.add(k.id);
        this.items++;
      }
    }
    this.limit();
  }

  /**
   * tracking-table-max-keys: past it, keys are forgotten, oldest first, each with an invalidation as if it
   * had changed (redis-server picks them at random).
   */
  private limit(): void {
    const max = this.host.maxKeys();
    if (max === 0 || this.keys.size <= max) return;
    for (const name of this.keys.keys()) {
      if (this.keys.size <= max) break;
      this.invalidate(name, false);
    }
  }

  /** Key `name` (latin1) changed. */
  changed(name: string): void {
    if (this.prefixes.size > 0) this.collect(name);
    if (this.keys.size > 0) this.invalidate(name, true);
  }

  private invalidate(name: string, modified: boolean): void {
    const ids = this.keys.get(name);
    if (ids === undefined) return;
    this.keys.delete(name);
    this.items -= ids.size;
    const current = this.current;
    for (const id of ids) {
      const k = this.host.lookup(id);
      const state = k?.session.tracking;
      if (k === undefined || state === null || state === undefined || state.bcast) continue;
      // NOLOOP: not about the connection's own changes.
      if (modified && state.noloop && k === current) continue;
      // The running command's own connection gets it after the command's reply.
      if (k === current) this.pending.push(name);
      else this.send(k, keyArray([name]));
    }
  }

  /** FLUSHDB / FLUSHALL: every tracking connection gets a null invalidation (everything); the table empties. */
  flushed(): void {
    for (const k of this.trackers) {
      if (k === this.current) this.pending.push(null);
      else this.send(k, k.session.protocol === 3 ? NULL3 : NULL2);
    }
    this.keys.clear();
    this.items = 0;
  }

  /** Sends the running command's connection its invalidations, once its reply is written. */
  sendPending(k: C): void {
    const pending = this.pending;
    this.pending = [];
    for (const name of pending) {
      this.send(k, name === null ? (k.session.protocol === 3 ? NULL3 : NULL2) : keyArray([name]));
    }
  }

  /** BCAST: adds a changed key to each prefix it starts with; they leave at the end of the turn. */
  private collect(name: string): void {
    let matched = false;
    for (const [prefix, p] of this.prefixes) {
      if (!name.startsWith(prefix)) continue;
      p.keys.set(name, this.current);
      matched = true;
    }
    if (matched && !this.broadcastQueued) {
      this.broadcastQueued = true;
      setImmediate(() => this.broadcast());
    }
  }

  /** Each prefix's keys (in byte order, as redis-server's radix tree lists them) to its connections. */
  private broadcast(): void {
    this.broadcastQueued = false;
    const prefixes = [...this.prefixes.keys()].sort();
    for (const prefix of prefixes) {
      const p = this.prefixes.get(prefix) as Prefix<C>;
      if (p.keys.size === 0) continue;
      const names = [...p.keys.keys()].sort();
      const all = keyArray(names);
      for (const k of [...p.clients]) {
        if (k.session.tracking?.noloop) {
          const others = names.filter((n) => p.keys.get(n) !== k);
          if (others.length > 0) this.send(k, keyArray(others));
        } else {
          this.send(k, all);
        }
      }
      p.keys.clear();
    }
  }

  /**
   * Sends `value` (the keys as an encoded array, or a null) to tracking connection `k`, or to the
   * connection it redirects to: a RESP3 `invalidate` push, or a RESP2 message on `__redis__:invalidate`
   * to a subscribed connection it redirects to; nothing to a RESP2 connection otherwise.
   */
  private send(k: C, value: Buffer): void {
    const state = k.session.tracking;
    let target = k;
    if (state !== null && state.redirect !== 0) {
      const to = this.host.lookup(state.redirect);
      if (to === undefined) {
        state.brokenRedirect = true;
        if (k.session.protocol === 3) this.host.send(k, brokenRedirect(state.redirect));
        return;
      }
      target = to;
    }
    if (target.session.protocol === 3) this.host.send(target, Buffer.concat([INVALIDATE_PUSH, value]));
    else if (target !== k && target.session.subscriptions.active)
      this.host.send(target, Buffer.concat([INVALIDATE_MESSAGE, value]));
  }
}

/** The keys as a RESP array of bulk strings. */
function keyArray(names: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${names.length}\r\n`)];
  for (const name of names) {
    const key = Buffer.from(name, 'latin1');
    parts.push(Buffer.from(`$${key.length}\r\n`), key, CRLF);
  }
  return Buffer.concat(parts);
}

function brokenRedirect(id: number): Buffer {
  return Buffer.from(`>2\r\n$21\r\ntracking-redir-broken\r\n:${id}\r\n`);
}

const CRLF = Buffer.from('\r\n');
