/**
 * Cluster mode, differentially against redis-server 7.0.15 in cluster mode:
 *
 * - a one-node sluice-server cluster (`--cluster-enabled yes`, no Kafka) and a one-node redis-server
 *   cluster that serves all 16384 slots answer the same requests with the same bytes, RESP2 and RESP3
 *   (node ids and ports aside): CLUSTER subcommands and their errors, CROSSSLOT for commands,
 *   transactions, WATCH and scripts, the commands cluster mode refuses (SELECT 1, SWAPDB, MOVE, SORT BY);
 * - CLUSTER KEYSLOT for thousands of keys with and without hash tags;
 * - MOVED, CROSSSLOT and CLUSTERDOWN: a single sluice-server serves every slot, so these are checked by
 *   routing each request through Sluice's own routing (cluster/routing.ts, what its dispatcher and
 *   scripts call) over the topology a real 3-node redis-server cluster reports, and comparing with what
 *   that cluster answers; the same for a redis-server node that serves a third of the slots (down);
 * - CLUSTER SLOTS, SHARDS, NODES and INFO of that 3-node topology, rendered by Sluice's handlers.
 */
import { Args } from '@sluice/protocol';
import {
  connectRaw,
  type RawClient,
  type RedisCluster,
  type RunningServer,
  startRedis,
  startRedisCluster,
  startSluice,
} from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RoutedCommand, redirectReply, route } from '../../src/cluster/routing.js';
import { type ClusterNode, ClusterTopology, type NodeAssignment } from '../../src/cluster/topology.js';
import { allCommands } from '../../src/commands/index.js';
import { CommandTable } from '../../src/commands/table.js';
import { useKeyspace } from '../unit/context.js';
import { random } from './differential.js';
import { parse } from './resp.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

const table = new CommandTable(allCommands);

function routed(argv: readonly string[]): RoutedCommand {
  const args = Args.of(argv.map((a) => Buffer.from(a, 'latin1')));
  let def = table.lookup(args);
  if (def?.subcommands !== undefined) def = table.lookupSubcommand(def, args);
  if (def === undefined) throw new Error(`no command ${argv[0]}`);
  return { def, args };
}

/** Our routing's reply for commands run as one (a command, or a transaction's), or null when served here. */
function ourRoute(
  topology: ClusterTopology,
  commands: readonly (readonly string[])[],
  readOnly = false,
): string | null {
  const list = commands.map(routed);
  const r = route(
    topology,
    list,
    readOnly,
    list.some((c) => c.def.writes),
  );
  return r === null ? null : `-${redirectReply(r)}\r\n`;
}

