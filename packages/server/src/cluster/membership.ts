/**
 * Cluster mode over Kafka: the consumer group of a cluster's nodes is its membership, and the group's
 * partition assignment is its topology. Each member joins with its node id and the address clients reach
 * it at, and what it held in the last plan; the group's leader shares the partitions out among the nodes
 * as primaries and standby copies, moving as few as it can and to nodes that hold a copy (`plan`), and
 * sends every member the whole plan, which each node turns into its ClusterTopology. Slots map to partitions in contiguous ranges:
 * partition = floor(slot × P / 16384), for any partition count P.
 */

import { SLOTS } from '@sluice/protocol';
import type { ClusterNode, NodeAssignment, SlotSpan } from './topology.js';

/** The partition of a slot in a topic of `partitions` partitions. */
export function partitionOfSlot(slot: number, partitions: number): number {
  return Math.floor((slot * partitions) / SLOTS);
}

/** The slots of `partition` (both ends included), the inverse of partitionOfSlot. */
export function slotsOfPartition(partition: number, partitions: number): SlotSpan {
  const start = Math.ceil((partition * SLOTS) / partitions);
  const end = Math.ceil(((partition + 1) * SLOTS) / partitions) - 1;
  return [start, end];
}

/** One node of the plan: its address and the partitions it serves and keeps copies of. */
export interface PlannedNode extends ClusterNode {
  readonly primary: readonly number[];
  readonly standby: readonly number[];
  /**
   * The group members that say they are this node (a node whose consumer crashed and rejoined has two
   * until the old one's session times out); absent in a plan of an older node. See peers.ts.
   */
  readonly members?: readonly string[];
}

/** The cluster's plan, as the leader sends it to every member. */
export interface Plan {
  /** Partitions of the topic when the plan was made. */
  readonly partitions: number;
  /**
   * The plan's number: one more than the newest plan its members held when they joined (0 in a plan of
   * an older node). A member's claim to a partition from a newer plan outweighs one from an older plan.
   */
  readonly epoch?: number;
  readonly nodes: readonly PlannedNode[];
}

/**
 * What a node held in the last plan it applied (kept across restarts with its data): the leader keeps
 * partitions where they are, and moves them to nodes that already hold a copy, when it can.
 */
export interface Held {
  readonly epoch: number;
  /** Partitions of the topic in that plan; a claim in a topic of another size is ignored. */
  readonly partitions: number;
  readonly primary: readonly number[];
  readonly standby: readonly number[];
}

/** A member of the group: its group member id and the node it says it is (null: not a Sluice node). */
export interface Member {
  readonly memberId: string;
  readonly node: ClusterNode | null;
  /** What the node held in the last plan it applied, when it said so. */
  readonly held?: Held | null;
}

/** A member's metadata: the node it is, and what it held in the last plan it applied. */
export function encodeMember(node: ClusterNode, held: Held | null = null): Buffer {
  const v: Record<string, unknown> = { id: node.id, host: node.host, port: node.port };
  if (held !== null) v.held = held;
  return Buffer.from(JSON.stringify(v), 'utf8');
}

export function decodeMember(data: Buffer): ClusterNode | null {
  try {
    const v = JSON.parse(data.toString('utf8')) as Partial<ClusterNode>;
    if (typeof v.id !== 'string' || !/^[0-9a-f]{40}$/.test(v.id)) return null;
    if (typeof v.host !== 'string' || typeof v.port !== 'number') return null;
    return { id: v.id, host: v.host, port: v.port };
  } catch {
    return null;
  }
}

/** What a member's metadata says it held (see `Held`), or null when it says nothing valid. */
export function decodeHeld(data: Buffer): Held | null {
  try {
    return validHeld((JSON.parse(data.toString('utf8')) as { held?: unknown }).held);
  } catch {
    return null;
  }
}

/** `v` as a Held, or null when it is not one. */
export function validHeld(v: unknown): Held | null {
  if (typeof v !== 'object' || v === null) return null;
  const h = v as Partial<Held>;
  const list = (l: unknown): l is number[] =>
    Array.isArray(l) && l.every((x) => Number.isInteger(x) && (x as number) >= 0);
  // An epoch a plan can follow (a member reporting 2^60 would freeze the numbering).
  const counted = (x: unknown): boolean =>
    Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) < 2 ** 48;
  if (!counted(h.epoch) || !counted(h.partitions)) return null;
  if (!list(h.primary) || !list(h.standby)) return null;
  return {
    epoch: h.epoch as number,
    partitions: h.partitions as number,
    primary: h.primary,
    standby: h.standby,
  };
}

