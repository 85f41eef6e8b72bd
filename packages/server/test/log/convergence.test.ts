/**
 * Log mode's main promise: three nodes on one topic, written at once through redis-cli, ioredis and
 * redis-py (one client library on each node), with kcat producing to the same topic in between, end up
 * holding the same state, and that state is the latest record of each key that kcat reads back from the
 * topic, expiries included.
 */
import {
  latestPerKey,
  produceWithKcat,
  python,
  type RunningServer,
  readTopicWithKcat,
  redisCli,
  type TopicRecord,
} from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, diff, eventually, type KeyState, LogCluster, readState, waitApplied } from './nodes.js';

const KEYS = 60;

/** The state the topic describes, as a node should hold it. */
function stateOf(records: readonly TopicRecord[], now = Date.now()): Map<string, KeyState> {
  const state = new Map<string, KeyState>();
  for (const [key, r] of latestPerKey(records)) {
    const at = r.headers['sluice-expire-at'];
    const expireAt = at === undefined ? -1 : Number(at);
    if (expireAt !== -1 && expireAt <= now) continue;
    state.set(key, { value: r.value ?? '', expireAt });
  }
  return state;
}

/** Every partition's last offset, as kcat read the topic. */
function endsOf(records: readonly TopicRecord[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const r of records) ends.set(r.partition, Math.max(ends.get(r.partition) ?? -1, r.offset));
  return ends;
}

