/**
 * Who serves which hash slots: the cluster's nodes, each slot's primary (the node that serves its reads
 * and writes) and the nodes that keep a standby copy of it (they serve reads to READONLY connections).
 * A topology is a value: a change of membership builds a new one. CLUSTER SLOTS, SHARDS, NODES and INFO
 * and the dispatcher's slot check all read it.
 */
import { SLOTS } from '@sluice/protocol';

/** A node of the cluster, as clients reach it. */
export interface ClusterNode {
  /** 40 lowercase hexadecimal characters, as Redis names nodes. */
  readonly id: string;
  /** The address clients connect to (cluster-announce-ip); '' when unknown, as redis-server says it. */
  readonly host: string;
  /** The port clients connect to (cluster-announce-port, else the port bound). */
  readonly port: number;
}

/** Slots `start` to `end`, both included. */
export type SlotSpan = readonly [start: number, end: number];

/** What one node serves: slots as primary, and slots it keeps a standby copy of. */
export interface NodeAssignment {
  readonly node: ClusterNode;
  readonly primary: readonly SlotSpan[];
  readonly standby?: readonly SlotSpan[];
}

/** A run of consecutive slots served the same way: one primary and the same standby copies. */
export interface SlotRange {
  readonly start: number;
  readonly end: number;
  readonly primary: ClusterNode;
  readonly standbys: readonly ClusterNode[];
}

/** A primary and its standbys, with every slot they all hold (CLUSTER SHARDS). */
export interface Shard {
  readonly spans: readonly SlotSpan[];
  /** The primary first, then the standbys. */
  readonly nodes: readonly ClusterNode[];
}

const NODE_ID = /^[0-9a-f]{40}$/;
const NONE = -1;

export class ClusterTopology {
  /** Every node, this one first. */
  readonly nodes: readonly ClusterNode[];
  /** Slots that have a primary. */
  readonly assigned: number;
  /** Primaries that serve at least one slot (CLUSTER INFO cluster_size). */
  readonly size: number;
  /** Runs of slots with the same primary and standbys, in slot order. */
  readonly ranges: readonly SlotRange[];
  /** Each slot's primary, as an index into `nodes`, or -1. */
  private readonly primaries = new Int16Array(SLOTS).fill(NONE);
  /** 1 where this node keeps a standby copy of the slot. */
  private readonly standbyHere = new Uint8Array(SLOTS);

  /**
   * @param myself this node; it need not be in `assignments` (a node that serves nothing yet).
   * @param epoch the configuration's version (CLUSTER INFO cluster_current_epoch).
   */
  constructor(
    readonly myself: ClusterNode,
    assignments: readonly NodeAssignment[],
    readonly epoch = 0,
  ) {
    const nodes = [myself];
    for (const a of assignments) if (a.node.id !== myself.id) nodes.push(a.node);
    const ids = new Set<string>();
    for (const n of nodes) {
      if (!NODE_ID.test(n.id))
        throw new Error(`cluster node id ${JSON.stringify(n.id)} is not 40 hex digits`);
      if (ids.has(n.id)) throw new Error(`cluster node ${n.id} is listed twice`);
      ids.add(n.id);
    }
    this.nodes = nodes;
    const indexOf = new Map(nodes.map((n, i) => [n.id, i]));
    // Per slot, the standby nodes as a sorted list of indexes joined by commas ('' for none).
    const standbys: string[] = new Array<string>(SLOTS).fill('');
    for (const a of assignments) {
      const i = indexOf.get(a.node.id) as number;
      for (const slot of slotsOf(a.primary)) {
        if (this.primaries[slot] !== NONE) throw new Error(`slot ${slot} has two primaries`);
        this.primaries[slot] = i;
      }
      for (const slot of slotsOf(a.standby ?? [])) {
        const list = standbys[slot] as string;
        standbys[slot] = list === '' ? String(i) : `${list},${i}`;
        if (i === 0) this.standbyHere[slot] = 1;
      }
    }
    const ranges: SlotRange[] = [];
    let assigned = 0;
    const primaries = new Set<number>();
    for (let slot = 0; slot < SLOTS; ) {
      const p = this.primaries[slot] as number;
      const key = standbys[slot] as string;
      let end = slot;
      while (end + 1 < SLOTS && this.primaries[end + 1] === p && standbys[end + 1] === key) end++;
      if (p !== NONE) {
        assigned += end - slot + 1;
        primaries.add(p);
        const copies = key === '' ? [] : key.split(',').map(Number);
        ranges.push({
          start: slot,
          end,
          primary: nodes[p] as ClusterNode,
          standbys: [...new Set(copies)]
            .filter((c) => c !== p)
            .sort((a, b) => a - b)
            .map((c) => nodes[c] as ClusterNode),
        });
      }
      slot = end + 1;
    }
    this.ranges = ranges;
    this.assigned = assigned;
    this.size = primaries.size;
  }

  /** A one-node cluster: this node serves every slot. */
  static single(myself: ClusterNode): ClusterTopology {
    return new ClusterTopology(myself, [{ node: myself, primary: [[0, SLOTS - 1]] }]);
  }

  /** Whether every slot has a primary (CLUSTER INFO cluster_state:ok). */
  get ok(): boolean {
    return this.assigned === SLOTS;
  }

  /** The slot's primary, or undefined when no node serves it. */
  primaryOf(slot: number): ClusterNode | undefined {
    const p = this.primaries[slot] as number;
    return p === NONE ? undefined : this.nodes[p];
  }

  /** Whether this node keeps a standby copy of the slot. */
  hasStandby(slot: number): boolean {
    return this.standbyHere[slot] === 1;
  }

  /** The slots `node` serves as primary, as spans in slot order. */
  primarySpans(node: ClusterNode): SlotSpan[] {
    const spans: SlotSpan[] = [];
    for (const r of this.ranges) {
      if (r.primary !== node) continue;
      const last = spans[spans.length - 1];
      if (last !== undefined && last[1] + 1 === r.start) spans[spans.length - 1] = [last[0], r.end];
      else spans.push([r.start, r.end]);
    }
    return spans;
  }

  /**
   * The shards: slots grouped by their primary and standbys (every node of a shard holds all its
   * slots), in the order of their first slot.
   */
  shards(): Shard[] {
    const byNodes = new Map<string, { spans: SlotSpan[]; nodes: ClusterNode[] }>();
    for (const r of this.ranges) {
      const nodes = [r.primary, ...r.standbys];
      const key = nodes.map((n) => n.id).join(',');
      let shard = byNodes.get(key);
      if (shard === undefined) {
        shard = { spans: [], nodes };
        byNodes.set(key, shard);
      }
      const last = shard.spans[shard.spans.length - 1];
      if (last !== undefined && last[1] + 1 === r.start)
        shard.spans[shard.spans.length - 1] = [last[0], r.end];
      else shard.spans.push([r.start, r.end]);
    }
    return [...byNodes.values()];
  }
}

function* slotsOf(spans: readonly SlotSpan[]): Generator<number> {
  for (const [start, end] of spans) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end < SLOTS && start <= end))
      throw new Error(`slot span ${start}-${end} is not within 0-${SLOTS - 1}`);
    for (let slot = start; slot <= end; slot++) yield slot;
  }
}