/**
 * The leader's plan. Nodes are sorted by id (members with one node id, a crashed consumer of a node and
 * its new one, count once: the one that held the newer plan). Each node gets its share of primary
 * partitions, P/n rounded down or up (with more nodes than partitions, some serve nothing), and each
 * partition `standbys` copies on other nodes (at most n - 1), also shared out evenly. Partitions move as
 * little as they can, and warm:
 * - a partition stays with the node that was its primary (the newest claim counts; a primary claim older
 *   than another node's copy of the partition does not), within that node's share; a node over its
 *   share gives up first the partitions another node holds a copy of;
 * - a partition without a primary goes to a node with room that holds a copy of it (a standby, or its
 *   data kept from an earlier plan), even if that node must hand one of its own to another node that
 *   holds a copy of that one; else to the first node with room, in id order (so that a new cluster gets
 *   contiguous runs of partitions, node by node);
 * - a partition's standby copies stay where they were; its old primary keeps one when it loses it (it
 *   goes on applying the partition, so it learns whether the writes it sent last count), and so does a
 *   node whose claim to it is stale but who may still serve it (it missed the plan that moved it); the
 *   others go to the next nodes after its primary, in a ring, that have room.
 */
export function plan(members: readonly Member[], partitions: number, standbys: number): Plan {
  // One entry per node id: of a crashed consumer and its replacement, the one that held the newer plan
  // (the smaller member id when both held the same), so that any leader picks the same address.
  const byId = new Map<string, { node: ClusterNode; held: Held | null; memberId: string }>();
  /** Every member of each node id, the plan's `members`. */
  const membersOf = new Map<string, string[]>();
  // Numbered above every plan a member held, in a topic of any size.
  let epoch = 0;
  for (const m of members) {
    if (m.node === null) continue;
    const list = membersOf.get(m.node.id);
    if (list === undefined) membersOf.set(m.node.id, [m.memberId]);
    else list.push(m.memberId);
    if (m.held != null) epoch = Math.max(epoch, m.held.epoch);
    const held = m.held != null && m.held.partitions === partitions ? m.held : null;
    const seen = byId.get(m.node.id);
    const e = held?.epoch ?? -1;
    const seenE = seen?.held?.epoch ?? -1;
    if (seen === undefined || e > seenE || (e === seenE && m.memberId < seen.memberId))
      byId.set(m.node.id, { node: m.node, held, memberId: m.memberId });
  }
  const entries = [...byId.values()].sort((a, b) =>
    a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0,
  );
  const n = entries.length;
  epoch++;
  const P = partitions;
  // What each node held before: every node with a copy, and the partition's primary, by the newest claim
  // to it. A primary claim older than some node's copy of the partition (primary or standby) is stale: a
  // later plan gave the partition to another node, which that copy follows.
  const newest = new Array<number>(P).fill(-1);
  const warm: Set<number>[] = Array.from({ length: P }, () => new Set<number>());
  entries.forEach(({ held }, i) => {
    if (held === null) return;
    for (const p of [...held.primary, ...held.standby]) {
      if (p >= P) continue;
      warm[p]?.add(i);
      if (held.epoch > (newest[p] as number)) newest[p] = held.epoch;
    }
  });
  /** Each partition's nodes with a copy, the copies of the newest plans first (then in id order). */
  const freshest = warm.map((nodes) =>
    [...nodes].sort((x, y) => (entries[y]?.held?.epoch ?? -1) - (entries[x]?.held?.epoch ?? -1) || x - y),
  );
  const fresh = (p: number): readonly number[] => freshest[p] as number[];
  const prevPrimary = new Array<number>(P).fill(-1);
  /** The partitions each node says it was primary of, a stale claim included. */
  const claims = entries.map(({ held }) => new Set(held?.primary ?? []));
  entries.forEach(({ held }, i) => {
    if (held === null) return;
    for (const p of held.primary)
      if (p < P && prevPrimary[p] === -1 && held.epoch === newest[p]) prevPrimary[p] = i;
  });
  const owner = new Array<number>(P).fill(-1);
  const count = new Array<number>(n).fill(0);
  const quota = new Array<number>(n).fill(0);
  if (n > 0) {
    // Shares: P/n each, the nodes that held the most primaries first for the ones rounded up.
    const claimed = new Array<number>(n).fill(0);
    for (const i of prevPrimary) if (i >= 0) claimed[i] = (claimed[i] as number) + 1;
    const order = [...Array(n).keys()].sort(
      (a, b) => (claimed[b] as number) - (claimed[a] as number) || a - b,
    );
    order.forEach((i, rank) => {
      quota[i] = Math.floor(P / n) + (rank < P % n ? 1 : 0);
    });
    const room = (i: number) => (count[i] as number) < (quota[i] as number);
    // Kept where they were, within each node's share; over it, those warm on a node with room go first.
    for (let i = 0; i < n; i++) {
      const mine: number[] = [];
      for (let p = 0; p < P; p++) if (prevPrimary[p] === i) mine.push(p);
      const warmElsewhere = (p: number) =>
        [...(warm[p] as Set<number>)].some((x) => x !== i && (claimed[x] as number) < (quota[x] as number));
      if (mine.length > (quota[i] as number))
        mine.sort((a, b) => Number(warmElsewhere(a)) - Number(warmElsewhere(b)) || a - b);
      for (const p of mine.slice(0, quota[i])) {
        owner[p] = i;
        count[i] = (count[i] as number) + 1;
      }
    }
    for (let p = 0; p < P; p++) {
      if (owner[p] !== -1) continue;
      const copies = fresh(p);
      let pick = copies.find(room) ?? -1;
      // A node with a copy but no room makes room: one of its partitions goes to a node with a copy of
      // that one and room.
      for (const w of copies) {
        if (pick !== -1) break;
        for (let q = 0; q < P && pick === -1; q++) {
          if (owner[q] !== w) continue;
          const to = fresh(q).find((x) => x !== w && room(x));
          if (to === undefined) continue;
          owner[q] = to;
          count[to] = (count[to] as number) + 1;
          count[w] = (count[w] as number) - 1;
          pick = w;
        }
      }
      if (pick === -1) pick = [...Array(n).keys()].find(room) ?? 0;
      owner[p] = pick;
      count[pick] = (count[pick] as number) + 1;
    }
  }
  // Standby copies.
  const copies = Math.max(0, Math.min(standbys, n - 1));
  const standbyOf: number[][] = Array.from({ length: P }, () => []);
  if (copies > 0) {
    const cap = Math.ceil((P * copies) / n);
    const scount = new Array<number>(n).fill(0);
    const take = (p: number, i: number) => {
      (standbyOf[p] as number[]).push(i);
      scount[i] = (scount[i] as number) + 1;
    };
    const open = (p: number, i: number) => i !== owner[p] && !(standbyOf[p] as number[]).includes(i);
    const free = (p: number, i: number) => open(p, i) && (scount[i] as number) < cap;
    // First the nodes that lose a partition they were primary of, past the caps if need be: each may
    // have writes of it on their way to Kafka, and learns whether they count only by applying it. The
    // newest claim first, then the older ones (a node that did not get the plan that moved the partition,
    // because it rejoined the group before its assignment reached it, still serves the partition under its
    // older plan). Then the nodes that had a copy (the newest first).
    for (let p = 0; p < P; p++) {
      const old = prevPrimary[p] as number;
      if (old >= 0 && open(p, old)) take(p, old);
    }
    for (let p = 0; p < P; p++) {
      for (const i of fresh(p)) {
        if ((standbyOf[p] as number[]).length >= copies) break;
        if (claims[i]?.has(p) && open(p, i)) take(p, i);
      }
    }
    for (let p = 0; p < P; p++) {
      for (const i of fresh(p)) {
        if ((standbyOf[p] as number[]).length >= copies) break;
        if (free(p, i)) take(p, i);
      }
    }
    for (let p = 0; p < P; p++) {
      const o = owner[p] as number;
      for (let k = 1; k < n && (standbyOf[p] as number[]).length < copies; k++) {
        const i = (o + k) % n;
        if (free(p, i)) take(p, i);
      }
      // Every node with room is full: the ring again, past the caps.
      for (let k = 1; k < n && (standbyOf[p] as number[]).length < copies; k++) {
        const i = (o + k) % n;
        if (i !== o && !(standbyOf[p] as number[]).includes(i)) take(p, i);
      }
    }
  }
  return {
    partitions,
    epoch,
    nodes: entries.map(({ node }, i) => {
      const primary: number[] = [];
      const standby: number[] = [];
      for (let p = 0; p < P; p++) {
        if (owner[p] === i) primary.push(p);
        if ((standbyOf[p] as number[]).includes(i)) standby.push(p);
      }
      const ids = (membersOf.get(node.id) ?? []).sort();
      return { id: node.id, host: node.host, port: node.port, primary, standby, members: ids };
    }),
  };
}