/** The topology a redis-server node reports (CLUSTER SLOTS, CLUSTER MYID), as a Sluice topology. */
async function topologyOf(port: number): Promise<ClusterTopology> {
  const c = await connectRaw(port);
  const myId = parse(await c.call('CLUSTER', 'MYID')) as string;
  const slots = parse(await c.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
  await c.close();
  const nodes = new Map<string, { node: ClusterNode; primary: [number, number][] }>();
  for (const [start, end, [host, p, id]] of slots) {
    const entry = nodes.get(id) ?? { node: { id, host, port: p }, primary: [] };
    entry.primary.push([start, end]);
    nodes.set(id, entry);
  }
  const assignments: NodeAssignment[] = [...nodes.values()];
  const myself = nodes.get(myId)?.node ?? { id: myId, host: '127.0.0.1', port };
  return new ClusterTopology(myself, assignments);
}

/** Requests of the one-node comparison, in order, on one connection. */
const ONE_NODE: readonly (readonly string[])[] = [
  ['CLUSTER', 'INFO'],
  ['CLUSTER', 'SLOTS'],
  ['CLUSTER', 'SHARDS'],
  ['CLUSTER', 'MYID'],
  ['CLUSTER', 'KEYSLOT', '{user1}:a'],
  ['CLUSTER', 'KEYSLOT', ''],
  ['CLUSTER', 'COUNTKEYSINSLOT', '15495'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '16384'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '-1'],
  ['CLUSTER', 'COUNTKEYSINSLOT', 'x'],
  ['CLUSTER', 'GETKEYSINSLOT', '15495', '10'],
  ['CLUSTER', 'GETKEYSINSLOT', '15495', '-1'],
  ['CLUSTER', 'GETKEYSINSLOT', '16384', '1'],
  ['CLUSTER', 'GETKEYSINSLOT', 'x', '1'],
  ['CLUSTER', 'GETKEYSINSLOT', '1', 'x'],
  ['CLUSTER', 'KEYSLOT'],
  ['CLUSTER', 'MYID', 'x'],
  ['CLUSTER', 'NOSUCH'],
  ['CLUSTER'],
  ['READONLY'],
  ['READWRITE'],
  ['ASKING'],
  ['READONLY', 'x'],
  ['SET', 'a', '1'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '15495'],
  ['CLUSTER', 'GETKEYSINSLOT', '15495', '10'],
  ['SET', '{a}b', '2'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '15495'],
  ['CLUSTER', 'GETKEYSINSLOT', '15495', '0'],
  ['MGET', 'a', '{a}b'],
  // Slots: a 15495, b 3300, f 3168.
  ['MGET', 'a', 'b'],
  ['MSET', 'a', '1', 'b', '2'],
  ['DEL', 'a', 'b'],
  ['EXISTS', 'a', '{a}b', 'a'],
  ['RENAME', 'a', 'b'],
  ['RENAME', 'a', '{a}c'],
  ['SMOVE', 'a', 'b', 'm'],
  ['BITOP', 'AND', 'b', 'f'],
  ['LMOVE', '{l}1', '{l}2', 'LEFT', 'RIGHT'],
  ['BLPOP', 'a', 'b', '0.01'],
  ['SINTERCARD', '2', 'b', 'f'],
  ['MULTI'],
  ['SET', 'b', '1'],
  ['SET', 'f', '1'],
  ['EXEC'],
  ['MULTI'],
  ['SET', 'b', '1'],
  ['GET', 'b'],
  ['EXEC'],
  ['MULTI'],
  ['GET', 'b'],
  ['MGET', 'b', 'f'],
  ['EXEC'],
  ['WATCH', 'b', 'f'],
  ['WATCH', 'b'],
  ['MULTI'],
  ['EXEC'],
  ['EVAL', 'return 1', '2', 'b', 'f'],
  ['EVAL', "return redis.call('mget','b','f')", '0'],
  ['EVAL', "return redis.pcall('mget','b','f')", '0'],
  ['EVAL', "redis.call('set','b','1') return redis.call('get','f')", '0'],
  ['EVAL_RO', "return redis.call('get',KEYS[1])", '1', 'b'],
  ['FCALL', 'nosuch', '2', 'b', 'f'],
  ['EVAL', '#!lua flags=no-cluster\nreturn 1', '0'],
  ['EVAL', '#!lua flags=allow-cross-slot-keys\nreturn redis.call("mget", "b", "f")', '0'],
  ['EVAL', '#!lua\nreturn 2', '0'],
  ['SELECT', '0'],
  ['SELECT', '1'],
  ['SELECT', 'x'],
  ['SWAPDB', '0', '1'],
  ['MOVE', 'b', '1'],
  ['COPY', 'b', '{b}c'],
  ['COPY', 'b', '{b}c', 'DB', '1'],
  ['COPY', 'b', '{b}c', 'DB', '0', 'REPLACE'],
  ['RPUSH', 'l', '3', '1', '2'],
  ['SORT', 'l', 'BY', 'w_*'],
  ['SORT', 'l', 'BY', 'nosort'],
  ['SORT', 'l', 'GET', '#'],
  ['SORT', 'l', 'BY', 'w_*', 'GET', '#'],
  ['SORT', 'l', 'LIMIT', 'x', '1', 'BY', 'w_*'],
  ['SORT_RO', 'l', 'BY', 'w_*'],
  ['SORT', 'l', 'STORE', '{l}d'],
  ['SORT', 'l', 'STORE', 'd'],
  ['SSUBSCRIBE', 'b', 'f'],
  ['SPUBLISH', 'b', 'm'],
  ['PUBLISH', 'a', 'm'],
  ['INFO', 'cluster'],
  ['FLUSHALL'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '15495'],
  ['DBSIZE'],
];

/** Requests for the 3-node comparison of MOVED and CROSSSLOT; each is sent alone. */
const THREE_NODES: readonly (readonly string[])[] = [
  ['GET', 'a'],
  ['GET', 'b'],
  ['GET', 'c'],
  ['SET', 'foo', 'v'],
  ['SET', '{a}x', 'v'],
  ['MGET', 'a', 'b'],
  ['MGET', 'b', 'f'],
  ['MGET', '{a}1', '{a}2', 'a'],
  ['MSET', '{c}1', 'v', '{c}2', 'v'],
  ['DEL', 'b', 'f', 'j'],
  ['EVAL', 'return 1', '1', 'a'],
  ['EVAL', 'return 1', '0'],
  ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '1', 'c'],
  ['FCALL', 'nosuch', '1', 'foo'],
  ['SORT', 'b', 'STORE', 'a'],
  ['SPUBLISH', 'a', 'm'],
  ['SSUBSCRIBE', 'b', 'f'],
  ['OBJECT', 'ENCODING', 'a'],
  ['PFCOUNT', 'a', 'c'],
  ['WATCH', 'c'],
  ['PING'],
  ['CLUSTER', 'KEYSLOT', 'a'],
];

