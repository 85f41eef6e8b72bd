/**
 * Cluster mode's parts on their own: the topology, and the routing of commands
 * (redis-server's getNodeByQuery) over topologies of several nodes, which a single sluice-server cannot
 * have without Kafka. The same routing is compared with a real 3-node redis-server cluster in
 * test/compat/cluster.test.ts. Hash slots themselves are tested in the protocol package (slot.test.ts).
 */
import { Args, SLOTS } from '@sluice/protocol';
import { describe, expect, it } from 'vitest';
import { isRouted, type RoutedCommand, redirectReply, route } from '../../src/cluster/routing.js';
import { type ClusterNode, ClusterTopology } from '../../src/cluster/topology.js';
import { allCommands } from '../../src/commands/index.js';
import { CommandTable } from '../../src/commands/table.js';

const table = new CommandTable(allCommands);

function cmd(...argv: string[]): RoutedCommand {
  const args = Args.of(argv.map((a) => Buffer.from(a, 'latin1')));
  let def = table.lookup(args);
  if (def?.subcommands !== undefined) def = table.lookupSubcommand(def, args);
  if (def === undefined) throw new Error(`no command ${argv[0]}`);
  return { def, args };
}

const node = (n: number, port: number): ClusterNode => ({ id: String(n).repeat(40), host: '10.0.0.1', port });
const A = node(1, 7001);
const B = node(2, 7002);
const C = node(3, 7003);

describe('ClusterTopology', () => {
  it('a one-node cluster serves every slot', () => {
    const t = ClusterTopology.single(A);
    expect(t.ok).toBe(true);
    expect(t.assigned).toBe(SLOTS);
    expect(t.size).toBe(1);
    expect(t.ranges).toEqual([{ start: 0, end: SLOTS - 1, primary: A, standbys: [] }]);
    expect(t.primaryOf(0)).toBe(A);
    expect(t.primarySpans(A)).toEqual([[0, SLOTS - 1]]);
  });

  const three = new ClusterTopology(A, [
    { node: A, primary: [[0, 5460]], standby: [[5461, 10922]] },
    { node: B, primary: [[5461, 10922]], standby: [[10923, 16383]] },
    { node: C, primary: [[10923, 16383]], standby: [[0, 5460]] },
  ]);

  it('ranges list each run of slots with its primary and standbys', () => {
    expect(three.ranges).toEqual([
      { start: 0, end: 5460, primary: A, standbys: [C] },
      { start: 5461, end: 10922, primary: B, standbys: [A] },
      { start: 10923, end: 16383, primary: C, standbys: [B] },
    ]);
    expect(three.hasStandby(6000)).toBe(true);
    expect(three.hasStandby(100)).toBe(false);
    expect(three.nodes).toEqual([A, B, C]);
  });

  it('shards group the slots of one primary and its standbys', () => {
    const t = new ClusterTopology(A, [
      {
        node: A,
        primary: [
          [0, 99],
          [200, 299],
        ],
      },
      {
        node: B,
        primary: [
          [100, 199],
          [300, 16383],
        ],
        standby: [[0, 99]],
      },
    ]);
    expect(t.shards()).toEqual([
      { spans: [[0, 99]], nodes: [A, B] },
      {
        spans: [
          [100, 199],
          [300, 16383],
        ],
        nodes: [B],
      },
      { spans: [[200, 299]], nodes: [A] },
    ]);
    expect(t.primarySpans(A)).toEqual([
      [0, 99],
      [200, 299],
    ]);
  });

  it('is down while a slot has no primary', () => {
    const t = new ClusterTopology(A, [{ node: A, primary: [[0, 100]] }]);
    expect(t.ok).toBe(false);
    expect(t.assigned).toBe(101);
    expect(t.primaryOf(101)).toBeUndefined();
  });

  it('refuses a slot with two primaries, bad ids and spans out of range', () => {
    expect(
      () =>
        new ClusterTopology(A, [
          { node: A, primary: [[0, 10]] },
          { node: B, primary: [[10, 20]] },
        ]),
    ).toThrow(/slot 10 has two primaries/);
    expect(() => ClusterTopology.single({ id: 'x', host: '', port: 1 })).toThrow(/40 hex/);
    expect(() => new ClusterTopology(A, [{ node: A, primary: [[0, SLOTS]] }])).toThrow(/not within/);
  });
});

