/**
 * The way out: every reply goes from the shared writer to its socket through these stages, as in
 * redis-server's networking.c (addReply → putClientInPendingWriteQueue → handleClientsWithPendingWrites).
 *
 * 1. **Write.** Handlers write their replies into the one `ReplyWriter` all connections share, set to
 *    the protocol of the connection being served (`serve`).
 * 2. **End the round.** After a connection's round of commands (`endRound`), its replies leave the
 *    writer. If they acknowledge writes not yet committed, they are held, in order, until the batches
 *    those writes joined have committed; otherwise they go to the connection's outbox.
 * 3. **Release.** Held replies whose batches have all committed are written at once (commits settle
 *    for every connection together: that is a burst already). If a batch failed, its writes are never
 *    acknowledged: the connection is closed without those replies.
 * 4. **Write the outboxes.** When the event loop's poll phase ends, every outbox is written to its
 *    socket (`writeOutboxes`), one write per connection, so that a client holding many connections
 *    wakes once per burst rather than once per reply.
 *
 * Backpressure: a connection whose unsent replies pass `sluice-output-pause-bytes` is no longer read
 * until they fall under half of it.
 *
 * Messages for another connection (Pub/Sub) skip stages 1 and 2: `send` queues them behind that
 * connection's own held replies (never inside another connection's round), and `overLimit` applies
 * client-output-buffer-limit to what it has not taken yet; `drop` closes it and frees it all at once.
 */

import type { Socket } from 'node:net';
import { ReplyWriter, type RespVersion } from '@sluice/protocol';
import type { BufferLimit } from './config/index.js';
import type { WriteBatch } from './keyspace/keyspace.js';
import type { LogLevel } from './log.js';

/** One round's replies, held until the batches whose writes they acknowledge have committed. */
interface HeldReplies {
  readonly chunks: Buffer[];
  readonly bytes: number;
  readonly batches: readonly WriteBatch[];
  /**
   * Log mode: these are one write command's reply, which becomes an error reply if its batch fails (Kafka
   * did not take the records); otherwise a failed batch closes the connection.
   */
  readonly failable: boolean;
}

/** A connection's replies on their way out: held for commits, in the outbox, or in the socket. */
export class Output {
  /** Rounds of replies held for their commits, oldest first. */
  readonly held: HeldReplies[] = [];
  heldBytes = 0;
  /** Replies ready to go, written once this poll phase ends. */
  outbox: Buffer[] = [];
  outboxBytes = 0;
  /** Close the connection once everything written so far has left (QUIT, protocol error, SHUTDOWN). */
  closing = false;
  /** Reading is paused: too many reply bytes are waiting. */
  readingPaused = false;
  /** When the output went over its soft limit (client-output-buffer-limit), in seconds; 0 when under it. */
  softLimitSince = 0;

  constructor(
    /** The connection's id, for logs. */
    readonly id: number,
    readonly socket: Socket,
    /** Serves the connection's next commands once reading resumes. */
    readonly resume: () => void,
  ) {}

  /** Reply bytes produced and not yet handed to the kernel. */
  get pendingBytes(): number {
    return this.heldBytes + this.outboxBytes + this.socket.writableLength;
  }

  /** Whether the socket is gone or going (destroyed this turn, before its 'close'). */
  get gone(): boolean {
    return this.socket.destroyed;
  }
}

export interface ReplyPathOptions {
  /** Counts the reply bytes that leave the writer (INFO total_net_output_bytes). */
  readonly stats: { netOutputBytes: number };
  /** sluice-output-pause-bytes, read live. */
  pauseBytes(): number;
  log(level: LogLevel, message: string): void;
  /** The error reply that replaces a log-mode write's reply when its records were not taken. */
  failedWrite(error: Error | null): Buffer;
  /** A fault while writing a connection's replies: the connection must be closed. */
  fault(output: Output, err: unknown): void;
}

/** The stages above, for every connection of one server. */
export class ReplyPath {
  /** The writer all connections' handlers write into, one connection's round at a time. */
  readonly writer = new ReplyWriter(2);
  /** Connections with replies in their outbox, written after the poll phase. */
  private pendingWrites: Output[] = [];

  constructor(private readonly options: ReplyPathOptions) {}

  /** Stage 1: the writer speaks `protocol`, for the connection about to be served or its HELLO. */
  serve(protocol: RespVersion): void {
    this.writer.protocol = protocol;
  }

  /** Whether the connection's replies, written and unsent, pass the limit: stop reading it. */
  full(output: Output): boolean {
    return this.writer.pendingBytes + output.pendingBytes > this.options.pauseBytes();
  }

  /** Stops reading a connection until its replies have drained (see `resumeIfRoom`). */
  pauseReading(output: Output): void {
    output.readingPaused = true;
    output.socket.pause();
  }

  /** Resumes reading a connection paused by `pauseReading` once its waiting replies fall under half. */
  resumeIfRoom(output: Output): void {
    if (!output.readingPaused || output.gone) return;
    if (output.pendingBytes > this.options.pauseBytes() / 2) return;
    output.readingPaused = false;
    output.socket.resume();
    output.resume();
  }

  /**
   * Stage 2: the replies of the round just run leave the writer. `batches` are the batches the round's
   * writes joined: the replies wait for them.
   */
  endRound(output: Output, batches: readonly WriteBatch[]): void {
    this.cut(output, batches, false);
    if (output.closing && output.held.length === 0) this.end(output);
  }

