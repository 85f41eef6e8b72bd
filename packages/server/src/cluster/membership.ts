/**
 * Cluster mode over Kafka: the consumer group of a cluster's nodes is its membership, and the group's
 * partition assignment is its topology. Each member joins with its node id and the address clients reach
 * it at; the group's leader sorts the nodes by id, gives each a contiguous run of partitions as primary
 * (and standby copies of the runs of the nodes after it), and sends every member the whole plan, which
 * each node turns into its ClusterTopology. Slots map to partitions in contiguous ranges:
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
}

/** The cluster's plan, as the leader sends it to every member. */
export interface Plan {
  /** Partitions of the topic when the plan was made. */
  readonly partitions: number;
  readonly nodes: readonly PlannedNode[];
}

/** A member of the group: its group member id and the node it says it is (null: not a Sluice node). */
export interface Member {
  readonly memberId: string;
  readonly node: ClusterNode | null;
}

/** A member's metadata: the node it is. */
export function encodeMember(node: ClusterNode): Buffer {
  return Buffer.from(JSON.stringify({ id: node.id, host: node.host, port: node.port }), 'utf8');
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

/**
 * The leader's plan: nodes sorted by id (members with one node id, a crashed consumer of a node and its
 * new one, count once), node i of n primary for partitions floor(i·P/n) to floor((i+1)·P/n)-1, and a
 * standby copy of the runs of the `standbys` nodes after it (in a ring). With more nodes than
 * partitions, some nodes serve nothing.
 */
export function plan(members: readonly Member[], partitions: number, standbys: number): Plan {
  const byId = new Map<string, ClusterNode>();
  for (const m of members) if (m.node !== null) byId.set(m.node.id, m.node);
  const nodes = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = nodes.length;
  const runs = nodes.map((_, i) => {
    const run: number[] = [];
    for (let p = Math.floor((i * partitions) / n); p < Math.floor(((i + 1) * partitions) / n); p++)
      run.push(p);
    return run;
  });
  const copies = Math.min(standbys, n - 1);
  return {
    partitions,
    nodes: nodes.map((node, i) => {
      const standby: number[] = [];
      for (let k = 1; k <= copies; k++) standby.push(...(runs[(i + k) % n] as number[]));
      return {
        id: node.id,
        host: node.host,
        port: node.port,
        primary: runs[i] as number[],
        standby: standby.sort((a, b) => a - b),
      };
    }),
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
