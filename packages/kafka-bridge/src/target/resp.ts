/**
 * One pipelined connection to a Redis-protocol server, for the bridge's write path: commands are encoded
 * straight into one buffer per round trip and replies read back in order, with `@sluice/protocol`'s
 * client codec. A general client (ioredis) builds an object per command and copies every argument twice;
 * for MSETs of thousands of keys that was most of the bridge's CPU time.
 */

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  type CommandArg,
  encodeCommands,
  ReplyDecoder,
  ReplyError,
  ReplyFormatError,
  type ReplyValue,
} from '@sluice/protocol';

/** The connection failed, closed or timed out: whether the request took effect is unknown. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

/** A decoded reply: bulk strings as Buffers, errors as `ReplyError` values. */
export type Reply = ReplyValue;

export type Arg = CommandArg;

/** The request timeout of the targets' connections, for a connect timeout of `connectTimeoutMs`. */
export function requestTimeoutFor(connectTimeoutMs: number): number {
  return Math.max(30_000, connectTimeoutMs * 3);
}

/** Throws the first error reply of `replies`. */
export function throwIfError(replies: readonly Reply[]): void {
  for (const reply of replies) if (reply instanceof ReplyError) throw reply;
}

export interface ConnectOptions {
  host: string;
  port: number;
  tls: boolean;
  username?: string | undefined;
  password?: string | undefined;
  db: number;
  connectTimeoutMs: number;
  /** A request without its replies after this long fails, and the connection is closed. */
  requestTimeoutMs: number;
}

interface Pending {
  count: number;
  replies: Reply[];
  resolve: (replies: Reply[]) => void;
  reject: (err: Error) => void;
}

/** One connection to a Redis-protocol server. Requests are pipelined; replies come back in order. */
export class RespConnection {
  readonly #socket: Socket;
  readonly #decoder = new ReplyDecoder((reply) => this.#reply(reply));
  readonly #pending: Pending[] = [];
  readonly #requestTimeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #closeReason: Error | undefined;
  readonly #onClose = new Set<(reason: Error) => void>();

  private constructor(socket: Socket, requestTimeoutMs: number) {
    this.#socket = socket;
    this.#requestTimeoutMs = requestTimeoutMs;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (err) => this.#fail(new ConnectionError(err.message, { cause: err })));
    socket.on('close', () => this.#fail(new ConnectionError('connection closed')));
  }

  /** Connect, authenticate and select the database. */
  static async connect(options: ConnectOptions): Promise<RespConnection> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const event = options.tls ? 'secureConnect' : 'connect';
      const s = options.tls
        ? tlsConnect({ host: options.host, port: options.port, servername: options.host })
        : netConnect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ConnectionError(`connecting to ${options.host}:${options.port} timed out`));
      }, options.connectTimeoutMs);
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new ConnectionError(err.message, { cause: err }));
      });
      s.once(event, () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
    });
    const connection = new RespConnection(socket, options.requestTimeoutMs);
    try {
      const setup: Arg[][] = [];
      if (options.password !== undefined) {
        setup.push(
          options.username === undefined
            ? ['AUTH', options.password]
            : ['AUTH', options.username, options.password],
        );
      }
      if (options.db !== 0) setup.push(['SELECT', String(options.db)]);
      if (setup.length > 0) {
        for (const reply of await connection.request(encodeCommands(setup), setup.length)) {
          if (reply instanceof ReplyError) throw reply;
        }
      }
    } catch (err) {
      connection.close();
      throw err;
    }
    return connection;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Called once when the connection closes, whatever the reason. */
  onClose(listener: (reason: Error) => void): void {
    if (this.#closed) listener(this.#closeReason ?? new ConnectionError('connection closed'));
    else this.#onClose.add(listener);
  }

  /** Write `payload` (encoded commands) and resolve with the next `count` replies. */
  request(payload: Buffer, count: number): Promise<Reply[]> {
    if (this.#closed) return Promise.reject(this.#closeReason ?? new ConnectionError('connection closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ count, replies: [], resolve, reject });
      this.#armTimer();
      this.#socket.write(payload);
    });
  }

  /** Send commands and return their replies. */
  call(...commands: Arg[][]): Promise<Reply[]> {
    return this.request(encodeCommands(commands), commands.length);
  }

  close(): void {
    this.#fail(new ConnectionError('connection closed by the bridge'));
  }

  #receive(chunk: Buffer): void {
    try {
      this.#decoder.write(chunk);
    } catch (err) {
      const reason = err instanceof ReplyFormatError ? new ConnectionError(err.message, { cause: err }) : err;
      this.#fail(reason as Error);
    }
  }

  #reply(reply: Reply): void {
    if (this.#closed) return;
    const pending = this.#pending[0];
    if (pending === undefined) {
      this.#fail(new ConnectionError('a reply nobody asked for'));
      return;
    }
    pending.replies.push(reply);
    if (pending.replies.length === pending.count) {
      this.#pending.shift();
      pending.resolve(pending.replies);
      this.#armTimer();
    }
  }

  /** One timer for the oldest request in flight. */
  #armTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    this.#timer = setTimeout(
      () => this.#fail(new ConnectionError(`no reply within ${this.#requestTimeoutMs} ms`)),
      this.#requestTimeoutMs,
    );
  }

  #fail(reason: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    clearTimeout(this.#timer);
    this.#socket.destroy();
    for (const pending of this.#pending.splice(0)) pending.reject(reason);
    for (const listener of this.#onClose) listener(reason);
    this.#onClose.clear();
  }
}