/** Keys for CLUSTER KEYSLOT: random bytes with braces in every position. */
function slotKeys(n: number): string[] {
  const rnd = random(18);
  const alphabet = ['{', '}', 'a', 'b', 'user', '1', '\x00', '\xff', ':', '{}'];
  return Array.from({ length: n }, () => {
    let key = '';
    const parts = rnd.below(8);
    for (let i = 0; i < parts; i++) key += rnd.pick(alphabet);
    return key;
  });
}

/** Replaces a node's id and port by placeholders of the same length, so that lengths stay right. */
function anonymous(raw: string, id: string, port: number): string {
  return raw.split(id).join('I'.repeat(40)).split(`:${port}\r\n`).join(':PPPPP\r\n');
}

describe('cluster mode against redis-server 7.0.15 in cluster mode', { timeout: TEST_TIMEOUT_MS }, () => {
  let one: RedisCluster;
  let three: RedisCluster;
  let third: RedisCluster;
  let sluice: RunningServer;
  let sluiceId: string;
  let redisId: string;

  beforeAll(async () => {
    [one, three, third, sluice] = await Promise.all([
      startRedisCluster({ slots: [[[0, 16383]]] }),
      startRedisCluster({ nodes: 3 }),
      startRedisCluster({ slots: [[[0, 5460]]] }),
      startSluice({ args: ['--cluster-enabled', 'yes'] }),
    ]);
    const ids = async (port: number): Promise<string> => {
      const c = await connectRaw(port);
      const id = parse(await c.call('CLUSTER', 'MYID')) as string;
      await c.close();
      return id;
    };
    [sluiceId, redisId] = await Promise.all([ids(sluice.port), ids(one.nodes[0]?.port as number)]);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([one?.dispose(), three?.dispose(), third?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    it('a one-node cluster answers as a one-node redis-server cluster, byte for byte', async () => {
      const redisPort = one.nodes[0]?.port as number;
      const run = async (port: number, id: string): Promise<string[]> => {
        const c = await connectRaw(port);
        if (proto === 3) await c.call('HELLO', '3');
        await c.call('FLUSHALL');
        const out: string[] = [];
        for (const argv of ONE_NODE) out.push(anonymous(await c.call(...argv), id, port));
        await c.close();
        return out;
      };
      const theirs = await run(redisPort, redisId);
      const ours = await run(sluice.port, sluiceId);
      ONE_NODE.forEach((argv, i) => {
        expect({ request: argv.join(' '), reply: ours[i] }).toEqual({
          request: argv.join(' '),
          reply: theirs[i],
        });
      });
    });

    it('CLUSTER NODES: the same line but for the bus port (Sluice has no bus: 0)', async () => {
      const line = async (port: number, id: string): Promise<string> => {
        const c = await connectRaw(port);
        if (proto === 3) await c.call('HELLO', '3');
        const text = String(parse(await c.call('CLUSTER', 'NODES')));
        await c.close();
        return text.replace(id, '<id>').replace(`:${port}@`, ':<port>@');
      };
      const theirs = await line(one.nodes[0]?.port as number, redisId);
      const ours = await line(sluice.port, sluiceId);
      expect(theirs).toMatch(/^<id> 127\.0\.0\.1:<port>@\d+ myself,master - 0 0 0 connected 0-16383\n$/);
      expect(ours).toBe(theirs.replace(/@\d+ /, '@0 '));
    });
  });

  it('HELLO and INFO say cluster mode as redis-server does', async () => {
    for (const port of [sluice.port, one.nodes[0]?.port as number]) {
      const c = await connectRaw(port);
      const hello = parse(await c.call('HELLO', '3')) as Map<string, unknown>;
      expect(hello.get('mode')).toBe('cluster');
      expect(String(parse(await c.call('INFO', 'server')))).toContain('\r\nredis_mode:cluster\r\n');
      expect(String(parse(await c.call('INFO')))).toContain('\r\n# Cluster\r\ncluster_enabled:1\r\n');
      await c.close();
    }
  });

  it('CLIENT LIST flags r for a READONLY connection', async () => {
    for (const port of [sluice.port, one.nodes[0]?.port as number]) {
      const c = await connectRaw(port);
      await c.call('READONLY');
      expect(String(parse(await c.call('CLIENT', 'INFO')))).toMatch(/ flags=r /);
      await c.call('READWRITE');
      expect(String(parse(await c.call('CLIENT', 'INFO')))).toMatch(/ flags=N /);
      await c.call('READONLY');
      await c.call('RESET');
      expect(String(parse(await c.call('CLIENT', 'INFO')))).toMatch(/ flags=N /);
      await c.close();
    }
  });

  it('CLUSTER KEYSLOT of 3,000 keys with and without hash tags', async () => {
    const keys = slotKeys(3000);
    const slots = async (port: number): Promise<string[]> => {
      const c = await connectRaw(port);
      for (const key of keys) c.sendCommand('CLUSTER', 'KEYSLOT', Buffer.from(key, 'latin1'));
      const replies = await c.readReplies(keys.length, 20_000);
      await c.close();
      return replies;
    };
    const [theirs, ours] = await Promise.all([slots(one.nodes[0]?.port as number), slots(sluice.port)]);
    expect(ours).toEqual(theirs);
    expect(new Set(ours).size).toBeGreaterThan(100);
  });

  it('MOVED and CROSSSLOT: Sluice routes each request as a 3-node redis-server cluster does', async () => {
    for (const node of three.nodes) {
      const topology = await topologyOf(node.port);
      const c = await connectRaw(node.port);
      for (const readOnly of [false, true]) {
        if (readOnly) await c.call('READONLY');
        for (const argv of THREE_NODES) {
          const reply = await c.call(...argv);
          const ours = ourRoute(topology, [argv], readOnly);
          const request = `${node.port}${readOnly ? ' READONLY' : ''}: ${argv.join(' ')}`;
          if (ours !== null) expect({ request, reply: ours }).toEqual({ request, reply });
          else
            expect({ request, reply }).not.toMatchObject({
              reply: expect.stringMatching(/^-(MOVED|CROSSSLOT|CLUSTERDOWN|ASK) /),
            });
        }
      }
      await c.close();
    }
  });

  it('a transaction: its queued commands are routed one by one, then together at EXEC', async () => {
    const node = three.nodes[0] as RunningServer;
    const topology = await topologyOf(node.port);
    const mine = THREE_NODES.filter((argv) => ourRoute(topology, [argv]) === null && argv[0] !== 'PING');
    expect(mine.length).toBeGreaterThan(0);
    const transactions: (readonly string[])[][] = [
      [
        ['GET', 'b'],
        ['SET', 'b', '1'],
      ],
      [
        ['GET', 'b'],
        ['GET', 'f'],
      ],
      [['SET', '{b}1', '1'], ['PING'], ['GET', 'b']],
      [
        ['GET', 'b'],
        ['GET', 'a'],
      ],
    ];
    const c = await connectRaw(node.port);
    for (const commands of transactions) {
      expect(await c.call('MULTI')).toBe('+OK\r\n');
      let refused = false;
      for (const argv of commands) {
        const reply = await c.call(...argv);
        const ours = ourRoute(topology, [argv]);
        expect({ argv, reply }).toEqual({ argv, reply: ours ?? '+QUEUED\r\n' });
        if (ours !== null) refused = true;
      }
      const exec = await c.call('EXEC');
      const ours = ourRoute(topology, commands);
      if (refused) expect(exec).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
      else if (ours !== null) expect({ commands, exec }).toEqual({ commands, exec: ours });
      else expect(exec).toMatch(/^\*/);
    }
    await c.close();
  });

  it('CLUSTERDOWN as a redis-server node that serves a third of the slots gives it', async () => {
    const node = third.nodes[0] as RunningServer;
    const topology = await topologyOf(node.port);
    expect(topology.ok).toBe(false);
    const c = await connectRaw(node.port);
    // Slots: b 3300 (served), a 15495 and c 7365 (not served).
    for (const argv of [
      ['GET', 'b'],
      ['GET', 'a'],
      ['MGET', 'a', 'b'],
      ['MGET', 'b', 'a'],
      ['SPUBLISH', 'b', 'm'],
      ['PING'],
    ]) {
      const reply = await c.call(...argv);
      const ours = ourRoute(topology, [argv]);
      if (ours !== null) expect({ argv, reply: ours }).toEqual({ argv, reply });
      else expect(reply).not.toMatch(/^-/);
    }
    expect(await c.call('GET', 'a')).toBe('-CLUSTERDOWN Hash slot not served\r\n');
    expect(await c.call('GET', 'b')).toBe('-CLUSTERDOWN The cluster is down\r\n');
    await c.close();
  });

  describe("Sluice's CLUSTER handlers over the 3-node topology", () => {
    const { context } = useKeyspace();

    it('CLUSTER SLOTS, SHARDS, NODES and INFO list what redis-server lists', async () => {
      const node = three.nodes[0] as RunningServer;
      const topology = await topologyOf(node.port);
      const ctx = context();
      ctx.server.cluster = {
        topology,
        countKeysInSlot: () => 0,
        keysInSlot: () => [],
        stateOk: () => topology.ok,
        refusesReads: () => false,
      };
      const r = await connectRaw(node.port);
      const bySlot = (v: unknown): unknown[] => [...(v as [number][])].sort((x, y) => x[0] - y[0]);
      expect(bySlot(parse(ctx.call('CLUSTER', 'SLOTS')))).toEqual(
        bySlot(parse(await r.call('CLUSTER', 'SLOTS'))),
      );
      const shardKey = (s: unknown): string => JSON.stringify((s as unknown[])[1]);
      const shards = (v: unknown): unknown[] =>
        [...(v as unknown[])].sort((x, y) => (shardKey(x) < shardKey(y) ? -1 : 1));
      expect(shards(parse(ctx.call('CLUSTER', 'SHARDS')))).toEqual(
        shards(parse(await r.call('CLUSTER', 'SHARDS'))),
      );
      // NODES: id, address, flags, primary, link state and slots agree; Sluice has no bus, pings and per-node epochs.
      const lines = (text: string): string[] =>
        text
          .trim()
          .split('\n')
          .map((l) => {
            const f = l.split(' ');
            return [f[0], (f[1] as string).replace(/@\d+$/, ''), f[2], f[3], f[7], ...f.slice(8)].join(' ');
          })
          .sort();
      expect(lines(String(parse(ctx.call('CLUSTER', 'NODES'))))).toEqual(
        lines(String(parse(await r.call('CLUSTER', 'NODES')))),
      );
      // INFO: the same fields, but for the counts of gossip messages by type, which redis-server lists
      // only once some were sent (Sluice sends none).
      const fields = (text: string): string[] =>
        text
          .split('\r\n')
          .filter((l) => l !== '')
          .map((l) => l.slice(0, l.indexOf(':')));
      const theirs = fields(String(parse(await r.call('CLUSTER', 'INFO'))));
      const ours = fields(String(parse(ctx.call('CLUSTER', 'INFO'))));
      expect(
        theirs
          .filter((f) => !ours.includes(f))
          .every((f) => /^cluster_stats_messages_\w+_(sent|received)$/.test(f)),
      ).toBe(true);
      expect(ours.filter((f) => !theirs.includes(f))).toEqual([]);
      expect(String(parse(ctx.call('CLUSTER', 'INFO')))).toContain(
        'cluster_state:ok\r\ncluster_slots_assigned:16384\r\n',
      );
      expect(String(parse(ctx.call('CLUSTER', 'INFO')))).toContain(
        'cluster_known_nodes:3\r\ncluster_size:3\r\n',
      );
      await r.close();
    });
  });
});

describe('without cluster mode, as redis-server without cluster-enabled', {
  timeout: TEST_TIMEOUT_MS,
}, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  it('refuses the cluster commands, keeps SELECT, and says cluster_enabled:0', async () => {
    const requests = [
      ['CLUSTER', 'INFO'],
      ['CLUSTER', 'KEYSLOT', 'a'],
      ['CLUSTER', 'HELP'],
      ['CLUSTER', 'GETKEYSINSLOT', 'x', 'y'],
      ['CLUSTER', 'NOSUCH'],
      ['READONLY'],
      ['READWRITE'],
      ['ASKING'],
      ['MGET', 'a', 'b'],
      ['SELECT', '1'],
      ['SORT', 'nolist', 'BY', 'w_*', 'GET', '#'],
      ['INFO', 'cluster'],
    ];
    for (const proto of [2, 3]) {
      const [r, s] = (await Promise.all([connectRaw(redis.port), connectRaw(sluice.port)])) as [
        RawClient,
        RawClient,
      ];
      if (proto === 3) for (const c of [r, s]) await c.call('HELLO', '3');
      for (const argv of requests) {
        expect({ argv, reply: await s.call(...argv) }).toEqual({ argv, reply: await r.call(...argv) });
      }
      await Promise.all([r.close(), s.close()]);
    }
  });
});
