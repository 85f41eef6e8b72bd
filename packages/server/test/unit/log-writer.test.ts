/**
 * Log mode's write path against a real keyspace and a sink whose answers the test gives: what becomes
 * records, when a batch is acknowledged (Kafka took it and the node applied it), the group commit, and
 * what a failed send undoes.
 */
import { rmSync } from 'node:fs';
import { tempDir } from '@sluice/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/keyspace/encoding.js';
import { type Database, Keyspace, type WriteBatch } from '../../src/keyspace/keyspace.js';
import { AppliedOffsets, formatPositions, parsePositions } from '../../src/log/applied.js';
import { partitionOf } from '../../src/log/partitioner.js';
import type { OutgoingRecord } from '../../src/log/records.js';
import type { LogSink } from '../../src/log/sink.js';
import { LogFencedError, LogOutcomeUnknownError, LogWriteError, LogWriter } from '../../src/log/writer.js';

const PARTITIONS = 3;

/** A sink whose sends wait until the test answers them. */
class FakeSink implements LogSink {
  readonly sends: {
    records: readonly OutgoingRecord[];
    answered: boolean;
    answer: (ok: boolean) => Map<number, bigint>;
  }[] = [];
  private next = new Map<number, bigint>();

  send(records: readonly OutgoingRecord[]): Promise<Map<number, bigint>> {
    return new Promise((resolve, reject) => {
      const send = {
        records,
        answered: false,
        answer: (ok: boolean): Map<number, bigint> => {
          send.answered = true;
          if (!ok) {
            reject(new Error('broker unreachable'));
            return new Map();
          }
          const positions = new Map<number, bigint>();
          for (const r of records) {
            const offset = this.next.get(r.partition) ?? 0n;
            this.next.set(r.partition, offset + 1n);
            positions.set(r.partition, offset);
          }
          resolve(positions);
          return positions;
        },
      };
      this.sends.push(send);
    });
  }

