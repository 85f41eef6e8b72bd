/**
 * Just enough of the Redis protocol (RESP2) for the bridge: commands encoded straight into one buffer
 * per round trip, and replies read back in order. A general client (ioredis) builds an object per
 * command and copies every argument twice; for MSETs of thousands of keys that was most of the bridge's
 * CPU time, so the write path encodes by hand.
 */

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** An error reply (`-ERR …`): the server answered, the command failed. */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';
}

/** The connection failed, closed or timed out: whether the request took effect is unknown. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

/** A decoded reply: simple strings as strings, bulk strings as Buffers, `null` for nil. */
export type Reply = string | number | Buffer | null | ReplyError | Reply[];

export type Arg = Buffer | string;

const CRLF = Buffer.from('\r\n');

/** Encode commands, one after the other, into a single buffer. */
export function encodeCommands(commands: readonly (readonly Arg[])[]): Buffer {
  let size = 0;
  for (const args of commands) {
    size += 3 + String(args.length).length;
    for (const arg of args) {
      const length = typeof arg === 'string' ? Buffer.byteLength(arg) : arg.length;
      size += 5 + String(length).length + length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const args of commands) {
    at += out.write(`*${args.length}\r\n`, at, 'latin1');
    for (const arg of args) {
      if (typeof arg === 'string') {
        const length = Buffer.byteLength(arg);
        at += out.write(`$${length}\r\n`, at, 'latin1');
        at += out.write(arg, at, 'utf8');
      } else {
        at += out.write(`$${arg.length}\r\n`, at, 'latin1');
        at += arg.copy(out, at);
      }
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
  }
  return out;
}

/** Incremental RESP2 reply reader: feed chunks, take complete replies. */
export class ReplyReader {
  #buffer: Buffer = Buffer.alloc(0);
  #offset = 0;

  push(chunk: Buffer): void {
    if (this.#offset >= this.#buffer.length) {
      this.#buffer = chunk;
    } else {
      this.#buffer = Buffer.concat([this.#buffer.subarray(this.#offset), chunk]);
    }
    this.#offset = 0;
  }

  /** The next complete reply, or `undefined` when more bytes are needed. */
  next(): Reply | undefined {
    const result = this.#parse(this.#offset);
    if (result === undefined) return undefined;
    this.#offset = result[1];
    return result[0];
  }

  #parse(start: number): [Reply, number] | undefined {
    const buf = this.#buffer;
    if (start >= buf.length) return undefined;
    const lineEnd = buf.indexOf(CRLF, start);
    if (lineEnd < 0) return undefined;
    const type = buf[start];
    const after = lineEnd + 2;
    switch (type) {
      case 0x2b: // +
        return [buf.toString('latin1', start + 1, lineEnd), after];
      case 0x2d: // -
        return [new ReplyError(buf.toString('utf8', start + 1, lineEnd)), after];
      case 0x3a: // :
        return [Number(buf.toString('latin1', start + 1, lineEnd)), after];
      case 0x24: {
        // $
        const length = Number(buf.toString('latin1', start + 1, lineEnd));
        if (length < 0) return [null, after];
        const end = after + length;
        if (end + 2 > buf.length) return undefined;
        return [Buffer.from(buf.subarray(after, end)), end + 2];
      }
      case 0x2a: {
        // *
        const count = Number(buf.toString('latin1', start + 1, lineEnd));
        if (count < 0) return [null, after];
        const items: Reply[] = [];
        let at = after;
        for (let i = 0; i < count; i++) {
          const item = this.#parse(at);
          if (item === undefined) return undefined;
          items.push(item[0]);
          at = item[1];
        }
        return [items, at];
      }
      default:
        throw new ConnectionError(`unexpected reply byte 0x${(type ?? 0).toString(16)} from the target`);
    }
  }
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
  readonly #reader = new ReplyReader();
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
    this.#reader.push(chunk);
    for (;;) {
      let reply: Reply | undefined;
      try {
        reply = this.#reader.next();
      } catch (err) {
        this.#fail(err as Error);
        return;
      }
      if (reply === undefined) break;
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