describe('routing (getNodeByQuery)', () => {
  const t = new ClusterTopology(A, [
    { node: A, primary: [[0, 5460]], standby: [[5461, 10922]] },
    { node: B, primary: [[5461, 10922]] },
    { node: C, primary: [[10923, 16383]] },
  ]);
  // Slots: b 3300 (A), c 7365 (B), a 15495 (C), f 3168 (A).
  const reply = (c: RoutedCommand | RoutedCommand[], readOnly = false): string | null => {
    const list = Array.isArray(c) ? c : [c];
    const r = route(
      t,
      c,
      readOnly,
      list.some((q) => q.def.writes),
    );
    return r === null ? null : redirectReply(r);
  };

  it('runs commands whose keys are in a slot served here, and keyless ones', () => {
    expect(reply(cmd('GET', 'b'))).toBeNull();
    expect(reply(cmd('MSET', 'b', '1', '{b}x', '2'))).toBeNull();
    expect(reply(cmd('PING'))).toBeNull();
    expect(reply(cmd('EVAL', 'return 1', '0'))).toBeNull();
  });

  it('redirects to the primary of the slot', () => {
    expect(reply(cmd('GET', 'a'))).toBe('MOVED 15495 10.0.0.1:7003');
    expect(reply(cmd('SET', 'c', '1'))).toBe('MOVED 7365 10.0.0.1:7002');
    expect(reply(cmd('EVAL', 'return 1', '1', 'a'))).toBe('MOVED 15495 10.0.0.1:7003');
    expect(reply(cmd('SPUBLISH', 'a', 'm'))).toBe('MOVED 15495 10.0.0.1:7003');
  });

  it('refuses keys of two slots, even both served here', () => {
    const crossslot = "CROSSSLOT Keys in request don't hash to the same slot";
    expect(reply(cmd('MGET', 'b', 'f'))).toBe(crossslot);
    expect(reply(cmd('MGET', 'b', 'a'))).toBe(crossslot);
    expect(reply(cmd('SORT', 'b', 'STORE', 'f'))).toBe(crossslot);
    expect(reply(cmd('EVAL', 'return 1', '2', 'b', 'f'))).toBe(crossslot);
    expect(reply(cmd('SSUBSCRIBE', 'b', 'f'))).toBe(crossslot);
  });

  it('routes a transaction by the keys of all its commands', () => {
    expect(reply([cmd('SET', 'b', '1'), cmd('GET', 'b')])).toBeNull();
    expect(reply([cmd('SET', 'b', '1'), cmd('GET', 'f')])).toBe(
      "CROSSSLOT Keys in request don't hash to the same slot",
    );
    expect(reply([cmd('PING'), cmd('GET', 'c')])).toBe('MOVED 7365 10.0.0.1:7002');
  });

  it('serves READONLY reads of a standby copy, but not writes', () => {
    expect(reply(cmd('GET', 'c'), true)).toBeNull();
    expect(reply(cmd('GET', 'c'), false)).toBe('MOVED 7365 10.0.0.1:7002');
    expect(reply(cmd('SET', 'c', '1'), true)).toBe('MOVED 7365 10.0.0.1:7002');
    expect(reply([cmd('GET', 'c'), cmd('SET', 'c', '1')], true)).toBe('MOVED 7365 10.0.0.1:7002');
    // No standby copy here: redirected even when READONLY.
    expect(reply(cmd('GET', 'a'), true)).toBe('MOVED 15495 10.0.0.1:7003');
  });

  it("a stale node refuses reads of its keys and of its standby copies, not writes, shard channels or other nodes' keys", () => {
    const stale = (c: RoutedCommand, readOnly = false): string | null => {
      const x = route(t, c, readOnly, c.def.writes, true);
      return x === null ? null : redirectReply(x);
    };
    expect(stale(cmd('GET', 'b'))).toBe('CLUSTERDOWN The cluster is down');
    expect(stale(cmd('GET', 'c'), true)).toBe('CLUSTERDOWN The cluster is down');
    expect(stale(cmd('SET', 'b', '1'))).toBeNull();
    expect(stale(cmd('GET', 'a'))).toBe('MOVED 15495 10.0.0.1:7003');
    expect(stale(cmd('SSUBSCRIBE', 'b'))).toBeNull();
    expect(stale(cmd('SPUBLISH', 'b', 'm'))).toBeNull();
    expect(stale(cmd('SSUBSCRIBE', 'c'), true)).toBeNull();
  });

  it('says when a slot is not served, and when the cluster is down', () => {
    const partial = new ClusterTopology(A, [{ node: A, primary: [[0, 5460]] }]);
    const r = (c: RoutedCommand): string | null => {
      const x = route(partial, c, false, c.def.writes);
      return x === null ? null : redirectReply(x);
    };
    expect(r(cmd('GET', 'a'))).toBe('CLUSTERDOWN Hash slot not served');
    // The first key's slot is looked up before the second key is read.
    expect(r(cmd('MGET', 'a', 'b'))).toBe('CLUSTERDOWN Hash slot not served');
    expect(r(cmd('MGET', 'b', 'a'))).toBe("CROSSSLOT Keys in request don't hash to the same slot");
    expect(r(cmd('GET', 'b'))).toBe('CLUSTERDOWN The cluster is down');
    expect(r(cmd('SPUBLISH', 'b', 'm'))).toBeNull();
    expect(r(cmd('PING'))).toBeNull();
  });

  it('routes every command with keys, movable keys, or EXEC', () => {
    const routed = allCommands.flatMap((d) => [d, ...(d.subcommands ?? [])]).filter(isRouted);
    const names = routed.map((d) => d.spec.name);
    for (const name of [
      'get',
      'mset',
      'eval',
      'fcall',
      'sort',
      'exec',
      'spublish',
      'watch',
      'object|encoding',
    ])
      expect(names).toContain(name);
    for (const name of ['ping', 'cluster|keyslot', 'keys', 'publish', 'multi'])
      expect(names).not.toContain(name);
  });
});