/** What node `id` holds in plan `p`, to say at its next join (see `Held`). */
export function heldIn(p: Plan, id: string): Held {
  const mine = p.nodes.find((n) => n.id === id);
  return {
    epoch: p.epoch ?? 0,
    partitions: p.partitions,
    primary: mine?.primary ?? [],
    standby: mine?.standby ?? [],
  };
}

/** What each member consumes: the partitions of its node, primary and standby. */
export function memberPartitions(members: readonly Member[], p: Plan): Map<string, number[]> {
  const byNode = new Map(p.nodes.map((n) => [n.id, [...n.primary, ...n.standby].sort((a, b) => a - b)]));
  const out = new Map<string, number[]>();
  for (const m of members) out.set(m.memberId, m.node === null ? [] : (byNode.get(m.node.id) ?? []));
  return out;
}

export function encodePlan(p: Plan): Buffer {
  return Buffer.from(JSON.stringify(p), 'utf8');
}

export function decodePlan(data: Buffer): Plan | null {
  try {
    const v = JSON.parse(data.toString('utf8')) as Plan;
    if (!Number.isInteger(v.partitions) || v.partitions < 1 || !Array.isArray(v.nodes)) return null;
    return v;
  } catch {
    return null;
  }
}

/** The plan's slot assignments, for a ClusterTopology. */
export function assignmentsOf(p: Plan): NodeAssignment[] {
  const spans = (list: readonly number[]): SlotSpan[] =>
    list.map((partition) => slotsOfPartition(partition, p.partitions));
  return p.nodes.map((n) => ({
    node: { id: n.id, host: n.host, port: n.port },
    primary: spans(n.primary),
    standby: spans(n.standby),
  }));
}
