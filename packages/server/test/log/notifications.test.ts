/**
 * Keyspace notifications in log mode: a record produced to the topic with kcat (another writer than
 * Sluice) reaches a `__keyspace@0__:user:*` subscriber of every node once the node applies it — `set`,
 * with `expire` when the record carries an expiry, `del` for a tombstone — and a client's write on one
 * node is announced there by its command, once, and on the other node by its record.
 */
import { connectRaw, produceWithKcat, type RawClient, type RunningServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCluster } from './nodes.js';

const TIMEOUT_MS = 120_000;

/** A pmessage frame of the subscriber's pattern, in RESP2. */
function pmessage(pattern: string, channel: string, message: string): string {
  const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  return `*4\r\n${bulk('pmessage')}${bulk(pattern)}${bulk(channel)}${bulk(message)}`;
}

const PATTERN = '__keyspace@0__:user:*';
const event = (key: string, name: string) => pmessage(PATTERN, `__keyspace@0__:${key}`, name);

describe('keyspace notifications in log mode', { timeout: TIMEOUT_MS }, () => {
  let cluster: LogCluster;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    // One partition: the records are applied in the order they were produced.
    cluster = await LogCluster.start('notify', 1);
    const args = ['--notify-keyspace-events', 'KEA'];
    [a, b] = await Promise.all([cluster.node({ args }), cluster.node({ args })]);
  }, TIMEOUT_MS);
  afterAll(async () => {
    await cluster?.stop();
  }, TIMEOUT_MS);

  async function subscriber(node: RunningServer): Promise<RawClient> {
    const sub = await connectRaw(node.port);
    await sub.call('PSUBSCRIBE', PATTERN);
    return sub;
  }

  it('announces records produced with kcat to subscribers of every node', async () => {
    const subs = [await subscriber(a), await subscriber(b)];
    try {
      const expireAt = String(Date.now() + 3_600_000);
      await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [
        { key: 'user:1', value: 'alice' },
        { key: 'order:1', value: 'not announced to this pattern' },
      ]);
      await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [
        { key: 'user:2', value: 'bob', headers: { 'sluice-expire-at': expireAt } },
      ]);
      await produceWithKcat(cluster.broker.bootstrap, cluster.topic, [{ key: 'user:1', value: null }]);
      const expected = [
        event('user:1', 'set'),
        event('user:2', 'set'),
        event('user:2', 'expire'),
        event('user:1', 'del'),
      ];
      for (const sub of subs) expect(await sub.readReplies(expected.length, 30_000)).toEqual(expected);
      // And the keys hold what the records say.
      const c = await connectRaw(b.port);
      expect(await c.call('GET', 'user:2')).toBe('$3\r\nbob\r\n');
      expect(await c.call('EXISTS', 'user:1')).toBe(':0\r\n');
      await c.close();
    } finally {
      await Promise.all(subs.map((s) => s.close()));
    }
  });

  it("announces a client's write once on its node (the command's events) and by its record on the other", async () => {
    const [onA, onB] = [await subscriber(a), await subscriber(b)];
    const c = await connectRaw(a.port);
    try {
      expect(await c.call('SET', 'user:3', 'carol', 'EX', '1000')).toBe('+OK\r\n');
      expect(await c.call('INCR', 'user:4')).toBe(':1\r\n');
      // Node a: the commands' own events, as redis-server names them.
      expect(await onA.readReplies(3, 30_000)).toEqual([
        event('user:3', 'set'),
        event('user:3', 'expire'),
        event('user:4', 'incrby'),
      ]);
      // Node b: the records' events.
      expect(await onB.readReplies(3, 30_000)).toEqual([
        event('user:3', 'set'),
        event('user:3', 'expire'),
        event('user:4', 'set'),
      ]);
      // Node a does not announce its own records again when it applies them.
      expect(await onA.read(500, 100)).toBe('');
    } finally {
      await Promise.all([onA.close(), onB.close(), c.close()]);
    }
  });
});