describe('log mode: three nodes on one topic', () => {
  let cluster: LogCluster;
  let nodes: RunningServer[];

  beforeAll(async () => {
    cluster = await LogCluster.start('converge', 4);
    nodes = [await cluster.node(), await cluster.node(), await cluster.node()];
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('converge to the latest record of each key, written by redis-cli, ioredis, redis-py and kcat at once', async () => {
    const [a, b, c] = nodes as [RunningServer, RunningServer, RunningServer];
    const key = (i: number) => `k${i % KEYS}`;

    // ioredis on node A: single commands, pipelines, read-modify-writes and expiries.
    const viaIoredis = (async () => {
      const r = client(a.port);
      try {
        for (let round = 0; round < 20; round++) {
          const p = r.pipeline();
          for (let i = 0; i < 10; i++) p.set(key(round * 7 + i), `io-${round}-${i}`);
          p.incr(key(round));
          p.set(key(round + 3), `io-ttl-${round}`, 'PX', 600_000);
          p.del(key(round + 5));
          p.append(key(round + 9), '+io');
          await p.exec();
        }
      } finally {
        r.disconnect();
      }
    })();

    // redis-py on node B, through the real client in a child process.
    const viaPython = python(`
import redis
r = redis.Redis(host='127.0.0.1', port=${b.port})
for round in range(20):
    p = r.pipeline(transaction=False)
    for i in range(10):
        p.set('k%d' % ((round * 11 + i) % ${KEYS}), 'py-%d-%d' % (round, i))
    p.getset('k%d' % ((round + 1) % ${KEYS}), 'py-gs-%d' % round)
    p.expire('k%d' % ((round + 2) % ${KEYS}), 900)
    p.execute()
`);

    // redis-cli on node C, one process reading commands from stdin.
    const cliCommands: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 10; i++) cliCommands.push(`SET ${key(round * 13 + i)} cli-${round}-${i}`);
      cliCommands.push(`MSET ${key(round + 4)} cli-m-${round} ${key(round + 20)} cli-n-${round}`);
      cliCommands.push(`UNLINK ${key(round + 6)}`);
    }
    const viaCli = redisCli(c.port, [], { input: `${cliCommands.join('\n')}\n` });

    // kcat producing to the same topic in between.
    const viaKcat = (async () => {
      for (let round = 0; round < 5; round++) {
        await produceWithKcat(
          cluster.broker.bootstrap,
          cluster.topic,
          Array.from({ length: 12 }, (_, i) => ({ key: key(round * 17 + i), value: `kcat-${round}-${i}` })),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const [, py, cli] = await Promise.all([viaIoredis, viaPython, viaCli, viaKcat]);
    expect(py.stderr, py.stderr).toBe('');
    expect(cli.code, cli.stderr).toBe(0);

    // Keys no one overwrites afterwards, with expiries set on each node in each way a client can.
    const expiring = [client(a.port), client(b.port), client(c.port)] as const;
    try {
      for (const [n, r] of expiring.entries()) {
        await r.set(`ttl-${n}-px`, 'v', 'PX', 500_000);
        await r.setex(`ttl-${n}-setex`, 700, 'v');
        await r.set(`ttl-${n}-expire`, 'v');
        await r.expire(`ttl-${n}-expire`, 800);
        await r.set(`ttl-${n}-persist`, 'v', 'EX', 900);
        await r.persist(`ttl-${n}-persist`);
      }
    } finally {
      for (const r of expiring) r.disconnect();
    }

    const records = await readTopicWithKcat(cluster.broker.bootstrap, cluster.topic);
    const expected = stateOf(records);
    expect(expected.size).toBeGreaterThan(KEYS / 2);
    expect([...expected.values()].filter((k) => k.expireAt > 0).length).toBeGreaterThanOrEqual(9);
    expect(expected.get('ttl-1-persist')?.expireAt).toBe(-1);
    const ends = endsOf(records);
    for (const node of nodes) {
      await waitApplied(node.port, ends);
      let problem = '';
      await eventually(
        async () => {
          problem = diff(expected, await readState(node.port));
          return problem === '';
        },
        10_000,
        () => `node on port ${node.port} differs from the topic: ${problem}`,
      );
    }
  }, 120_000);

  it('make a write visible on every node: SLUICE POSITION on one, SLUICE WAIT on the others', async () => {
    const [a, b, c] = nodes as [RunningServer, RunningServer, RunningServer];
    const ra = client(a.port);
    const rb = client(b.port);
    const rc = client(c.port);
    try {
      await ra.set('handoff', 'from-a');
      const token = (await ra.call('SLUICE', 'POSITION')) as string;
      expect(token).toMatch(/^(\d+:\d+)(,\d+:\d+)*$/);
      expect(await rb.call('SLUICE', 'WAIT', token, '10000')).toBe(1);
      expect(await rb.get('handoff')).toBe('from-a');
      expect(await rc.call('SLUICE', 'WAIT', token, '10000')).toBe(1);
      expect(await rc.get('handoff')).toBe('from-a');
      // A position not reached yet: 0 after the timeout.
      const far = token.replace(/:(\d+)/, (_, o: string) => `:${Number(o) + 1_000_000}`);
      const started = Date.now();
      expect(await rb.call('SLUICE', 'WAIT', far, '300')).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      ra.disconnect();
      rb.disconnect();
      rc.disconnect();
    }
  });

  it('make EXEC fail when a WATCHed key changes by a record from the topic, and skip records they cannot apply', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const ra = client(a.port);
    const rb = client(b.port);
    try {
      await rb.set('watched', 'before');
      await rb.watch('watched');
      // A record from another node (A) changes the key on B: B's transaction must not run.
      await ra.set('watched', 'from-a');
      const token = (await ra.call('SLUICE', 'POSITION')) as string;
      expect(await rb.call('SLUICE', 'WAIT', token, '10000')).toBe(1);
      expect(await rb.multi().set('watched', 'from-b').exec()).toBeNull();
      expect(await rb.get('watched')).toBe('from-a');
      // Records no node can apply (no key, a malformed expiry) are skipped, and the rest still applied.
      await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [
        { key: null, value: 'keyless' },
        { key: 'bad-expiry', value: 'x', headers: { 'sluice-expire-at': 'soon' } },
      ]);
      await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [{ key: 'after-bad', value: 'ok' }]);
      await eventually(async () => (await rb.get('after-bad')) === 'ok', 20_000, 'B did not go on');
      expect(await rb.exists('bad-expiry')).toBe(0);
      expect(await ra.get('after-bad')).toBe('ok');
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
  });

  it('keep a MULTI/EXEC within one partition together, and refuse one that spans partitions', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const ra = client(a.port);
    const rb = client(b.port);
    try {
      // Keys of one partition: found by asking the node where each key lives is not possible, so try
      // pairs until EXEC takes one; a refused one must have written nothing.
      let done = false;
      for (let i = 0; i < 40 && !done; i++) {
        const keys = [`tx-a${i}`, `tx-b${i}`];
        const result = await ra
          .multi()
          .set(keys[0] as string, 'v')
          .set(keys[1] as string, 'v')
          .exec()
          .catch((e: Error) => e);
        if (result instanceof Error) {
          expect(result.message).toMatch(/CROSSSLOT Keys in request don't hash to the same Kafka partition/);
          expect(await ra.exists(...keys)).toBe(0);
          continue;
        }
        expect(result).toEqual([
          [null, 'OK'],
          [null, 'OK'],
        ]);
        const token = (await ra.call('SLUICE', 'POSITION')) as string;
        expect(await rb.call('SLUICE', 'WAIT', token, '10000')).toBe(1);
        expect(await rb.mget(...keys)).toEqual(['v', 'v']);
        done = true;
      }
      expect(done).toBe(true);
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
  });
});