  /**
   * Log mode, around each write command: the replies written so far leave the writer, held for
   * `batches` (or sent when there is nothing to wait for), so that one write's reply can be replaced by
   * an error if Kafka does not take its records (`failable`).
   */
  cut(output: Output, batches: readonly WriteBatch[], failable: boolean): void {
    const chunks = this.writer.take();
    let bytes = 0;
    for (const c of chunks) bytes += c.length;
    this.options.stats.netOutputBytes += bytes;
    if (output.gone || chunks.length === 0) return;
    if (batches.length === 0 && output.held.length === 0) this.post(output, chunks);
    else this.hold(output, chunks, bytes, batches, failable);
  }

  /** Drops what the writer holds: the round of a connection that is being closed for a fault. */
  discardRound(): void {
    this.writer.take();
  }

  /** Closes the connection once the replies written so far have been sent. */
  closeAfterReplies(output: Output): void {
    output.closing = true;
    if (!output.gone && output.held.length === 0) this.end(output);
  }

  /** Queues `chunks` in the outbox, after the replies already there (MONITOR lines use it too). */
  post(output: Output, chunks: readonly Buffer[]): void {
    if (output.outbox.length === 0) {
      this.pendingWrites.push(output);
      if (this.pendingWrites.length === 1) setImmediate(this.writeOutboxes);
    }
    for (const c of chunks) {
      output.outbox.push(c);
      output.outboxBytes += c.length;
    }
  }

  /**
   * A message for this connection from another one's command (a Pub/Sub message): it goes out after the
   * replies the connection already has on their way, held ones included, so it never overtakes a reply
   * to an earlier command; it waits for no commit of its own.
   */
  send(output: Output, message: Buffer): void {
    if (output.gone) return;
    this.options.stats.netOutputBytes += message.length;
    if (output.held.length === 0) this.post(output, [message]);
    else this.hold(output, [message], message.length, [], false);
  }

  /**
   * Whether the connection's output not yet taken by the kernel passes `limit` (redis-server's
   * checkClientOutputBufferLimits): at or over the hard limit, or at or over the soft limit for longer
   * than its seconds, counted from the first time it was seen over it.
   */
  overLimit(output: Output, limit: BufferLimit, nowMs: number): boolean {
    const used = output.pendingBytes;
    const hard = limit.hard > 0 && used >= limit.hard;
    let soft = limit.soft > 0 && used >= limit.soft;
    const now = Math.floor(nowMs / 1000);
    if (soft) {
      if (output.softLimitSince === 0) {
        output.softLimitSince = now;
        soft = false;
      } else if (now - output.softLimitSince <= limit.softSeconds) soft = false;
    } else output.softLimitSince = 0;
    return hard || soft;
  }

  /** Closes the connection at once, throwing away every reply it has not been sent (over its limit). */
  drop(output: Output): void {
    output.outbox = [];
    output.outboxBytes = 0;
    output.held.length = 0;
    output.heldBytes = 0;
    output.socket.destroy();
  }

  private hold(
    output: Output,
    chunks: Buffer[],
    bytes: number,
    batches: readonly WriteBatch[],
    failable: boolean,
  ): void {
    output.held.push({ chunks, bytes, batches, failable });
    output.heldBytes += bytes;
    for (const batch of batches) if (!batch.settled) batch.onSettled(() => this.release(output));
    // Batches a command committed early may have settled already: send now, or close on a failure.
    this.release(output);
  }

  /** Stage 3: sends held replies whose batches have committed, in order. */
  private release(output: Output): void {
    const held = output.held;
    while (!output.gone && held.length > 0) {
      const head = held[0] as HeldReplies;
      if (!head.batches.every((b) => b.settled)) return;
      held.shift();
      output.heldBytes -= head.bytes;
      const failed = head.batches.find((b) => b.state === 'failed');
      if (failed !== undefined && head.failable) {
        // Log mode: Kafka did not take the write; say so instead of acknowledging it.
        this.writeOutbox(output);
        writeToSocket(output.socket, [this.options.failedWrite(failed.error)]);
        continue;
      }
      if (failed !== undefined) {
        // The writes these replies acknowledge were not committed: never acknowledge them.
        this.options.log('warning', `write failed, closing client id=${output.id}: ${failed.error?.message}`);
        output.socket.destroy();
        return;
      }
      this.writeOutbox(output);
      writeToSocket(output.socket, head.chunks);
    }
    if (output.closing && held.length === 0) this.end(output);
    this.resumeIfRoom(output);
  }

  /** Stage 4: writes every outbox to its socket, after the poll phase. */
  private readonly writeOutboxes = (): void => {
    const outputs = this.pendingWrites;
    this.pendingWrites = [];
    for (const output of outputs) {
      try {
        this.writeOutbox(output);
        this.resumeIfRoom(output); // may serve a round of the connection's commands
      } catch (err) {
        this.options.fault(output, err);
      }
    }
  };

  private writeOutbox(output: Output): void {
    const chunks = output.outbox;
    if (chunks.length === 0) return;
    output.outbox = [];
    output.outboxBytes = 0;
    // A socket destroyed this turn (a limit, CLIENT KILL) has not emitted 'close' yet.
    if (!output.gone) writeToSocket(output.socket, chunks);
  }

  /** Closes the connection once everything written so far has left. */
  private end(output: Output): void {
    this.writeOutbox(output);
    output.socket.end();
  }
}

function writeToSocket(socket: Socket, chunks: readonly Buffer[]): void {
  if (chunks.length === 1) {
    socket.write(chunks[0] as Buffer);
    return;
  }
  socket.cork();
  for (const c of chunks) socket.write(c);
  socket.uncork();
}
