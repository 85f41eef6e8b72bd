/**
 * Keyspace-notification fan-out, for the log suite: S subscribers PSUBSCRIBEd to `__keyspace@0__:*` (raw
 * RESP2 sockets that read as fast as they can and count bytes, as the messaging suite's subscribers do)
 * receive the `set` events of N writes of distinct keys. In log mode the writes are records produced to
 * the topic by kcat, applied by the node; on a server in its usual mode they are SETs from one pipelined
 * client. Either way the clock runs from the first write sent (kcat started, or the first SET) to the last
 * notification the last subscriber receives: a log-mode node applies the records of a fetch in one
 * transaction and announces them together, so the time between first and last notification would leave
 * out the first fetch's apply, and for a small N nearly everything.
 */
import net from 'node:net';
import { encodeCommands } from '@sluice/protocol';
import { type RawConnection, sendPipelined } from '../raw-client.js';
import { type RowRun, RunFailure } from '../suite.js';
import { produceLines } from './kafka.js';

export const NOTIFY_PATTERN = '__keyspace@0__:*';
export const NOTIFY_VALUE_BYTES = 64;
/** SETs per pipelined batch, and batches in flight, of the usual-mode writer. */
const BATCH = 100;
const BATCHES_IN_FLIGHT = 4;
/** How long a subscriber is watched, once it has every notification, for one too many. */
const SETTLE_MS = 100;

/** Every key has the same length, so every notification frame has the same size. */
export const notifyKey = (i: number): string => `notify:${String(i).padStart(9, '0')}`;

const CONFIRMATION = Buffer.byteLength(
  `*3\r\n$10\r\npsubscribe\r\n$${NOTIFY_PATTERN.length}\r\n${NOTIFY_PATTERN}\r\n:1\r\n`,
);
const CHANNEL_BYTES = '__keyspace@0__:'.length + notifyKey(0).length;
const FRAME = Buffer.byteLength(
  `*4\r\n$8\r\npmessage\r\n$${NOTIFY_PATTERN.length}\r\n${NOTIFY_PATTERN}\r\n$${CHANNEL_BYTES}\r\n${'c'.repeat(CHANNEL_BYTES)}\r\n$3\r\nset\r\n`,
);

interface NotifySubscriber {
  readonly socket: net.Socket;
  received: number;
  /** When the first notification arrived (hrtime ns), once one has. */
  firstAt?: bigint;
  /** When `received` reached what `expect` asked for. */
  doneAt?: bigint;
  /** Notes `doneAt` once `bytes` bytes have arrived. */
  expect(bytes: number): void;
}

/** A subscriber, resolved once its PSUBSCRIBE is confirmed. */
function subscribe(port: number): Promise<NotifySubscriber> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    let wanted = Number.POSITIVE_INFINITY;
    let confirmed = false;
    const sub: NotifySubscriber = {
      socket,
      received: 0,
      expect(bytes) {
        wanted = bytes;
      },
    };
    socket.on('data', (chunk: Buffer) => {
      sub.received += chunk.length;
      if (sub.firstAt === undefined && sub.received > CONFIRMATION) sub.firstAt = process.hrtime.bigint();
      if (!confirmed && sub.received >= CONFIRMATION) {
        confirmed = true;
        resolve(sub);
      }
      if (sub.received >= wanted && sub.doneAt === undefined) {
        sub.doneAt = process.hrtime.bigint();
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(encodeCommands([['PSUBSCRIBE', NOTIFY_PATTERN]])));
  });
}

/**
 * Subscribes `subscribers` sockets to `port`, runs `write` (which makes `records` writes of `notifyKey(0)`
 * …), and measures the notifications: `rps` is writes per second, from the first write sent to the last
 * notification received, `deliveries` that times the subscribers. Fails unless every subscriber receives exactly `records` notifications.
 */
export async function measureFanOut(
  port: number,
  subscribers: number,
  records: number,
  write: () => Promise<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<RowRun> {
  const subs: NotifySubscriber[] = [];
  try {
    for (let i = 0; i < subscribers; i++) subs.push(await subscribe(port));
    const expected = CONFIRMATION + records * FRAME;
    for (const s of subs) s.expect(expected);
    const started = process.hrtime.bigint();
    const writer = await write();
    // The subscribers note when they are done; this loop only notices it (or gives up).
    const deadline = Date.now() + 60_000 + records;
    while (subs.some((s) => s.doneAt === undefined) && Date.now() < deadline) {
      signal.throwIfAborted();
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const counts = subs.map((s) => (s.received - CONFIRMATION) / FRAME);
    const detail = { records, subscribers, writer };
    if (counts.some((n) => n !== records)) {
      throw new RunFailure(
        `subscribers received ${counts.join(', ')} notifications, not ${records}`,
        '',
        detail,
      );
    }
    const first = subs.reduce(
      (t, s) => (s.firstAt !== undefined && s.firstAt < t ? s.firstAt : t),
      last(subs),
    );
    const seconds = Math.max(1e-6, Number(last(subs) - started) / 1e9);
    return {
      measurement: { rps: records / seconds, deliveries: (records * subscribers) / seconds },
      detail: { ...detail, seconds, firstNotificationMs: Number(first - started) / 1e6 },
    };
  } finally {
    for (const s of subs) s.socket.destroy();
  }
}

/** When the last subscriber had every notification. */
const last = (subs: readonly NotifySubscriber[]): bigint =>
  subs.reduce((t, s) => ((s.doneAt ?? 0n) > t ? (s.doneAt ?? 0n) : t), 0n);

/** SETs of `records` distinct keys with 64-byte values, pipelined on `conn`, each answered OK. */
export async function pipelinedSets(
  conn: RawConnection,
  records: number,
  signal: AbortSignal,
): Promise<void> {
  const value = Buffer.alloc(NOTIFY_VALUE_BYTES, 'v');
  await sendPipelined(
    conn,
    records,
    { batch: BATCH, inFlight: BATCHES_IN_FLIGHT },
    (first, n) => encodeCommands(Array.from({ length: n }, (_, i) => ['SET', notifyKey(first + i), value])),
    (replies) => {
      for (const r of replies) if (r !== 'OK') throw new Error(`SET answered ${String(r)}`);
    },
    signal,
  );
}

/** Produces `records` records (`notifyKey(i)` → 64 bytes) to `topic` with one kcat, partitioned by key. */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  records: number,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const started = performance.now();
  const args = ['-P', '-b', bootstrap, '-t', topic, '-K', '\t', '-X', 'linger.ms=5'];
  const value = 'v'.repeat(NOTIFY_VALUE_BYTES);
  await produceLines(args, records, (i) => `${notifyKey(i)}\t${value}\n`, signal);
  return { command: `kcat ${args.join(' ')}`, produceMs: Math.round(performance.now() - started) };
}
