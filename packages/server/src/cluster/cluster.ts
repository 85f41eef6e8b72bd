/**
 * Cluster mode (cluster-enabled yes): this node's id, the topology commands and the dispatcher read, and
 * the slot index of its keys. Without Kafka, the node is a cluster of one that serves all 16384 slots,
 * so that cluster clients work against it (as Dragonfly's emulated cluster mode).
 */
import { randomBytes } from 'node:crypto';
import type { ClusterOps } from '../commands/context.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { SlotIndex } from '../keyspace/slot-index.js';
import { type Held, partitionOfSlot, validHeld } from './membership.js';
import { ClusterTopology } from './topology.js';

/** Where the node's id is kept, among Sluice's own records: it survives restarts, as nodes.conf keeps Redis's. */
const NODE_ID_KEY = Buffer.from('cluster-node-id');
/** Where the node keeps what it held in the last plan it applied (membership.ts `Held`), as JSON. */
const HELD_KEY = Buffer.from('cluster-held');

export class Cluster implements ClusterOps {
  /** This node's id: 40 hex digits. */
  readonly id: string;
  private current: ClusterTopology;
  /** Partitions of the topic as the last plan said (cluster mode over Kafka), 0 without Kafka. */
  private partitions = 0;
  /** Primary partitions gained and not applied up to their end yet: their slots answer LOADING. */
  private readonly loading = new Set<number>();
  /**
   * Cluster mode over Kafka: a stall of the process at least this long (ms) may have cost it its place in
   * the group, and so its slots (see `stale`); 0 when not watched.
   */
  private stallMs = 0;
  /** When the stall watch last ran. */
  private lastTick = 0;
  /**
   * The group's session timeout (ms): a node whose plan the group has not confirmed for this long may
   * have been dropped from it (see `stale`); 0 when not watched.
   */
  private leaseMs = 0;
  /** When the newest request the group confirmed this node's plan with was sent (ms), 0 before any. */
  private confirmedAt = 0;
  /**
   * When a stall, or a lapse of the group's confirmations, was noticed that the group has not confirmed
   * the plan since, else 0 (see `stale`).
   */
  private suspectSince = 0;
  /** cluster-allow-reads-when-down: a stale node serves reads of its keys all the same. */
  allowReadsWhenDown = false;
  private onStale: (stale: boolean, detail: string) => void = () => {};
  /** What this node held in the last plan it applied, kept across restarts; null before any. */
  private heldNow: Held | null = null;

  /**
   * @param kafka whether the topology comes from a Kafka consumer group: until the first assignment the
   *   node serves no slot (else it is a cluster of one that serves them all).
   */
  constructor(
    private readonly keyspace: Keyspace,
    private readonly slots: SlotIndex,
    private readonly kafka = false,
  ) {
    const stored = keyspace.readMeta(NODE_ID_KEY)?.toString('latin1');
    if (stored !== undefined && /^[0-9a-f]{40}$/.test(stored)) {
      this.id = stored;
    } else {
      this.id = randomBytes(20).toString('hex');
      keyspace.writeMeta(NODE_ID_KEY, Buffer.from(this.id, 'latin1'));
    }
    this.current = ClusterTopology.single({ id: this.id, host: '', port: 0 });
    try {
      this.heldNow = validHeld(JSON.parse(keyspace.readMeta(HELD_KEY)?.toString('utf8') ?? 'null'));
    } catch {
      this.heldNow = null;
    }
  }

  /** What this node held in the last plan it applied (its group metadata says so), or null. */
  get held(): Held | null {
    return this.heldNow;
  }

  /**
   * Keeps what this node holds in the plan it applies now, across restarts too: a node restarted with
   * its data gets its partitions back when the others still hold no newer claim to them.
   */
  remember(held: Held): void {
    const text = JSON.stringify(held);
    if (this.heldNow !== null && JSON.stringify(this.heldNow) === text) return;
    this.heldNow = held;
    try {
      this.keyspace.writeMeta(HELD_KEY, Buffer.from(text, 'utf8'));
    } catch {
      // A full disk: the claim is kept in memory, and written again with the next plan.
    }
  }

  get topology(): ClusterTopology {
    return this.current;
  }

  /**
   * Cluster mode over Kafka, with the group's session timeout `sessionTimeoutMs`: watches for what may
   * have cost this node its place in the group, and so its slots, which other nodes then take writes for
   * that it does not read:
   * - a stall of the process (a SIGSTOP, a machine suspended, an event loop blocked) for most of the
   *   session timeout, during which it could not heartbeat;
   * - no confirmation from the group for a whole session timeout (a network partition between the node
   *   and Kafka, or Kafka down): the coordinator drops a member whose last heartbeat is that old, and the
   *   newest confirmed request was sent no later than the coordinator received it, so the node stops
   *   before its place can have gone.
   * Until the group confirms its plan again (a heartbeat or a join sent after it noticed, `confirmed`), it
   * answers reads of its keys with CLUSTERDOWN, as a Redis Cluster node cut off from the majority does
   * after cluster-node-timeout (unless cluster-allow-reads-when-down), and CLUSTER INFO says
   * `cluster_state:fail`. The watch is checked when a command arrives too, so that commands waiting in
   * its sockets when it resumes are refused. Its writes need no such care: the fence (log/fence.ts)
   * refuses those of a node that lost its slots.
   */
  watchStalls(sessionTimeoutMs: number, onStale: (stale: boolean, detail: string) => void): void {
    // Heartbeats are a tenth of the session timeout apart (kafka-bridge's kafkajs-source.ts): a stall of
    // 0.8 of it may have been enough.
    this.stallMs = Math.floor(sessionTimeoutMs * 0.8);
    this.leaseMs = sessionTimeoutMs;
    this.onStale = onStale;
    this.lastTick = Date.now();
    const watch = setInterval(() => this.stale(Date.now()), Math.min(100, this.stallMs / 4));
    watch.unref();
  }

