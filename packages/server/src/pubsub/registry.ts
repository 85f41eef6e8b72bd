/**
 * Pub/Sub on one node, as redis-server 7.0's pubsub.c keeps it: who listens to which channel, pattern and
 * shard channel, and what PUBLISH and SPUBLISH send them.
 *
 * Channels and patterns are kept by their bytes (as latin1 strings, one character per byte). Each name maps
 * to its subscribers in the order they subscribed, which is the order a message reaches them: a channel's
 * subscribers first, then those of each matching pattern, patterns in the order they were first
 * subscribed to (redis-server walks a hash table there, whose order is its own).
 *
 * The registry never writes to a socket: it hands each message frame to `deliver` (server.ts), which
 * knows whether the subscriber is the connection whose command is running (its round's writer) or
 * another one (its outbox, behind its held replies), and applies the output buffer limit.
 */

import type { RespVersion } from '@sluice/protocol';
import { globMatch } from '../keyspace/glob.js';

/** The three namespaces: SUBSCRIBE's channels, PSUBSCRIBE's patterns, SSUBSCRIBE's shard channels. */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** One connection's subscriptions, kept in its session (CLIENT LIST's sub, psub and ssub). */
export class Subscriptions {
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();

  of(kind: SubscriptionKind): Set<string> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  /**
   * The count a (P)SUBSCRIBE or (P)UNSUBSCRIBE reply carries: channels and patterns together. Shard
   * channels are counted on their own (`count('shard')`), as redis-server 7.0 does.
   */
  count(kind: SubscriptionKind): number {
    return kind === 'shard' ? this.shardChannels.size : this.channels.size + this.patterns.size;
  }

  /** Subscribed to anything: the connection is in Pub/Sub mode (flag P, and RESP2's restrictions). */
  get active(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }
}

/** A connection as the registry sees it: its id and its session's subscriptions and protocol. */
export interface Subscriber {
  readonly id: number;
  readonly session: {
    readonly subscriptions: Subscriptions;
    /** Its messages are encoded in the session's protocol at the time of the message. */
    readonly protocol: RespVersion;
  };
}

/** Hands an encoded message to a subscriber; `publisherId` names the connection whose command runs. */
export type Deliver<S extends Subscriber> = (subscriber: S, frame: Buffer, publisherId: number) => void;

interface Pattern<S> {
  readonly bytes: Buffer;
  readonly subscribers: Set<S>;
}

const MESSAGE = Buffer.from('message');
const PMESSAGE = Buffer.from('pmessage');
const SMESSAGE = Buffer.from('smessage');

export class PubSubRegistry<S extends Subscriber> {
  private readonly channels = new Map<string, Set<S>>();
  private readonly shardChannels = new Map<string, Set<S>>();
  private readonly patterns = new Map<string, Pattern<S>>();

  constructor(private readonly deliver: Deliver<S>) {}

  /** INFO's pubsub_channels, pubsub_patterns and pubsubshard_channels. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Distinct patterns with a subscriber (PUBSUB NUMPAT, INFO pubsub_patterns). */
  get patternCount(): number {
    return this.patterns.size;
  }

  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  /** Subscribes `s` to `name` (latin1); false when it already was. */
  subscribe(s: S, kind: SubscriptionKind, name: string): boolean {
    const own = s.session.subscriptions.of(kind);
    if (own.has(name)) return false;
    own.add(name);
    if (kind === 'pattern') {
      let pattern = this.patterns.get(name);
      if (pattern === undefined) {
        pattern = { bytes: Buffer.from(name, 'latin1'), subscribers: new Set() };
        this.patterns.set(name, pattern);
      }
      pattern.subscribers.add(s);
    } else {
      const map = kind === 'channel' ? this.channels : this.shardChannels;
      let set = map.get(name);
      if (set === undefined) {
        set = new Set();
        map.set(name, set);
      }
      set.add(s);
    }
    return true;
  }

