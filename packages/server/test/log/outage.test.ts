/**
 * Log mode with the brokers down (the mock cluster's fault injection): writes fail within the bounded
 * time with a clear error and none is acknowledged that Kafka did not take; reads go on (or, with
 * replica-serve-stale-data no, fail with MASTERDOWN); the lag grows; everything catches up once the
 * brokers are back.
 */
import { type RunningServer, readTopicWithKcat } from '@sluice/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, eventually, LogCluster, readState } from './nodes.js';

describe('log mode with the brokers down', () => {
  let cluster: LogCluster;
  let writer: RunningServer;
  let strict: RunningServer;
  let a: Redis;
  let b: Redis;

  beforeAll(async () => {
    cluster = await LogCluster.start('outage', 3);
    writer = await cluster.node();
    strict = await cluster.node({ args: ['--replica-serve-stale-data', 'no'] });
    a = client(writer.port);
    b = client(strict.port);
  }, 120_000);

  afterAll(async () => {
    a?.disconnect();
    b?.disconnect();
    await cluster?.broker.up().catch(() => {});
    await cluster?.stop();
  });

  it('refuses writes Kafka did not take, keeps serving reads, and catches up when the brokers return', async () => {
    await a.mset('before-1', 'one', 'before-2', 'two');
    const token = (await a.call('SLUICE', 'POSITION')) as string;
    expect(await b.call('SLUICE', 'WAIT', token, '10000')).toBe(1);

    await cluster.broker.down();
    // Writes while the brokers are down: each either fails with the log-mode error or (if it got in
    // before the brokers went) succeeds; every success must be in the topic afterwards.
    const acknowledged: string[] = [];
    const errors: string[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        try {
          expect(await a.set(`during-${i}`, `v${i}`)).toBe('OK');
          acknowledged.push(`during-${i}`);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }),
    );
    // Bounded: kafka-produce-timeout-ms is 2000 in these tests.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(errors.length).toBeGreaterThan(0);
    for (const message of errors) {
      expect(message).toMatch(/^ERR write not acknowledged: Kafka did not take its records \(.+\)$/);
    }
    // Reads keep working on the node that serves stale data, and see nothing that failed.
    expect(await a.mget('before-1', 'before-2')).toEqual(['one', 'two']);
    for (let i = 0; i < 20; i++) {
      if (!acknowledged.includes(`during-${i}`)) expect(await a.get(`during-${i}`)).toBeNull();
    }
    // The node that must not serve stale data says so, once it has noticed, and INFO shows the lag.
    await eventually(
      async () => {
        const reply = await b.get('before-1').catch((err: Error) => err.message);
        return typeof reply === 'string' && reply.startsWith('MASTERDOWN');
      },
      20_000,
      'the strict node never answered MASTERDOWN',
    );
    expect(await b.get('before-1').catch((err: Error) => err.message)).toBe(
      "MASTERDOWN Link with Kafka is down and replica-serve-stale-data is set to 'no'.",
    );
    // Commands flagged stale still run (INFO, SLUICE LAG); PING is not, in redis-server either.
    expect(await b.info('kafka')).toMatch(/\r\nkafka_connected:0\r\n/);
    expect(await b.ping().catch((err: Error) => err.message)).toMatch(/^MASTERDOWN/);

    await cluster.broker.up();
    await eventually(
      async () => (await a.set('after', 'back').catch(() => null)) === 'OK',
      30_000,
      'writes did not work again after the brokers came back',
    );
    await eventually(
      async () => (await b.get('before-1').catch(() => null)) === 'one',
      30_000,
      'the strict node did not serve reads again',
    );
    const afterToken = (await a.call('SLUICE', 'POSITION')) as string;
    expect(await b.call('SLUICE', 'WAIT', afterToken, '20000')).toBe(1);
    expect(await b.get('after')).toBe('back');

    // Nothing was acknowledged that the topic lacks.
    const inTopic = new Set(
      (await readTopicWithKcat(cluster.broker.bootstrap, cluster.topic)).map((r) => r.key),
    );
    for (const key of acknowledged) expect(inTopic.has(key), key).toBe(true);
    // Both nodes hold what the topic holds (a write that failed here but reached the topic anyway is
    // applied by both, like any record).
    const stateA = await readState(writer.port);
    const stateB = await readState(strict.port);
    expect(stateB).toEqual(stateA);
  }, 120_000);
});
