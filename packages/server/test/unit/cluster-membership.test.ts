/**
 * The cluster plan a consumer group's leader makes (cluster/membership.ts): slots to partitions in
 * contiguous ranges for any partition count, nodes sorted and deduplicated by id, contiguous runs of
 * partitions as primary, standby copies from the next nodes in the ring.
 */
import { describe, expect, it } from 'vitest';
import {
  assignmentsOf,
  decodeMember,
  decodePlan,
  encodeMember,
  encodePlan,
  memberPartitions,
  partitionOfSlot,
  plan,
  slotsOfPartition,
} from '../../src/cluster/membership.js';
import { ClusterTopology } from '../../src/cluster/topology.js';

const node = (c: string, port: number) => ({ id: c.repeat(40), host: '127.0.0.1', port });

describe('slots and partitions', () => {
  for (const partitions of [1, 2, 3, 6, 7, 64, 1000, 16384]) {
    it(`${partitions} partition(s): each partition is a contiguous run of slots, the inverse of partitionOfSlot`, () => {
      let next = 0;
      for (let p = 0; p < partitions; p++) {
        const [start, end] = slotsOfPartition(p, partitions);
        expect(start).toBe(next);
        expect(end).toBeGreaterThanOrEqual(start);
        expect(partitionOfSlot(start, partitions)).toBe(p);
        expect(partitionOfSlot(end, partitions)).toBe(p);
        next = end + 1;
      }
      expect(next).toBe(16384);
    });
  }
});

describe('the plan', () => {
  const a = node('a', 1);
  const b = node('b', 2);
  const c = node('c', 3);

  it('sorts nodes by id and gives each a contiguous run, standbys from the next nodes', () => {
    const members = [
      { memberId: 'm3', node: c },
      { memberId: 'm1', node: a },
      { memberId: 'm2', node: b },
    ];
    const p = plan(members, 6, 1);
    expect(p.nodes.map((n) => [n.port, n.primary, n.standby])).toEqual([
      [1, [0, 1], [2, 3]],
      [2, [2, 3], [4, 5]],
      [3, [4, 5], [0, 1]],
    ]);
    expect(memberPartitions(members, p).get('m1')).toEqual([0, 1, 2, 3]);
    const t = new ClusterTopology(b, assignmentsOf(decodePlan(encodePlan(p)) ?? p));
    expect(t.ok).toBe(true);
    expect(t.ranges.map((r) => [r.start, r.end, r.primary.port, r.standbys.map((s) => s.port)])).toEqual([
      [0, 5461, 1, [3]],
      [5462, 10922, 2, [1]],
      [10923, 16383, 3, [2]],
    ]);
  });

  it('counts a node once when two members (an old consumer and its new one) say they are it', () => {
    const members = [
      { memberId: 'old', node: a },
      { memberId: 'new', node: a },
      { memberId: 'm2', node: b },
      { memberId: 'stranger', node: decodeMember(Buffer.from('not json')) },
    ];
    const p = plan(members, 4, 0);
    expect(p.nodes.map((n) => [n.port, n.primary, n.standby])).toEqual([
      [1, [0, 1], []],
      [2, [2, 3], []],
    ]);
    const each = memberPartitions(members, p);
    expect(each.get('old')).toEqual([0, 1]);
    expect(each.get('new')).toEqual([0, 1]);
    expect(each.get('stranger')).toEqual([]);
  });

  it('more nodes than partitions: some serve nothing; standbys never exceed the other nodes', () => {
    const p = plan(
      [a, b, c].map((n, i) => ({ memberId: `m${i}`, node: n })),
      2,
      5,
    );
    expect(p.nodes.map((n) => n.primary)).toEqual([[], [0], [1]]);
    expect(p.nodes.map((n) => n.standby)).toEqual([[0, 1], [1], [0]]);
    expect(decodeMember(encodeMember(a))).toEqual(a);
  });
});