  /** Unsubscribes `s` from `name`; false when it was not subscribed. */
  unsubscribe(s: S, kind: SubscriptionKind, name: string): boolean {
    if (!s.session.subscriptions.of(kind).delete(name)) return false;
    if (kind === 'pattern') {
      const pattern = this.patterns.get(name);
      pattern?.subscribers.delete(s);
      if (pattern?.subscribers.size === 0) this.patterns.delete(name);
    } else {
      const map = kind === 'channel' ? this.channels : this.shardChannels;
      const set = map.get(name);
      set?.delete(s);
      if (set?.size === 0) map.delete(name);
    }
    return true;
  }

  /** Forgets every subscription of `s` (RESET, disconnect), without replies. */
  unsubscribeAll(s: S): void {
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      for (const name of [...s.session.subscriptions.of(kind)]) this.unsubscribe(s, kind, name);
    }
  }

  /**
   * PUBLISH (`shard` false) or SPUBLISH (`shard` true): sends `message` to the channel's subscribers and,
   * for PUBLISH, to every subscriber of every pattern that matches it. Returns how many received it.
   */
  publish(channel: Buffer, message: Buffer, shard: boolean, publisherId: number): number {
    const name = channel.toString('latin1');
    let receivers = 0;
    const direct = (shard ? this.shardChannels : this.channels).get(name);
    if (direct !== undefined) {
      const frames = new Frames(shard ? SMESSAGE : MESSAGE, null, channel, message);
      // A copy: delivering may close a subscriber over its limit, which unsubscribes it.
      for (const s of [...direct]) {
        this.deliver(s, frames.for(s.session.protocol), publisherId);
        receivers++;
      }
    }
    if (shard) return receivers;
    for (const pattern of [...this.patterns.values()]) {
      if (!globMatch(pattern.bytes, channel)) continue;
      const frames = new Frames(PMESSAGE, pattern.bytes, channel, message);
      for (const s of [...pattern.subscribers]) {
        this.deliver(s, frames.for(s.session.protocol), publisherId);
        receivers++;
      }
    }
    return receivers;
  }

  /** PUBSUB CHANNELS / SHARDCHANNELS: the active channels (bytes) matching `pattern`, or all. */
  activeChannels(shard: boolean, pattern: Buffer | null): Buffer[] {
    const out: Buffer[] = [];
    for (const name of (shard ? this.shardChannels : this.channels).keys()) {
      const bytes = Buffer.from(name, 'latin1');
      if (pattern === null || globMatch(pattern, bytes)) out.push(bytes);
    }
    return out;
  }

  /** PUBSUB NUMSUB / SHARDNUMSUB: how many connections subscribe to `channel` (patterns not counted). */
  subscriberCount(shard: boolean, channel: Buffer): number {
    return (shard ? this.shardChannels : this.channels).get(channel.toString('latin1'))?.size ?? 0;
  }
}

/**
 * One message's frame, encoded at most once per protocol however many subscribers receive it:
 * `[kind, (pattern,) channel, message]` as a RESP2 array or a RESP3 push.
 */
class Frames {
  private resp2: Buffer | null = null;
  private resp3: Buffer | null = null;

  constructor(
    private readonly kind: Buffer,
    private readonly pattern: Buffer | null,
    private readonly channel: Buffer,
    private readonly message: Buffer,
  ) {}

  for(protocol: RespVersion): Buffer {
    if (protocol === 3) {
      this.resp3 ??= this.encode('>');
      return this.resp3;
    }
    this.resp2 ??= this.encode('*');
    return this.resp2;
  }

  private encode(type: '*' | '>'): Buffer {
    const parts =
      this.pattern === null
        ? [this.kind, this.channel, this.message]
        : [this.kind, this.pattern, this.channel, this.message];
    const chunks: Buffer[] = [Buffer.from(`${type}${parts.length}\r\n`)];
    for (const part of parts) chunks.push(Buffer.from(`$${part.length}\r\n`), part, CRLF);
    return Buffer.concat(chunks);
  }
}

const CRLF = Buffer.from('\r\n');
