/**
 * The messaging suite: PUBLISH throughput to 1, 10 and 100 subscribers of one channel, side by side with
 * redis-server. A publisher connection keeps `WINDOW` PUBLISH commands in flight (pipelined batches);
 * each subscriber is a socket of its own that counts the bytes of the message frames it receives (every
 * frame has the same size, so the count tells how many arrived). A run ends when every subscriber has
 * every message: its `rps` is publishes per second, `deliveries` that times the subscribers.
 */
import net from 'node:net';
import { encodeCommands } from '@sluice/protocol';
import { connect, sendPipelined } from '../raw-client.js';
import {
  type BenchRow,
  type Mode,
  type RowRun,
  RunFailure,
  type Suite,
  type SuitePlan,
  sluiceRatios,
} from '../suite.js';

export const CHANNEL = 'bench:messaging';
/** Bytes of each message. */
const MESSAGE_BYTES = 64;
/** PUBLISH commands per pipelined batch, and batches in flight. */
const BATCH = 100;
const BATCHES_IN_FLIGHT = 4;
/** Messages published per row, by subscriber count: fewer where each is delivered more times. */
const MESSAGES: Record<Mode, Record<number, number>> = {
  full: { 1: 200_000, 10: 50_000, 100: 10_000 },
  quick: { 1: 20_000, 10: 5_000, 100: 1_000 },
  tiny: { 1: 1_000, 10: 500, 100: 100 },
};
const SUBSCRIBERS = [1, 10, 100] as const;

const message = Buffer.alloc(MESSAGE_BYTES, 'm');
/** A RESP2 subscriber's confirmation of its one channel, and one message frame. */
const CONFIRMATION = Buffer.byteLength(`*3\r\n$9\r\nsubscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`);
const FRAME = Buffer.byteLength(
  `*3\r\n$7\r\nmessage\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${MESSAGE_BYTES}\r\n${message.toString()}\r\n`,
);

/** `n` PUBLISH commands of the message, encoded. */
const publishes = (n: number): Buffer =>
  encodeCommands(Array.from({ length: n }, () => ['PUBLISH', CHANNEL, message]));

/** A subscriber: resolves `done` once it has received `bytes` bytes. */
interface Subscriber {
  readonly socket: net.Socket;
  received: number;
  expect(bytes: number): Promise<void>;
}

function subscriber(port: number): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    let wanted = Number.POSITIVE_INFINITY;
    let reached: (() => void) | undefined;
    const sub: Subscriber = {
      socket,
      received: 0,
      expect(bytes) {
        wanted = bytes;
        return new Promise((done) => {
          reached = done;
          if (sub.received >= wanted) done();
        });
      },
    };
    socket.on('data', (chunk: Buffer) => {
      sub.received += chunk.length;
      if (sub.received >= wanted) reached?.();
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(encodeCommands([['SUBSCRIBE', CHANNEL]]));
      resolve(sub);
    });
  });
}

export interface PublishRunSpec {
  /** The port of the server that takes the PUBLISH commands. */
  publisher: number;
  /** The port of the server the subscribers connect to: the same one, or another node of a topic. */
  subscribers: number;
  count: number;
  messages: number;
  /** What every PUBLISH must answer: the receivers on the publisher's server. */
  reply: number;
  /** How long to wait for the subscribers to have every message; by default, as long as it takes. */
  timeoutMs?: number;
}

/**
 * Subscribes `count` sockets to the channel, publishes `messages` messages, and measures until every
 * subscriber has every one: `rps` is publishes per second, `deliveries` that times the subscribers.
 */
export async function publishRun(spec: PublishRunSpec, signal: AbortSignal): Promise<RowRun> {
  const { count, messages } = spec;
  const subs: Subscriber[] = [];
  const publisher = await connect(spec.publisher, '127.0.0.1', 10_000);
  const watcher = await connect(spec.subscribers, '127.0.0.1', 10_000);
  try {
    for (let i = 0; i < count; i++) subs.push(await subscriber(spec.subscribers));
    // Every subscriber is counted by the server before the first message.
    for (let tries = 0; ; tries++) {
      signal.throwIfAborted();
      const reply = (await watcher.command('PUBSUB', 'NUMSUB', CHANNEL)) as unknown[];
      if (Number(reply[1]) === count) break;
      if (tries > 500) throw new RunFailure('subscribers did not all subscribe', String(reply), {});
      await new Promise((r) => setTimeout(r, 10));
    }
    const all = Promise.all(subs.map((s) => s.expect(CONFIRMATION + messages * FRAME)));
    const batch = publishes(BATCH);
    const started = process.hrtime.bigint();
    await sendPipelined(
      publisher,
      messages,
      { batch: BATCH, inFlight: BATCHES_IN_FLIGHT },
      (_, n) => (n === BATCH ? batch : publishes(n)),
      (replies) => {
        for (const r of replies) {
          if (Number(r) !== spec.reply)
            throw new Error(`PUBLISH reached ${String(r)} subscribers, not ${spec.reply}`);
        }
      },
      signal,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      if (spec.timeoutMs !== undefined)
        timer = setTimeout(
          () => reject(new Error('the subscribers did not receive every message')),
          spec.timeoutMs,
        );
    });
    await Promise.race([all, late]).finally(() => clearTimeout(timer));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      measurement: { rps: messages / seconds, deliveries: (messages * count) / seconds },
      detail: { messages, subscribers: count, seconds },
    };
  } finally {
    publisher.close();
    watcher.close();
    for (const s of subs) s.socket.destroy();
  }
}

export const messagingSuite: Suite = {
  name: 'messaging',
  title: 'Messaging',
  description:
    `PUBLISH of ${MESSAGE_BYTES}-byte messages to one channel with 1, 10 and 100 subscribers (RESP2, each ` +
    `a connection of its own that reads as fast as it can). One publisher connection keeps ` +
    `${BATCH * BATCHES_IN_FLIGHT} PUBLISH commands in flight, in pipelined batches of ${BATCH}; a run ends ` +
    'when every subscriber has received every message. `rps` counts publishes per second; deliveries per ' +
    'second are that times the subscribers.',
  plan(mode: Mode, targets): SuitePlan {
    const rows: BenchRow[] = SUBSCRIBERS.map((count) => {
      const messages = MESSAGES[mode][count] as number;
      return {
        id: `publish-${count}`,
        label: `PUBLISH · ${count} subscriber${count === 1 ? '' : 's'}`,
        command: `${messages} × PUBLISH ${CHANNEL} <${MESSAGE_BYTES} bytes>, ${count} × SUBSCRIBE ${CHANNEL}`,
        measure: (target, ctx) =>
          publishRun(
            { publisher: target.server.port, subscribers: target.server.port, count, messages, reply: count },
            ctx.signal,
          ),
      };
    });
    return {
      settings: {
        channel: CHANNEL,
        'message bytes': MESSAGE_BYTES,
        'publishes in flight': BATCH * BATCHES_IN_FLIGHT,
        messages: SUBSCRIBERS.map((n) => `${MESSAGES[mode][n]} to ${n}`).join(', '),
      },
      rows,
      tables: [
        {
          caption: 'Publishes and deliveries per second (higher is better):',
          columns: [
            { header: 'publishes/s', figures: ['rps'], format: 'rate' },
            { header: 'deliveries/s', figures: ['deliveries'], format: 'rate' },
          ],
          ratios: sluiceRatios(targets, 'rps'),
        },
      ],
    };
  },
};