  /**
   * Whether this node's plan may be out of date (see `watchStalls`). Notices a stall that ended just now,
   * before any timer ran.
   */
  stale(now: number): boolean {
    if (this.stallMs === 0) return false;
    const stalled = now - this.lastTick;
    this.lastTick = now;
    if (this.suspectSince === 0) {
      if (stalled >= this.stallMs)
        this.markStale(
          now,
          `the process stalled for ${stalled} ms, longer than most of cluster-node-timeout`,
        );
      else if (this.confirmedAt > 0 && now - this.confirmedAt >= this.leaseMs)
        this.markStale(
          now,
          `the group has not confirmed this node's plan for ${now - this.confirmedAt} ms (cluster-node-timeout)`,
        );
    }
    return this.suspectSince !== 0;
  }

  /** What CLUSTER INFO says as cluster_state: every slot served and the plan not stale. */
  stateOk(now: number): boolean {
    return this.current.ok && !this.stale(now);
  }

  /** Stale from `now` on, for the reason `detail`, until `confirmed` (see `watchStalls`). */
  private markStale(now: number, detail: string): void {
    this.suspectSince = now;
    this.onStale(true, detail);
  }

  /**
   * Something may have cost this node its place in the group (its consumer crashed and left it, or it
   * could not take the group's plan): stale now, until the group confirms its plan with a request sent
   * from now on. Only where the plan comes from Kafka (`watchStalls`).
   */
  suspect(detail: string): void {
    if (this.stallMs === 0 || this.suspectSince !== 0) return;
    this.markStale(Date.now(), detail);
  }

  /** Whether reads of this node's keys are refused now: it is stale, and cluster-allow-reads-when-down is no. */
  refusesReads(now: number): boolean {
    return this.stale(now) && !this.allowReadsWhenDown;
  }

  /** The group confirmed this node's plan as of `sentAt` (a heartbeat or join sent then succeeded). */
  confirmed(sentAt: number): void {
    if (sentAt > this.confirmedAt) this.confirmedAt = sentAt;
    if (this.suspectSince === 0 || sentAt < this.suspectSince) return;
    const since = this.suspectSince;
    this.suspectSince = 0;
    this.onStale(false, `after ${Date.now() - since} ms`);
  }

  /**
   * The address clients reach this node at, once the server listens: cluster-announce-ip (else the first
   * bind address that is not a wildcard, else '') and cluster-announce-port (else the port bound).
   */
  announce(host: string, port: number): void {
    const myself = { id: this.id, host, port };
    this.current = this.kafka ? new ClusterTopology(myself, []) : ClusterTopology.single(myself);
  }

  /**
   * A new topology from the group's plan, in a topic of `partitions`; the slots of the `gained`
   * partitions answer LOADING until `loaded`.
   */
  use(topology: ClusterTopology, partitions: number, gained: readonly number[]): void {
    this.current = topology;
    this.partitions = partitions;
    this.loading.clear();
    for (const p of gained) this.loading.add(p);
  }

  /** The slots of `partitions` answer LOADING again, until `loaded` (a handoff taken back, log/fence.ts). */
  reload(partitions: readonly number[]): void {
    for (const p of partitions) this.loading.add(p);
  }

  loaded(partitions: readonly number[]): void {
    for (const p of partitions) this.loading.delete(p);
  }

  /** Whether `partition` is a gained primary partition not caught up with yet. */
  partitionLoading(partition: number): boolean {
    return this.loading.has(partition);
  }

  /** Whether the slot's partition is still being caught up with (commands on its keys get LOADING). */
  slotLoading(slot: number): boolean {
    return this.loading.size > 0 && this.loading.has(partitionOfSlot(slot, this.partitions));
  }

  countKeysInSlot(slot: number): number {
    return this.slots.count(slot);
  }

  keysInSlot(slot: number, count: number): Buffer[] {
    return this.slots.keys(slot, count);
  }
}

/** The host a node announces: cluster-announce-ip, else the first bind address that names one interface. */
export function announcedHost(announceIp: string, bind: string): string {
  if (announceIp !== '') return announceIp;
  for (const raw of bind.split(' ')) {
    const host = raw.replace(/^-/, '');
    if (host !== '' && host !== '*' && host !== '0.0.0.0' && host !== '::' && host !== '::*') return host;
  }
  return '';
}
