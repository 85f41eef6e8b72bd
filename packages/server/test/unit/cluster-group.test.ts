/**
 * ClusterGroup (cluster/group.ts) with a plain GroupLog: the leader's assignment carries the plan to every
 * member; a member takes it as its topology at once, answers LOADING for the slots of the primary
 * partitions it gained until they are applied up to the handoff records it produced into them, and keeps its
 * topology when a plan cannot be one. Cluster's stall watch: when a node's plan becomes stale, and what
 * makes it current again.
 */
import { removeDir, tempDir } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.js';
import { ClusterGroup } from '../../src/cluster/group.js';
import { encodeMember, encodePlan, slotsOfPartition } from '../../src/cluster/membership.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';
import type { SlotIndex } from '../../src/keyspace/slot-index.js';
import type { Positions } from '../../src/log/applied.js';

describe('ClusterGroup', () => {
  let dir = '';
  let keyspace: Keyspace;
  beforeAll(async () => {
    dir = await tempDir('sluice-group-');
    keyspace = new Keyspace({
      dir,
      databases: 1,
      durability: 'no',
      mapSize: 64 * 1024 * 1024,
      writemap: false,
      slotIndex: true,
    });
  });
  afterAll(async () => {
    await keyspace.close();
    await removeDir(dir);
  });

  it('turns the plan into the topology, and serves gained slots once its handoffs there are applied', async () => {
    const cluster = new Cluster(keyspace, keyspace.dbs[0]?.slots as SlotIndex, true);
    cluster.announce('127.0.0.1', 7001);
    expect(cluster.topology.assigned).toBe(0);
    const waits: { positions: Positions; fn: () => void }[] = [];
    const lines: string[] = [];
    const handoffs: number[][] = [];
    /** Partitions whose last handoff applied here is another node's. */
    const foreign = new Set<number>();
    const group = new ClusterGroup(cluster, 1);
    const held: [number[], number][] = [];
    group.attach({
      handoff: async (partitions) => {
        handoffs.push([...partitions]);
        return new Map(partitions.map((p) => [p, 10n + BigInt(p)]));
      },
      owner: (p) => (foreign.has(p) ? 'e'.repeat(40) : cluster.topology.myself.id),
      whenApplied: (positions, fn) => waits.push({ positions, fn }),
      hold: (partitions, total) => held.push([[...partitions].sort(), total]),
      log: (line) => lines.push(line),
    });
    const me = cluster.topology.myself;
    const other = { id: 'f'.repeat(40), host: '127.0.0.1', port: 7002 };
    const assignments = group.assign(
      [
        { memberId: 'm1', userData: group.metadata() },
        { memberId: 'm2', userData: encodeMember(other) },
      ],
      4,
    );
    // Both members hear one plan; each consumes its primary and standby partitions (all four here).
    expect(new Set(assignments.map((a) => a.userData.toString())).size).toBe(1);
    expect(assignments.map((a) => a.partitions)).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ]);
    const mine = me.id < other.id ? [0, 1] : [2, 3];
    group.assigned(assignments[0]?.userData ?? null);
    expect(cluster.topology.ok).toBe(true);
    // Primary and standby partitions are held: none of their keys is deleted.
    expect(held).toEqual([[[0, 1, 2, 3], 4]]);
    expect(cluster.topology.primaryOf(slotsOfPartition(mine[0] as number, 4)[0])).toBe(me);
    const slot = slotsOfPartition(mine[0] as number, 4)[0];
    expect(cluster.slotLoading(slot)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // A handoff record goes into each gained partition, and the node waits until it has applied them.
    expect(handoffs).toEqual([mine]);
    expect(waits.map((w) => [...w.positions])).toEqual([mine.map((p) => [p, 10n + BigInt(p)])]);
    // Another node's handoff was applied after this node's in the second partition: it hands off again.
    foreign.add(mine[1] as number);
    waits[0]?.fn();
    expect(cluster.slotLoading(slot)).toBe(false);
    expect(lines.some((l) => l.startsWith('caught up with partition(s)'))).toBe(true);
    const second = slotsOfPartition(mine[1] as number, 4)[0];
    expect(cluster.slotLoading(second)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(handoffs).toEqual([mine, [mine[1]]]);
    foreign.clear();
    waits[1]?.fn();
    expect(cluster.slotLoading(second)).toBe(false);
    // A handoff of another node applied while this node serves the partition as its primary: LOADING
    // until it has handed off again; another node's partitions and this node's own handoffs change nothing.
    group.ownerChanged(mine[0] as number, 'e'.repeat(40));
    group.ownerChanged(mine[1] as number, me.id);
    group.ownerChanged(mine[0] === 0 ? 2 : 0, 'e'.repeat(40));
    expect(cluster.slotLoading(slot)).toBe(true);
    expect(cluster.slotLoading(second)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(handoffs).toEqual([mine, [mine[1]], [mine[0]]]);
    waits[2]?.fn();
    expect(cluster.slotLoading(slot)).toBe(false);

    // A plan that gives a partition two primaries cannot be a topology: the one before stays.
    const before = cluster.topology;
    const bad = {
      partitions: 4,
      nodes: [
        { ...me, primary: [0, 1], standby: [] },
        { ...other, primary: [1, 2, 3], standby: [] },
      ],
    };
    group.assigned(encodePlan(bad));
    expect(cluster.topology).toBe(before);
    expect(held.length).toBe(1);
    expect(lines.some((l) => l.includes('not valid'))).toBe(true);
  });

  it('a plan this node cannot take, or a crash of its consumer (which leaves the group), makes the plan stale until a valid plan is confirmed again', () => {
    const cluster = new Cluster(keyspace, keyspace.dbs[0]?.slots as SlotIndex, true);
    cluster.announce('127.0.0.1', 7001);
    const events: boolean[] = [];
    cluster.watchStalls(3000, (stale) => events.push(stale));
    const group = new ClusterGroup(cluster, 0);
    group.attach({
      handoff: async (partitions) => new Map(partitions.map((p) => [p, 0n])),
      owner: () => cluster.topology.myself.id,
      whenApplied: () => {},
      hold: () => {},
      log: () => {},
    });
    const other = { id: 'f'.repeat(40), host: '127.0.0.1', port: 7002 };
    const valid = group.assign(
      [
        { memberId: 'm1', userData: group.metadata() },
        { memberId: 'm2', userData: encodeMember(other) },
      ],
      4,
    )[0]?.userData as Buffer;
    group.assigned(valid);
    group.confirmed(Date.now());
    expect(cluster.stale(Date.now())).toBe(false);
    // Not a plan (another application in the group): the group's generation may have moved this node's
    // slots, so heartbeats of that generation confirm nothing.
    group.assigned(Buffer.from('not a plan'));
    expect(cluster.stale(Date.now())).toBe(true);
    group.confirmed(Date.now() + 10);
    expect(cluster.stale(Date.now())).toBe(true);
    group.assigned(valid);
    group.confirmed(Date.now() + 20);
    expect(cluster.stale(Date.now())).toBe(false);
    // The consumer crashed: kafkajs leaves the group at once.
    group.left();
    expect(cluster.refusesReads(Date.now())).toBe(true);
    group.confirmed(Date.now() - 1_000);
    expect(cluster.stale(Date.now())).toBe(true);
    group.confirmed(Date.now() + 30);
    expect(cluster.stale(Date.now())).toBe(false);
    expect(events).toEqual([true, false, true, false]);
  });

  it('a stall of most of the session timeout makes the plan stale until a heartbeat or join sent after it succeeds', () => {
    const unwatched = new Cluster(keyspace, keyspace.dbs[0]?.slots as SlotIndex, true);
    expect(unwatched.stale(Date.now() + 3_600_000)).toBe(false);
    const cluster = new Cluster(keyspace, keyspace.dbs[0]?.slots as SlotIndex, true);
    const events: [boolean, string][] = [];
    // A session timeout of 3 s: a stall of 2.4 s or more may have cost the node its place in the group.
    cluster.watchStalls(3000, (stale, detail) => events.push([stale, detail]));
    const t = Date.now();
    expect(cluster.stale(t + 100)).toBe(false);
    expect(cluster.stale(t + 2_400)).toBe(false);
    expect(cluster.stale(t + 4_900)).toBe(true);
    expect(events).toEqual([
      [true, 'the process stalled for 2500 ms, longer than most of cluster-node-timeout'],
    ]);
    // Stale until confirmed, however busy the node is since.
    expect(cluster.stale(t + 5_000)).toBe(true);
    // A heartbeat sent before the stall was noticed (say, answered while the process was stopped) is no
    // proof: the group may have dropped the node after it.
    cluster.confirmed(t + 4_800);
    expect(cluster.stale(t + 5_100)).toBe(true);
    cluster.confirmed(t + 4_950);
    expect(cluster.stale(t + 5_200)).toBe(false);
    expect(events).toHaveLength(2);
    expect(events[1]?.[0]).toBe(false);
  });

  it('no confirmation from the group for a whole session timeout (Kafka unreachable) makes the plan stale; cluster-allow-reads-when-down serves reads all the same', () => {
    const cluster = new Cluster(keyspace, keyspace.dbs[0]?.slots as SlotIndex, true);
    const events: [boolean, string][] = [];
    cluster.watchStalls(3000, (stale, detail) => events.push([stale, detail]));
    const t = Date.now();
    // Before the group first confirmed a plan there is nothing to lose.
    expect(cluster.stale(t + 100)).toBe(false);
    cluster.confirmed(t + 100);
    // The process runs all along (no stall), but no heartbeat succeeds.
    for (let x = 200; x < 3100; x += 100) expect(cluster.stale(t + x)).toBe(false);
    expect(cluster.stale(t + 3100)).toBe(true);
    expect(cluster.refusesReads(t + 3150)).toBe(true);
    expect(events).toEqual([
      [true, "the group has not confirmed this node's plan for 3000 ms (cluster-node-timeout)"],
    ]);
    cluster.allowReadsWhenDown = true;
    expect(cluster.refusesReads(t + 3200)).toBe(false);
    expect(cluster.stale(t + 3200)).toBe(true);
    cluster.allowReadsWhenDown = false;
    // A heartbeat sent before the lapse was noticed, answered late, is no proof.
    cluster.confirmed(t + 3000);
    expect(cluster.refusesReads(t + 3300)).toBe(true);
    // One sent after it is; the lapse is measured from it again.
    cluster.confirmed(t + 3250);
    expect(cluster.refusesReads(t + 3300)).toBe(false);
    for (let x = 3400; x < 6250; x += 100) expect(cluster.stale(t + x)).toBe(false);
    expect(cluster.stale(t + 6250)).toBe(true);
    expect(events.map(([stale]) => stale)).toEqual([true, false, true]);
  });
});