  async close(): Promise<void> {}
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const key = (s: string) => Buffer.from(s);
const rec = (k: string, v: string, expiresAt = 0) => {
  const kb = key(k);
  const vb = Buffer.from(v);
  return encodeRecord(kb, 0, kb.length, vb, 0, vb.length, expiresAt);
};

describe('LogWriter', () => {
  let dir: string;
  let keyspace: Keyspace;
  let db: Database;
  let sink: FakeSink;
  let applied: AppliedOffsets;
  let writer: LogWriter;
  const failures: string[] = [];

  beforeEach(async () => {
    dir = await tempDir('sluice-log-writer-');
    keyspace = new Keyspace({ dir, databases: 1, durability: 'no', mapSize: 64 << 20, writemap: false });
    db = keyspace.dbs[0] as Database;
    sink = new FakeSink();
    applied = new AppliedOffsets();
    failures.length = 0;
    writer = new LogWriter({
      sink,
      applied,
      partitions: () => PARTITIONS,
      failed: (error, batches) => failures.push(`${batches}: ${error.message}`),
    });
    keyspace.useLog(writer);
  });

  afterEach(async () => {
    writer.stop(new Error('test over'));
    for (const send of sink.sends) if (!send.answered) send.answer(false);
    await keyspace.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (k: string) => db.get(key(k), 0, k.length, Date.now());

  /** Applies every partition of `positions` (as the consumer would), up to that offset. */
  const applyAll = (positions: Map<number, bigint>) => {
    for (const [p, o] of positions) applied.advance(p, o);
  };

  it("produces each key's last write: its value, its expiry in sluice-expire-at, a tombstone for a deletion", async () => {
    db.put(key('a'), 0, 1, rec('a', '1'));
    db.put(key('a'), 0, 1, rec('a', '2', 4_102_444_800_000));
    db.put(key('b'), 0, 1, rec('b', 'x'));
    db.delete(key('b'), 0, 1);
    db.delete(key('gone'), 0, 4);
    await turn();
    expect(sink.sends).toHaveLength(1);
    const records = sink.sends[0]?.records ?? [];
    expect(
      records.map((r) => [r.key.toString(), r.value?.toString() ?? null, r.headers, r.partition]),
    ).toEqual([
      ['a', '2', { 'sluice-expire-at': '4102444800000' }, partitionOf(key('a'), PARTITIONS)],
      ['b', null, undefined, partitionOf(key('b'), PARTITIONS)],
      ['gone', null, undefined, partitionOf(key('gone'), PARTITIONS)],
    ]);
  });

  it('acknowledges a batch only once Kafka took it and its records were applied here', async () => {
    const batch = db.put(key('k'), 0, 1, rec('k', 'v'));
    expect(get('k')?.subarray(1).toString()).toBe('v'); // visible to this node at once
    await turn();
    const positions = sink.sends[0]?.answer(true) as Map<number, bigint>;
    await turn();
    expect(batch.settled).toBe(false); // Kafka has it, this node has not applied it
    expect(batch.positions).toEqual(positions);
    applyAll(positions);
    expect(batch.state).toBe('committed');
    expect(formatPositions(batch.positions as Map<number, bigint>)).toMatch(/^\d:0$/);
  });

  it('cluster mode: a write waiting on a partition the node lost is not acknowledged (its fate is unknown here)', async () => {
    const held = new Set([0, 1, 2]);
    const clustered = new LogWriter({
      sink,
      applied,
      partitions: () => PARTITIONS,
      holds: (p) => held.has(p),
      maxInFlight: 2,
    });
    keyspace.useLog(clustered);
    try {
      const x = names.find((n) => partitionOf(key(n), PARTITIONS) === 0) as string;
      const y = names.find((n) => partitionOf(key(n), PARTITIONS) === 1) as string;
      const bx = db.put(key(x), 0, 1, rec(x, '1'));
      await turn();
      const by = db.put(key(y), 0, 1, rec(y, '1'));
      await turn();
      expect(sink.sends).toHaveLength(2);
      sink.sends[0]?.answer(true);
      const p1 = sink.sends[1]?.answer(true) as Map<number, bigint>;
      await turn();
      applied.advance(1, p1.get(1) as bigint);
      expect(by.state).toBe('committed');
      expect(bx.settled).toBe(false); // partition 0 is not applied yet
      held.delete(0);
      clustered.release(0);
      expect(bx.state).toBe('failed');
      expect(bx.error).toBeInstanceOf(LogOutcomeUnknownError);
      expect(get(x)).toBeUndefined(); // it left the overlay
      // Acknowledged by Kafka after the partition left: not acknowledged either.
      const later = db.put(key(x), 0, 1, rec(x, '2'));
      await turn();
      sink.sends[2]?.answer(true);
      await turn();
      expect(later.state).toBe('failed');
      expect(later.error).toBeInstanceOf(LogOutcomeUnknownError);
      expect(clustered.pending).toBe(0);
    } finally {
      clustered.stop(new Error('test over'));
    }
  });

  it('cluster mode: names its node in every record, and fails (never acknowledges) a write whose record was fenced', async () => {
    const fencedWriter = new LogWriter({
      sink,
      applied,
      partitions: () => PARTITIONS,
      writer: 'me',
      maxInFlight: 2,
    });
    keyspace.useLog(fencedWriter);
    try {
      const x = names.find((n) => partitionOf(key(n), PARTITIONS) === 0) as string;
      const y = names.find((n) => partitionOf(key(n), PARTITIONS) === 1) as string;
      // One send with a write in partition 0 and one in partition 1 (two batches, one turn apart).
      const bx = db.put(key(x), 0, 1, rec(x, '1', 4_102_444_800_000));
      await turn();
      const by = db.put(key(y), 0, 1, rec(y, '1'));
      await turn();
      expect(sink.sends[0]?.records.map((r) => r.headers)).toEqual([
        { 'sluice-expire-at': '4102444800000', 'sluice-node': 'me' },
      ]);
      expect(sink.sends[1]?.records.map((r) => r.headers)).toEqual([{ 'sluice-node': 'me' }]);
      // The fence left out x's record before Kafka's acknowledgement came back.
      fencedWriter.fenced(0, [{ offset: 0n, key: key(x), writer: 'me' }], 'other');
      // Another node's fenced records are not this writer's business.
      fencedWriter.fenced(1, [{ offset: 0n, key: key(y), writer: 'someone' }], 'other');
      const p0 = sink.sends[0]?.answer(true) as Map<number, bigint>;
      const p1 = sink.sends[1]?.answer(true) as Map<number, bigint>;
      await turn();
      expect(bx.state).toBe('failed');
      expect(bx.error).toBeInstanceOf(LogFencedError);
      expect((bx.error as LogFencedError).owner).toBe('other');
      expect(get(x)).toBeUndefined();
      expect(by.settled).toBe(false);
      applyAll(p0);
      applyAll(p1);
      expect(by.state).toBe('committed');
      // Fenced after the acknowledgement, while it waits to be applied: fails then.
      const late = db.put(key(x), 0, 1, rec(x, '2'));
      await turn();
      const p2 = sink.sends[2]?.answer(true) as Map<number, bigint>;
      await turn();
      expect(late.settled).toBe(false);
      fencedWriter.fenced(0, [{ offset: p2.get(0) as bigint, key: key(x), writer: 'me' }], 'other');
      applyAll(p2); // the offset moves past it: it is still not acknowledged
      expect(late.state).toBe('failed');
      expect(late.error).toBeInstanceOf(LogFencedError);
      expect(fencedWriter.pending).toBe(0);
    } finally {
      fencedWriter.stop(new Error('test over'));
    }
  });

  it('sends the batches closed while one is in flight together, once it is answered', async () => {
    db.put(key('a'), 0, 1, rec('a', '1'));
    await turn();
    db.put(key('b'), 0, 1, rec('b', '1'));
    await turn();
    db.put(key('c'), 0, 1, rec('c', '1'));
    await turn();
    expect(sink.sends).toHaveLength(1);
    expect(writer.pending).toBe(3);
    applyAll(sink.sends[0]?.answer(true) as Map<number, bigint>);
    await turn();
    expect(sink.sends).toHaveLength(2);
    expect(sink.sends[1]?.records.map((r) => r.key.toString())).toEqual(['b', 'c']);
    applyAll(sink.sends[1]?.answer(true) as Map<number, bigint>);
    await turn();
    expect(writer.pending).toBe(0);
  });

  it('fails a send and every batch after it, and gives their keys back to the write still on its way', async () => {
    // Batch 1: k=1, acknowledged by Kafka, not applied yet.
    const first = db.put(key('k'), 0, 1, rec('k', '1'));
    await turn();
    sink.sends[0]?.answer(true);
    await turn();
    // Batch 2: k=2 and n=1, in flight; batch 3: k=3, computed on top of it, queued.
    const second = db.put(key('k'), 0, 1, rec('k', '2'));
    db.put(key('n'), 0, 1, rec('n', '1'));
    await turn();
    const third = db.put(key('k'), 0, 1, rec('k', '3'));
    await turn();
    expect(get('k')?.subarray(1).toString()).toBe('3');
    sink.sends[1]?.answer(false);
    await turn();
    expect(second.state).toBe('failed');
    expect(third.state).toBe('failed');
    expect(second.error).toBeInstanceOf(LogWriteError);
    expect(failures).toEqual(['2: broker unreachable']);
    // The key shows the write Kafka has (batch 1), not a failed one; n is gone.
    expect(get('k')?.subarray(1).toString()).toBe('1');
    expect(get('n')).toBeUndefined();
    expect(first.settled).toBe(false);
    // New writes go on from there.
    const fourth = db.put(key('k'), 0, 1, rec('k', '4'));
    await turn();
    expect(sink.sends).toHaveLength(3);
    applyAll(sink.sends[2]?.answer(true) as Map<number, bigint>);
    await turn();
    expect(fourth.state).toBe('committed');
  });

  it('with several sends on their way, answers them in order and fails those after a failed one', async () => {
    const pipelined = new LogWriter({ sink, applied, partitions: () => PARTITIONS, maxInFlight: 2 });
    keyspace.useLog(pipelined);
    const first = db.put(key('a'), 0, 1, rec('a', '1'));
    await turn();
    const second = db.put(key('b'), 0, 1, rec('b', '1'));
    await turn();
    const third = db.put(key('c'), 0, 1, rec('c', '1'));
    await turn();
    expect(sink.sends).toHaveLength(2); // the third waits for a place
    // The second send is answered first: nothing happens until the first is.
    const positions = sink.sends[1]?.answer(true) as Map<number, bigint>;
    await turn();
    expect(second.positions).toBeNull();
    sink.sends[0]?.answer(false);
    await turn();
    // The first failed: the second fails with it although Kafka took it, and so does the queued third.
    expect(first.state).toBe('failed');
    expect(second.state).toBe('failed');
    expect(third.state).toBe('failed');
    expect(positions.size).toBe(1);
    pipelined.stop(new Error('test over'));
    keyspace.useLog(writer);
  });

  it('holds no chain of old writes for a key written again and again', async () => {
    const batches: WriteBatch[] = [];
    for (let i = 0; i < 5; i++) {
      batches.push(db.put(key('hot'), 0, 3, rec('hot', String(i))));
      await turn();
      applyAll(sink.sends[i]?.answer(true) as Map<number, bigint>);
      await turn();
    }
    for (const b of batches) {
      expect(b.state).toBe('committed');
      for (const op of b.ops) if ('previous' in op) expect(op.previous).toBeUndefined();
    }
  });

  it('fails what is queued at shutdown, and what waits to be applied', async () => {
    const waiting = db.put(key('a'), 0, 1, rec('a', '1'));
    await turn();
    sink.sends[0]?.answer(true);
    await turn();
    const queued = db.put(key('b'), 0, 1, rec('b', '1'));
    await turn();
    writer.stop(new Error('shutting down'));
    expect(waiting.state).toBe('failed');
    await turn();
    // `queued` was sent (it was next); its answer settles it unapplied.
    sink.sends[1]?.answer(true);
    await turn();
    expect(queued.state).toBe('failed');
  });
});

describe('position tokens', () => {
  it('format and parse back, partitions in order', () => {
    const positions = new Map([
      [3, 17n],
      [0, 5n],
    ]);
    expect(formatPositions(positions)).toBe('0:5,3:17');
    expect(parsePositions('0:5,3:17')).toEqual(
      new Map([
        [0, 5n],
        [3, 17n],
      ]),
    );
    expect(parsePositions('')).toEqual(new Map());
  });

  it('refuse what no token looks like', () => {
    for (const bad of [
      'x',
      '0:',
      ':1',
      '0:1,0:2',
      '01:1',
      '0:01',
      '0:1,',
      '-1:0',
      '0:99999999999999999999',
    ]) {
      expect(parsePositions(bad), bad).toBeUndefined();
    }
  });
});
