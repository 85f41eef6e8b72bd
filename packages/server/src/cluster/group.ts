/**
 * Cluster mode over Kafka: the consumer group's assignment protocol (membership.ts decides), and what a
 * node does with each assignment: it takes the plan as its topology at once (slots it lost answer MOVED
 * from now on), and answers LOADING for the slots of each primary partition it gained until it has
 * applied that partition up to its own handoff record (log/fence.ts), produced when the assignment came.
 */
import type { GroupAssignment, GroupControl, GroupMember, GroupProtocol } from '@sluice/kafka-bridge';
import type { Positions } from '../log/applied.js';
import type { Cluster } from './cluster.js';
import {
  assignmentsOf,
  decodeHeld,
  decodeMember,
  decodePlan,
  encodeMember,
  encodePlan,
  heldIn,
  type Member,
  memberPartitions,
  plan,
} from './membership.js';
import { PeerWatch } from './peers.js';
import { ClusterTopology } from './topology.js';

/** What the group protocol needs of log mode. */
export interface GroupLog {
  /**
   * Produces this node's handoff record into each of `partitions` (log/fence.ts); resolves with where
   * they landed.
   */
  handoff(partitions: readonly number[]): Promise<Positions>;
  /** The owner of `partition` as applied here: the writer of its last handoff record, null when none. */
  owner(partition: number): string | null;
  /** Calls `fn` once every partition of `positions` is applied up to its offset there. */
  whenApplied(positions: Positions, fn: () => void): void;
  /**
   * The node holds `held` (primary and standby) of the topic's `partitions` now: the keys of the others
   * are deleted here, in the background (cluster/sweep.ts).
   */
  hold(held: ReadonlySet<number>, partitions: number): void;
  log(message: string): void;
}

export class ClusterGroup implements GroupProtocol {
  readonly name = 'sluice-cluster';
  private log: GroupLog | null = null;
  /** Assignments received, to tell a catch-up of an older one from the current one. */
  private generation = 0;
  /** This node's primary partitions in the last plan. */
  private primaries = new Set<number>();
  /**
   * The last assignment carried no valid plan: this node kept its topology, which the group's current
   * generation may contradict, so nothing confirms it until a valid plan comes.
   */
  private rejected = false;
  /** The group, to remove a dead node's member from it (set by the consumer before it joins). */
  private group: GroupControl | null = null;
  /** The other nodes of the plan, watched for a process that died (peers.ts). */
  private readonly peers: PeerWatch;

  constructor(
    private readonly cluster: Cluster,
    private readonly standbys: number,
  ) {
    this.peers = new PeerWatch({
      remove: (member) =>
        this.group === null
          ? Promise.reject(new Error('the consumer has not joined the group yet'))
          : this.group.removeMember(member),
      log: (message) => this.log?.log(message),
    });
  }

  attach(log: GroupLog): void {
    this.log = log;
  }

  control(group: GroupControl): void {
    this.group = group;
  }

  /** Stops watching the other nodes (the server is shutting down). */
  stop(): void {
    this.peers.stop();
  }

  metadata(): Buffer {
    return encodeMember(this.cluster.topology.myself, this.cluster.held);
  }

  assign(members: readonly GroupMember[], partitions: number): GroupAssignment[] {
    const decoded: Member[] = members.map((m) => ({
      memberId: m.memberId,
      node: decodeMember(m.userData),
      held: decodeHeld(m.userData),
    }));
    const p = plan(decoded, partitions, this.standbys);
    const userData = encodePlan(p);
    const each = memberPartitions(decoded, p);
    return decoded.map((m) => ({ memberId: m.memberId, partitions: each.get(m.memberId) ?? [], userData }));
  }

