import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTopicWithKcat, run, startMockBroker } from '@sluice/testkit';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/fetch-manager-stop.cjs', import.meta.url));
const KAFKAJS = dirname(createRequire(import.meta.url).resolve('kafkajs/package.json'));

describe('the kafkajs patch', () => {
  it('ends the fetch manager when it is stopped during a rebalance of its fetchers', async () => {
    // In a process of its own, killed after the timeout: a starved event loop cannot hang the test runner.
    // Unpatched kafkajs 2.2.4 spins forever here: that hung sluice-bridge on SIGTERM with the brokers down.
    const result = await run(process.execPath, [FIXTURE, KAFKAJS], { timeoutMs: 15_000 });
    expect(result).toEqual({ stdout: 'returned\n', stderr: '', code: 0 });
  });

  it('gets an idempotent producer its producer id from any broker, not only the controller', async () => {
    // librdkafka's mock cluster reports controller id 0 while its brokers are numbered from 1: unpatched
    // kafkajs 2.2.4 fails here with "Broker 0 not found in the cached metadata".
    const broker = await startMockBroker({ brokers: 3, topics: [{ name: 'idem', partitions: 3 }] });
    const kafka = new kafkajs.Kafka({
      brokers: broker.bootstrap.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
    try {
      await producer.connect();
      const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
      const sent = await producer.send({ topic: 'idem', acks: -1, messages });
      expect(sent.map((r) => r.errorCode)).toEqual(sent.map(() => 0));
      const records = await readTopicWithKcat(broker.bootstrap, 'idem');
      expect(records.map((r) => r.value).sort()).toEqual(messages.map((m) => m.value).sort());
    } finally {
      await producer.disconnect();
      await broker.stop();
    }
  });

  it('decodes each record offset and timestamp as unpatched kafkajs did, without a Long per record', async () => {
    const broker = await startMockBroker({ topics: [{ name: 'decode', partitions: 1 }] });
    const kafka = new kafkajs.Kafka({
      brokers: broker.bootstrap.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: 'decode-test' });
    try {
      await producer.connect();
      // Two batches, so that the second's records have a first offset above 0 and timestamp deltas.
      await producer.send({
        topic: 'decode',
        messages: [{ key: 'a', value: '1', timestamp: '1700000000000' }],
      });
      await producer.send({
        topic: 'decode',
        messages: [
          { key: 'b', value: '2', timestamp: '1700000000500' },
          { key: 'c', value: '3', timestamp: '1700000000001' },
        ],
      });
      const seen: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: 'decode', fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(`${message.key?.toString()} ${message.offset} ${message.timestamp}`);
            if (seen.length === 3) resolve();
          },
        });
      });
      expect(seen).toEqual(['a 0 1700000000000', 'b 1 1700000000500', 'c 2 1700000000001']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await broker.stop();
    }
  }, 30_000);
  it('joins the group again when its SyncGroup is answered INVALID_REQUEST, instead of crashing', async () => {
    // librdkafka's mock broker answers a follower's SyncGroup INVALID_REQUEST when the leader's came first;
    // here the broker is told to answer the next SyncGroup so. Unpatched kafkajs 2.2.4 crashes the
    // consumer ("This most likely occurs because of a request being malformed…").
    const broker = await startMockBroker({ topics: [{ name: 'sync', partitions: 2 }] });
    const kafka = new kafkajs.Kafka({
      brokers: broker.bootstrap.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: 'sync-invalid',
      sessionTimeout: 6000,
      retry: { retries: 3, restartOnFailure: async () => false },
    });
    const crashes: string[] = [];
    const joins: string[] = [];
    consumer.on(consumer.events.CRASH, ({ payload }) => crashes.push(payload.error.message));
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        joins.push(payload.memberId);
        resolve();
      });
    });
    try {
      await broker.command('fail 14 42 1'); // SyncGroup (API key 14): INVALID_REQUEST (42), once
      await consumer.connect();
      await consumer.subscribe({ topic: 'sync', fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      await Promise.race([joined, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      expect(crashes).toEqual([]);
      expect(joins).toHaveLength(1);
    } finally {
      await consumer.disconnect();
      await broker.stop();
    }
  }, 30_000);
});
