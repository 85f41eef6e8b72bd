/**
 * Pub/Sub across log-mode nodes: a message PUBLISHed on one node reaches the subscribers of every node
 * of the topic, through the Pub/Sub topic (log/pubsub-bus.ts), once each, in the order it was published;
 * the PUBLISH reply counts the receivers on the node that took it, as a Redis Cluster node's does.
 */
import { connectRaw, type RawClient, type RunningServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, LogCluster } from './nodes.js';

const TIMEOUT_MS = 120_000;

const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const message = (channel: string, text: string) => `*3\r\n${bulk('message')}${bulk(channel)}${bulk(text)}`;

/** Waits until `node` reads the Pub/Sub topic: a probe published on `from` reaches it. */
async function linked(from: RunningServer, node: RunningServer): Promise<void> {
  const sub = await connectRaw(node.port);
  const pub = client(from.port);
  try {
    await sub.call('SUBSCRIBE', 'probe');
    const deadline = Date.now() + 60_000;
    for (;;) {
      await pub.publish('probe', 'ping');
      const got = await sub.readReplies(1, 500).catch(() => null);
      if (got !== null) return;
      if (Date.now() > deadline) throw new Error(`node on port ${node.port} never got a probe message`);
    }
  } finally {
    sub.close();
    pub.disconnect();
  }
}

describe('Pub/Sub across log-mode nodes', { timeout: TIMEOUT_MS }, () => {
  let cluster: LogCluster;
  let a: RunningServer;
  let b: RunningServer;
  const opened: RawClient[] = [];
  beforeAll(async () => {
    cluster = await LogCluster.start('chat', 2);
    [a, b] = await Promise.all([cluster.node(), cluster.node()]);
    await linked(a, b);
    await linked(b, a);
  }, TIMEOUT_MS);
  afterAll(async () => {
    for (const c of opened) c.close();
    await cluster?.stop();
  }, TIMEOUT_MS);

  async function raw(node: RunningServer): Promise<RawClient> {
    const c = await connectRaw(node.port);
    opened.push(c);
    return c;
  }

  it('delivers a message to the subscribers of both nodes, once each', async () => {
    const onB = await raw(b);
    const onA = await raw(a);
    expect(await onB.call('SUBSCRIBE', 'news')).toBe(`*3\r\n${bulk('subscribe')}${bulk('news')}:1\r\n`);
    expect(await onA.call('PSUBSCRIBE', 'ne*')).toBe(`*3\r\n${bulk('psubscribe')}${bulk('ne*')}:1\r\n`);
    const pub = await raw(a);
    // The reply counts this node's receivers only: the pattern subscriber on a.
    expect(await pub.call('PUBLISH', 'news', 'hello')).toBe(':1\r\n');
    expect(await onB.readReplies(1, 30_000)).toEqual([message('news', 'hello')]);
    expect(await onA.readReplies(1, 5_000)).toEqual([
      `*4\r\n${bulk('pmessage')}${bulk('ne*')}${bulk('news')}${bulk('hello')}`,
    ]);
    // Read back from the topic, a's own message is not delivered on a again.
    await pub.call('PUBLISH', 'news', 'second');
    expect(await onB.readReplies(1, 30_000)).toEqual([message('news', 'second')]);
    expect(await onA.readReplies(1, 5_000)).toEqual([
      `*4\r\n${bulk('pmessage')}${bulk('ne*')}${bulk('news')}${bulk('second')}`,
    ]);
    await expect(onA.readReplies(1, 1_500)).rejects.toThrow();
  });

  it('keeps the order of a publisher’s messages, binary messages included', async () => {
    const onB = await raw(b);
    await onB.call('SUBSCRIBE', 'seq');
    const pub = await raw(a);
    const n = 500;
    let pipeline = '';
    for (let i = 0; i < n; i++) {
      const text = `m${i}\u0000\r\n`;
      pipeline += `*3\r\n${bulk('PUBLISH')}${bulk('seq')}${bulk(text)}`;
    }
    pub.send(pipeline);
    expect(await pub.readReplies(n)).toEqual(Array(n).fill(':0\r\n'));
    const got = await onB.readReplies(n, 60_000);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => message('seq', `m${i}\u0000\r\n`)));
  });

  it('delivers RESP3 pushes, shard messages, and messages from MULTI/EXEC and scripts', async () => {
    const onA = await raw(a);
    await onA.call('HELLO', '3');
    await onA.call('SUBSCRIBE', 'jobs');
    expect(await onA.call('SSUBSCRIBE', 'shard')).toBe(`>3\r\n${bulk('ssubscribe')}${bulk('shard')}:1\r\n`);
    const pub = await raw(b);
    expect(await pub.call('SPUBLISH', 'shard', 's1')).toBe(':0\r\n');
    expect(await onA.readReplies(1, 30_000)).toEqual([
      `>3\r\n${bulk('smessage')}${bulk('shard')}${bulk('s1')}`,
    ]);
    await pub.call('MULTI');
    await pub.call('PUBLISH', 'jobs', 'from-multi');
    expect(await pub.call('EXEC')).toBe('*1\r\n:0\r\n');
    expect(await pub.call('EVAL', "return redis.call('PUBLISH', 'jobs', 'from-script')", '0')).toBe(':0\r\n');
    expect(await onA.readReplies(2, 30_000)).toEqual([
      `>3\r\n${bulk('message')}${bulk('jobs')}${bulk('from-multi')}`,
      `>3\r\n${bulk('message')}${bulk('jobs')}${bulk('from-script')}`,
    ]);
  });

  it('reports the Pub/Sub topic and its counters in INFO and /metrics', async () => {
    const c = client(a.port);
    try {
      const info = await c.info('kafka');
      expect(info).toContain('kafka_pubsub_topic:chat.pubsub\r\n');
      expect(info).toContain('kafka_pubsub_ready:1\r\n');
      expect(Number(/kafka_pubsub_sent:(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(500);
      expect(Number(/kafka_pubsub_received:(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(2);
      expect(info).toContain('kafka_pubsub_dropped:0\r\n');
    } finally {
      c.disconnect();
    }
  });
});
