/**
 * KafkajsSource with a group protocol of the application's (what Sluice's cluster mode uses): on
 * librdkafka's mock cluster, each member's metadata reaches the leader's `assign`, each member consumes
 * the partitions the leader gave it, and every member hears the userData of its assignment (kafkajs drops
 * it; patches/kafkajs@2.2.4.patch hands it to GROUP_JOIN). When a member leaves, the others are assigned
 * again.
 */
import { type MockBroker, startMockBroker } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GroupAssignment,
  type GroupMember,
  type GroupProtocol,
  KafkajsSource,
} from '../../src/kafka/kafkajs-source.js';
import { silentLogger } from '../../src/log.js';
import { until } from '../helpers/fakes.js';

/** A member named `name`: the leader gives the members partitions in the order of their names. */
class Named implements GroupProtocol {
  readonly name = 'by-name';
  heard: { plan: string | null; partitions: number[] }[] = [];
  leaderSaw: string[][] = [];
  constructor(private readonly me: string) {}
  metadata(): Buffer {
    return Buffer.from(this.me);
  }
  assign(members: readonly GroupMember[], partitions: number): GroupAssignment[] {
    const names = members.map((m) => m.userData.toString()).sort();
    this.leaderSaw.push(names);
    const plan = Buffer.from(`${names.join(',')}/${partitions}`);
    return members.map((m) => {
      const i = names.indexOf(m.userData.toString());
      const mine: number[] = [];
      for (let p = 0; p < partitions; p++) if (p % names.length === i) mine.push(p);
      return { memberId: m.memberId, partitions: mine, userData: plan };
    });
  }
  assigned(userData: Buffer | null, partitions: readonly number[]): void {
    this.heard.push({ plan: userData?.toString() ?? null, partitions: [...partitions].sort() });
  }
  get last(): { plan: string | null; partitions: number[] } | undefined {
    return this.heard[this.heard.length - 1];
  }
}

function source(broker: MockBroker, protocol: GroupProtocol): KafkajsSource {
  return new KafkajsSource({
    brokers: [broker.bootstrap],
    topic: 't',
    groupId: 'g',
    clientId: 'test',
    sessionTimeoutMs: 3_000,
    metadataMaxAgeMs: 10_000,
    fetchMaxBytes: 1024 * 1024,
    fetchMaxWaitMs: 100,
    concurrency: 1,
    connectTimeoutMs: 5_000,
    retryInitialMs: 100,
    retryMaxMs: 1_000,
    security: { tls: false, saslMechanism: 'none' },
    logger: silentLogger,
    protocol,
  });
}

describe('KafkajsSource with a group protocol', () => {
  let broker: MockBroker;
  beforeAll(async () => {
    broker = await startMockBroker({ topics: [{ name: 't', partitions: 4 }] });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("carries member metadata to the leader and the leader's userData to every member", async () => {
    const a = new Named('a');
    const b = new Named('b');
    const assignedA: number[][] = [];
    const handlers = (into: number[][]) => ({
      onAssigned: (partitions: readonly number[]) => into.push([...partitions].sort()),
      onBatch: async () => true,
      onConnection: () => {},
    });
    const sa = source(broker, a);
    const sb = source(broker, b);
    try {
      await sa.start(handlers(assignedA));
      await until(() => a.last?.plan === 'a/4', 30_000, 'a alone');
      expect(a.last?.partitions).toEqual([0, 1, 2, 3]);
      expect(assignedA[assignedA.length - 1]).toEqual([0, 1, 2, 3]);
      await sb.start(handlers([]));
      await until(() => a.last?.plan === 'a,b/4' && b.last?.plan === 'a,b/4', 30_000, 'a and b');
      expect(a.last?.partitions).toEqual([0, 2]);
      expect(b.last?.partitions).toEqual([1, 3]);
      expect([...a.leaderSaw, ...b.leaderSaw]).toContainEqual(['a', 'b']);
      await sb.stop();
      await until(() => a.last?.plan === 'a/4', 30_000, 'a alone again');
      expect(a.last?.partitions).toEqual([0, 1, 2, 3]);
    } finally {
      await sb.stop();
      await sa.stop();
    }
  }, 90_000);
});
