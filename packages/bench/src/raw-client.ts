/**
 * The smallest RESP client that does what the harness needs, straight over a socket: PING a server
 * until it answers, read INFO, and preload a key space with pipelined SETs. It deliberately uses no
 * client library, so that a server which only speaks the basics can still be measured.
 */
import net from 'node:net';
import { encodeCommands, ReplyDecoder, ReplyError, type ReplyValue } from '@sluice/protocol';

export { ReplyError };

/** A reply as the harness reads it: bulk strings as UTF-8 strings, errors as `ReplyError` values. */
export type Reply = ReplyValue;

export interface RawConnection {
  /** Sends commands in one write and resolves with their replies, in order. */
  pipeline(commands: readonly (readonly (string | Buffer)[])[]): Promise<Reply[]>;
  /** Sends `count` commands already encoded as RESP in `bytes`, and resolves with their replies. */
  send(bytes: Buffer, count: number): Promise<Reply[]>;
  command(...args: (string | Buffer)[]): Promise<Reply>;
  close(): void;
}

/** Opens a connection to 127.0.0.1:port (or rejects after `timeoutMs`). */
export function connect(port: number, host = '127.0.0.1', timeoutMs = 2000): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(wrap(socket));
    });
  });
}

function wrap(socket: net.Socket): RawConnection {
  const waiting: { count: number; replies: Reply[]; resolve(r: Reply[]): void; reject(e: Error): void }[] =
    [];
  let failure: Error | undefined;

  const fail = (err: Error) => {
    failure ??= err;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  const decoder = new ReplyDecoder(
    (reply) => {
      const head = waiting[0];
      if (!head) throw new Error('a reply nobody asked for');
      head.replies.push(reply);
      if (head.replies.length === head.count) {
        waiting.shift();
        head.resolve(head.replies);
      }
    },
    { strings: 'utf8' },
  );
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed by the server')));
  socket.on('data', (chunk: Buffer) => {
    try {
      decoder.write(chunk);
    } catch (err) {
      socket.destroy();
      fail(err as Error);
    }
  });

  return {
    pipeline(commands) {
      return this.send(encodeCommands(commands), commands.length);
    },
    send(bytes, count) {
      if (failure) return Promise.reject(failure);
      if (count === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        waiting.push({ count, replies: [], resolve, reject });
        socket.write(bytes);
      });
    },
    async command(...args) {
      const [reply] = await this.pipeline([args]);
      return reply ?? null;
    },
    close() {
      socket.destroy();
    },
  };
}

/**
 * True when a PING on a fresh connection answers `+PONG` within `timeoutMs` (or `-LOADING`, with
 * `acceptLoading`: a log-mode server still applying its topic).
 */
export function pingOnce(port: number, timeoutMs = 1000, acceptLoading = false): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) {
        finish(received.startsWith('+PONG\r\n') || (acceptLoading && received.startsWith('-LOADING')));
      }
    });
  });
}

/** The key redis-benchmark's `key:__rand_int__` expands to for index `i`: `key:` and 12 digits. */
/**
 * Sends `total` commands on `conn` in pipelined batches of `batch` (`encode(first, n)` gives the bytes of
 * commands `first` … `first + n − 1`), with at most `inFlight` batches waiting for their replies; `check`
 * sees each batch's replies and throws to fail the run. Resolves once every reply came.
 */
export async function sendPipelined(
  conn: RawConnection,
  total: number,
  limits: { batch: number; inFlight: number },
  encode: (first: number, n: number) => Buffer,
  check: (replies: Reply[]) => void,
  signal: AbortSignal,
): Promise<void> {
  const waiting = new Set<Promise<unknown>>();
  for (let sent = 0; sent < total; ) {
    signal.throwIfAborted();
    const n = Math.min(limits.batch, total - sent);
    const p = conn.send(encode(sent, n), n).then(check);
    waiting.add(p);
    p.then(
      () => waiting.delete(p),
      () => waiting.delete(p),
    );
    sent += n;
    if (waiting.size >= limits.inFlight) await Promise.race(waiting);
  }
  await Promise.all(waiting);
}

export function benchmarkKey(i: number): string {
  return `key:${String(i).padStart(12, '0')}`;
}

