import { connect, type Socket } from 'node:net';
import { encodeCommand, ReplyDecoder } from '@sluice/protocol';

/** A plain TCP connection for byte-exact protocol tests: what you send is what the server gets. */
export interface RawClient {
  /** Write bytes as they are (a string is written as latin1, so `'\xff'` is one byte 0xff). */
  send(bytes: string | Buffer): void;
  /** Write one command as a RESP array of bulk strings. */
  sendCommand(...args: (string | Buffer)[]): void;
  /**
   * Everything that arrives until the connection has been quiet for `quietMs`, as latin1.
   * Waits up to `timeoutMs` for the first byte; returns '' if none came (or the connection is closed).
   */
  read(timeoutMs?: number, quietMs?: number): Promise<string>;
  /** Exactly `n` complete replies, each as its raw bytes in latin1; bytes after them stay buffered. */
  readReplies(n: number, timeoutMs?: number): Promise<string[]>;
  /** Send one command and read its one reply (raw latin1). */
  call(...args: (string | Buffer)[]): Promise<string>;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  /** Whether the connection has closed. */
  readonly isClosed: boolean;
  /** Close our side and wait until the socket is gone. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_QUIET_MS = 50;

/** Open a raw connection to 127.0.0.1:`port`. */
export function connectRaw(port: number, host = '127.0.0.1'): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    socket.setNoDelay(true);
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(new SocketClient(socket));
    });
  });
}

class SocketClient implements RawClient {
  readonly closed: Promise<void>;
  #buffer: Buffer = Buffer.alloc(0);
  /** Finds where each reply in `#buffer` ends: the sizes of the complete replies at its front, in order. */
  readonly #decoder = new ReplyDecoder((_reply, size) => this.#sizes.push(size));
  #sizes: number[] = [];
  /** Bytes that cannot be a reply arrived after the replies in `#sizes`. */
  #malformed: unknown;
  #isClosed = false;
  /** Called whenever bytes arrive or the connection closes. */
  #wake = new Set<() => void>();

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      if (this.#malformed === undefined) {
        try {
          this.#decoder.write(chunk);
        } catch (err) {
          this.#malformed = err;
        }
      }
      this.#notify();
    });
    // A reset after the server closes on us is expected in malformed-input tests; it only ends the stream.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#isClosed = true;
        this.#notify();
        resolve();
      });
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  send(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  sendCommand(...args: (string | Buffer)[]): void {
    this.socket.write(encodeCommand(args));
  }

  async read(timeoutMs = DEFAULT_TIMEOUT_MS, quietMs = DEFAULT_QUIET_MS): Promise<string> {
    await this.#waitFor(() => this.#buffer.length > 0 || this.#isClosed, timeoutMs).catch(() => {});
    let seen = -1;
    while (seen !== this.#buffer.length && !this.#isClosed) {
      seen = this.#buffer.length;
      await this.#waitFor(() => this.#buffer.length !== seen || this.#isClosed, quietMs).catch(() => {});
    }
    // Everything goes, a reply cut in half included: the next byte starts a reply.
    const text = this.#take(this.#buffer.length);
    this.#decoder.reset();
    this.#sizes = [];
    this.#malformed = undefined;
    return text;
  }

  async readReplies(n: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
    const complete = (): boolean => this.#sizes.length >= n || this.#malformed !== undefined;
    try {
      await this.#waitFor(() => complete() || this.#isClosed, timeoutMs);
    } catch {
      throw new Error(
        this.#describe(`timed out after ${timeoutMs} ms waiting for ${n} replies`, this.#sizes.length),
      );
    }
    if (this.#sizes.length < n) {
      if (this.#malformed !== undefined) throw this.#malformed;
      throw new Error(this.#describe(`connection closed while waiting for ${n} replies`, this.#sizes.length));
    }
    return this.#sizes.splice(0, n).map((length) => this.#take(length));
  }

  async call(...args: (string | Buffer)[]): Promise<string> {
    this.sendCommand(...args);
    const [reply] = await this.readReplies(1);
    return reply ?? '';
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await this.closed;
    clearTimeout(timer);
  }

  #describe(problem: string, got: number): string {
    const preview = this.#buffer.toString('latin1', 0, 300);
    return `${problem}; got ${got} complete, buffered ${this.#buffer.length} bytes: ${JSON.stringify(preview)}`;
  }

  /** Remove and return the first `length` buffered bytes as latin1. */
  #take(length: number): string {
    const text = this.#buffer.toString('latin1', 0, length);
    this.#buffer = this.#buffer.subarray(length);
    return text;
  }

  #notify(): void {
    for (const wake of [...this.#wake]) wake();
  }

  /** Resolve once `ready()` holds (checked now and after every event); reject after `timeoutMs`. */
  #waitFor(ready: () => boolean, timeoutMs: number): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake.delete(check);
      };
      const check = (): void => {
        if (ready()) {
          done();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error('timeout'));
      }, timeoutMs);
      this.#wake.add(check);
    });
  }
}
