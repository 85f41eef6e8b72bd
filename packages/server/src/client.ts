import type { Socket } from 'node:net';
import { type Args, type ReplyWriter, RequestDecoder, type RespVersion } from '@sluice/protocol';
import type { CommandDef } from './commands/spec.js';
import type { Database, WriteBatch } from './keyspace/keyspace.js';
import type { Server } from './server.js';

/** Replies ready to send, held back until the batches whose writes they acknowledge have committed. */
interface PendingOutput {
  readonly chunks: Buffer[];
  readonly bytes: number;
  readonly batches: readonly WriteBatch[];
}

/** One connection: its request decoder, its state (db, protocol, name, auth) and its held replies. */
export class Client {
  /** Decodes this connection's requests. */
  readonly decoder: RequestDecoder;
  /** The arguments of the command being run: the decoder's current command, or one queued by MULTI. */
  args: Args;
  /** The server's shared reply writer, set to this client's protocol while its commands run. */
  out: ReplyWriter;
  db: Database;
  protocol: RespVersion = 2;
  private auth = false;
  name = '';
  libName = '';
  libVer = '';
  /** Time of the command being run, in ms since the epoch: read once per command, as redis-server does. */
  now = 0;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  /** Commands queued by MULTI, or null outside a transaction. */
  multi: { def: CommandDef; args: Args }[] | null = null;
  /** A command was refused while queuing: EXEC will answer EXECABORT. */
  multiFailed = false;
  /** A WATCHed key changed: EXEC will answer null. */
  watchedChanged = false;
  /** WATCHed keys: the database and the key (latin1), for UNWATCH. */
  readonly watching: { db: Database; key: string }[] = [];
  /** Marks the transaction as spoiled; registered with each WATCHed key. */
  readonly onWatchedChange = (): void => {
    this.watchedChanged = true;
  };
  /** CLIENT NO-EVICT: kept for CLIENT LIST; Sluice never evicts clients. */
  noEvict = false;
  /**
   * The batches that this round's write commands joined (usually one; more when a command such as
   * FLUSHDB or KEYS committed a batch early): the replies wait for all of them.
   */
  roundBatches: WriteBatch[] = [];
  /** Held back by CLIENT PAUSE: the current command runs when the pause ends. */
  suspended = false;
  /** Reading paused because too many reply bytes are waiting. */
  outputPaused = false;
  /** Close once the replies written so far have left (QUIT, protocol error, SHUTDOWN). */
  closeAfterFlush = false;
  closed = false;
  readonly queue: PendingOutput[] = [];
  queuedBytes = 0;
  /**
   * Replies ready to go, written to the socket at the end of the event loop's poll phase together with
   * every other client's (Server.flushOutboxes), as redis-server writes its replies before it sleeps.
   */
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  readonly addr: string;
  readonly laddr: string;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly server: Server,
    db: Database,
    out: ReplyWriter,
  ) {
    this.decoder = new RequestDecoder({ maxBulkLength: server.config['proto-max-bulk-len'] });
    this.args = this.decoder;
    this.db = db;
    this.out = out;
    this.authenticated = server.config.requirepass === '';
    this.addr = formatAddress(socket.remoteAddress, socket.remotePort);
    this.laddr = formatAddress(socket.localAddress, socket.localPort);
  }

  /** Whether the connection may run commands; until then the decoder applies redis-server's pre-AUTH limits. */
  get authenticated(): boolean {
    return this.auth;
  }

  set authenticated(value: boolean) {
    this.auth = value;
    this.decoder.setAuthRequired(!value);
  }

  /** WATCHes `key` of the current database. */
  watch(key: string): void {
    const db = this.db;
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

  /** Leaves MULTI without running it. */
  discard(): void {
    this.multi = null;
    this.multiFailed = false;
    this.unwatch();
  }

  /** Reply bytes produced and not yet handed to the kernel. */
  get pendingOutputBytes(): number {
    return this.queuedBytes + this.outboxBytes + this.socket.writableLength;
  }

  /**
   * Sends `chunks` once this poll phase ends, or queues them behind earlier held replies; `batches` must
   * commit first.
   */
  send(chunks: Buffer[], batches: readonly WriteBatch[]): void {
    if (this.closed) return;
    if (chunks.length > 0) {
      if (batches.length === 0 && this.queue.length === 0) {
        this.post(chunks);
      } else {
        let bytes = 0;
        for (const c of chunks) bytes += c.length;
        this.queue.push({ chunks, bytes, batches });
        this.queuedBytes += bytes;
        for (const batch of batches) if (!batch.settled) batch.onSettled(() => this.drain());
        // Batches a command committed early may have settled already: send now, or close on a failure.
        this.drain();
      }
    }
    if (this.closeAfterFlush && this.queue.length === 0) this.end();
  }

  /** Sends held replies whose batches have committed, in order. */
  drain(): void {
    while (!this.closed && this.queue.length > 0) {
      const head = this.queue[0] as PendingOutput;
      if (!head.batches.every((b) => b.settled)) return;
      this.queue.shift();
      this.queuedBytes -= head.bytes;
      const failed = head.batches.find((b) => b.state === 'failed');
      if (failed !== undefined) {
        // The writes these replies acknowledge were not committed: never acknowledge them.
        this.server.log('warning', `write failed, closing client id=${this.id}: ${failed.error?.message}`);
        this.socket.destroy();
        return;
      }
      // Commits settle for every client at once: these writes go out in a burst already.
      this.writeNow(head.chunks);
    }
    if (this.closeAfterFlush && this.queue.length === 0) this.end();
    this.server.maybeResume(this);
  }

  /** Queues `chunks` in the outbox, after the replies already there. */
  post(chunks: readonly Buffer[]): void {
    if (this.outbox.length === 0) this.server.scheduleOutbox(this);
    for (const c of chunks) {
      this.outbox.push(c);
      this.outboxBytes += c.length;
    }
  }

  /** Writes the outbox to the socket. */
  flushOutbox(): void {
    const chunks = this.outbox;
    if (chunks.length === 0) return;
    this.outbox = [];
    this.outboxBytes = 0;
    // A socket destroyed this turn (a limit, CLIENT KILL) has not emitted 'close' yet.
    if (this.closed || this.socket.destroyed) return;
    this.writeToSocket(chunks);
  }

  /** Writes the outbox, then `chunks`. */
  private writeNow(chunks: readonly Buffer[]): void {
    this.flushOutbox();
    this.writeToSocket(chunks);
  }

  private writeToSocket(chunks: readonly Buffer[]): void {
    if (chunks.length === 1) {
      this.socket.write(chunks[0] as Buffer);
      return;
    }
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }

  /** Closes the connection once everything written so far has left. */
  private end(): void {
    this.flushOutbox();
    this.socket.end();
  }
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `${host}:${port ?? 0}`;
}