export interface FillResult {
  from: number;
  to: number;
  valueSize: number;
  durationMs: number;
}

/** Most keys per MSET, most keys per write, and about how many bytes a write of `fillKeys` carries. */
const FILL_KEYS_PER_MSET = 100;
const FILL_KEYS_PER_WRITE = 5000;
const FILL_BYTES_PER_WRITE = 2 << 20;

/**
 * Writes keys `from` … `to` − 1 (named by `keyOf`, ASCII) with `valueSize`-byte values of `x`, as MSETs of
 * up to 100 keys, about 2 MiB or 5,000 keys to a write, two writes in flight: the fast way to fill millions
 * of keys. Unmeasured.
 */
export async function fillKeys(
  port: number,
  from: number,
  to: number,
  valueSize: number,
  signal?: AbortSignal,
  keyOf: (i: number) => string = benchmarkKey,
): Promise<FillResult> {
  const started = performance.now();
  const valuePart = `$${valueSize}\r\n${'x'.repeat(valueSize)}\r\n`;
  const perWrite = Math.max(
    1,
    Math.min(FILL_KEYS_PER_WRITE, Math.floor(FILL_BYTES_PER_WRITE / (valueSize + 48))),
  );
  const perMset = Math.min(FILL_KEYS_PER_MSET, perWrite);
  const encodeBatch = (first: number, last: number): { bytes: Buffer; count: number } => {
    let out = '';
    let count = 0;
    for (let i = first; i < last; i += perMset) {
      const end = Math.min(last, i + perMset);
      out += `*${1 + 2 * (end - i)}\r\n$4\r\nMSET\r\n`;
      for (let k = i; k < end; k++) {
        const key = keyOf(k);
        out += `$${key.length}\r\n${key}\r\n${valuePart}`;
      }
      count++;
    }
    return { bytes: Buffer.from(out, 'latin1'), count };
  };
  const check = (replies: Reply[]) => {
    const error = replies.find((r) => r instanceof ReplyError);
    if (error) throw new Error(`filling failed: ${(error as ReplyError).message}`);
  };
  const conn = await connect(port);
  try {
    let inFlight: Promise<void> | undefined;
    for (let first = from; first < to; first += perWrite) {
      signal?.throwIfAborted();
      const { bytes, count } = encodeBatch(first, Math.min(to, first + perWrite));
      const sent = conn.send(bytes, count).then(check);
      // Awaited below; until then, a failure must not count as unhandled.
      sent.catch(() => {});
      if (inFlight) await inFlight;
      inFlight = sent;
    }
    await inFlight;
  } finally {
    conn.close();
  }
  return { from, to, valueSize, durationMs: Math.round(performance.now() - started) };
}

export interface PreloadResult {
  keys: number;
  valueSize: number;
  durationMs: number;
}

/**
 * Writes every key of redis-benchmark's key space (`key:000000000000` … for `keyspace` keys) with a
 * `valueSize`-byte value of `x`s, as redis-benchmark's own SET does, in pipelined batches of about 1 MiB.
 */
export async function preloadKeyspace(
  port: number,
  keyspace: number,
  valueSize: number,
  signal?: AbortSignal,
  keyOf: (i: number) => string = benchmarkKey,
): Promise<PreloadResult> {
  const started = performance.now();
  const value = Buffer.alloc(valueSize, 'x');
  const perBatch = Math.max(1, Math.min(1000, Math.floor((1 << 20) / (valueSize + 32))));
  const conn = await connect(port);
  try {
    for (let first = 0; first < keyspace; first += perBatch) {
      signal?.throwIfAborted();
      const batch: (string | Buffer)[][] = [];
      for (let i = first; i < Math.min(keyspace, first + perBatch); i++) {
        batch.push(['SET', keyOf(i), value]);
      }
      const replies = await conn.pipeline(batch);
      const error = replies.find((r) => r instanceof ReplyError);
      if (error) throw new Error(`preloading failed: ${(error as ReplyError).message}`);
    }
  } finally {
    conn.close();
  }
  return { keys: keyspace, valueSize, durationMs: Math.round(performance.now() - started) };
}