  assigned(userData: Buffer | null): void {
    const p = userData === null ? null : decodePlan(userData);
    if (p === null) {
      this.log?.log('the group assignment carries no cluster plan: is another application in the group?');
      this.reject('the group assignment carries no cluster plan');
      return;
    }
    const myself = this.cluster.topology.myself;
    let topology: ClusterTopology;
    try {
      topology = new ClusterTopology(myself, assignmentsOf(p), p.epoch ?? 0);
    } catch (err) {
      // Called from kafkajs's event: a plan that cannot be a topology is logged, never thrown there.
      this.log?.log(
        `the group's cluster plan is not valid, kept the topology before: ${(err as Error).message}`,
      );
      this.reject("the group's cluster plan is not valid");
      return;
    }
    this.rejected = false;
    const generation = ++this.generation;
    const mine = p.nodes.find((n) => n.id === myself.id);
    const primaries = new Set(mine?.primary ?? []);
    // Gained: new here, or gained earlier and not caught up with yet (that catch-up is dropped below).
    const gained = [...primaries].filter(
      (partition) => !this.primaries.has(partition) || this.cluster.partitionLoading(partition),
    );
    this.primaries = primaries;
    this.cluster.use(topology, p.partitions, gained);
    this.cluster.remember(heldIn(p, myself.id));
    this.peers.watch(p.nodes.filter((n) => n.id !== myself.id));
    // Before the bridge hears of the assignment: a lost partition's offset is removed in a transaction
    // queued after its last applied records, and a partition held again stops its sweep before any of
    // its records is read again.
    this.log?.hold(new Set([...primaries, ...(mine?.standby ?? [])]), p.partitions);
    this.log?.log(
      `cluster plan ${p.epoch ?? 0}: ${p.nodes.length} node(s), ${p.partitions} partitions; primary here: ${[...primaries].join(',') || 'none'}; standby here: ${mine?.standby.join(',') || 'none'}`,
    );
    if (gained.length > 0) void this.catchUp(generation, gained);
  }

  confirmed(sentAt: number): void {
    if (!this.rejected) this.cluster.confirmed(sentAt);
  }

  left(): void {
    this.cluster.suspect("this node's consumer crashed and may have left the group");
  }

  /** An assignment this node could not take: its plan is not confirmed until a valid one comes. */
  private reject(detail: string): void {
    this.rejected = true;
    this.cluster.suspect(detail);
  }

  /**
   * Another node's handoff record was applied into `partition` (log/fence.ts). When this node is the
   * partition's primary in its plan and serves it, that node took over under another plan (one this node
   * has not heard of yet, or one it missed while paused): this node's records would be skipped from now on,
   * so it answers LOADING for the partition again and hands off again. The next plan settles who writes.
   */
  ownerChanged(partition: number, owner: string): void {
    if (owner === this.cluster.topology.myself.id) return;
    if (!this.primaries.has(partition) || this.cluster.partitionLoading(partition)) return;
    this.cluster.reload([partition]);
    this.log?.log(
      `partition ${partition} was handed off to node ${owner}; this node's plan makes it primary: handing it off again`,
    );
    void this.catchUp(this.generation, [partition]);
  }

  /**
   * The fence (log/fence.ts): the node produces a handoff record into each gained partition, and serves
   * their slots once it has applied them up to its handoffs (so past every record the old primary sent
   * before them; those it sends after are skipped by every node).
   */
  private async catchUp(generation: number, gained: number[]): Promise<void> {
    const log = this.log;
    if (log === null) return;
    let positions: Positions | null = null;
    while (positions === null && generation === this.generation) {
      try {
        positions = await log.handoff(gained);
      } catch (err) {
        log.log(
          `handoff of partition(s) ${gained.join(',')} not produced, trying again: ${(err as Error).message}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    if (positions === null) return;
    log.whenApplied(positions, () => {
      if (generation !== this.generation) return;
      // Another node's handoff applied after this node's: hand off again before serving.
      const me = this.cluster.topology.myself.id;
      const ours = gained.filter((p) => log.owner(p) === me);
      const again = gained.filter((p) => log.owner(p) !== me);
      this.cluster.loaded(ours);
      if (ours.length > 0) log.log(`caught up with partition(s) ${ours.join(',')}: serving their slots`);
      if (again.length > 0) {
        log.log(
          `partition(s) ${again.join(',')} handed off to another node after this one's: handing off again`,
        );
        void this.catchUp(generation, again);
      }
    });
  }
}
