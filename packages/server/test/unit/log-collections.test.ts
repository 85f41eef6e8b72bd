/**
 * Log mode's overlay for collections, with batches settled by hand: a write's element entries stay
 * readable after its batch commits while a later write on its way reads the same collection, and a
 * failed write gives back exactly the state before it (the committed one, or an earlier pending write's).
 * Each batch's record is made as the log writer makes it (encodeCollections, at close) and applied as the
 * topic would apply it (a restored collection under a new id).
 */
import { rmSync } from 'node:fs';
import { tempDir } from '@sluice/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogOps } from '../../src/commands/context.js';
import type { Database, Keyspace, KeyspaceLog, WriteBatch } from '../../src/keyspace/keyspace.js';
import { Keyspace as KeyspaceClass } from '../../src/keyspace/keyspace.js';
import { encodeCollections } from '../../src/log/records.js';
import { dumpOf, isCollection, restoredWrite } from '../../src/log/values.js';
import { TestContext } from './context.js';

/** A log that keeps each closed batch, with its records, until the test settles it. */
class HandLog implements KeyspaceLog {
  readonly batches: { batch: WriteBatch; settle: (error: Error | null) => void }[] = [];
  constructor(private readonly encode: (batch: WriteBatch) => void) {}
  commit(batch: WriteBatch, settle: (error: Error | null) => void): void {
    this.encode(batch);
    this.batches.push({ batch, settle });
  }
}

describe('log mode: collections in the overlay', () => {
  let dir: string;
  let keyspace: Keyspace;
  let db: Database;
  let c: TestContext;
  let log: HandLog;
  let offset = 0;

  beforeEach(async () => {
    dir = await tempDir('sluice-log-collections-');
    keyspace = new KeyspaceClass({ dir, databases: 1, durability: 'no', mapSize: 64 << 20, writemap: false });
    db = keyspace.dbs[0] as Database;
    c = new TestContext(keyspace);
    c.server.logMode = {} as LogOps;
    const values = { keyspace, config: c.server.config };
    log = new HandLog((batch) => {
      expect(encodeCollections(batch, (r) => dumpOf(values, r), isCollection, 1_000_000)).toBeNull();
    });
    keyspace.useLog(log);
  });

  afterEach(async () => {
    for (const { batch, settle } of log.batches.splice(0).reverse())
      if (!batch.settled) settle(new Error('test over'));
    await keyspace.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one command in a turn of its own: its batch closes at once. */
  function run(...argv: string[]): string {
    const reply = c.call(...argv);
    keyspace.commitNow();
    return reply;
  }

  /** Applies the batch's records as the topic would (collections restored under new ids), then settles it. */
  async function applyAndSettle(index: number): Promise<void> {
    const entry = log.batches[index];
    if (entry === undefined) throw new Error(`no batch ${index}`);
    const writes = [];
    for (const op of entry.batch.ops) {
      if (!('overlay' in op) || op.overlay === null || op.keep === true || op.superseded) continue;
      const key = Buffer.from(op.key, 'latin1');
      if (op.dump === undefined) writes.push({ key, value: null, at: 0 });
      else writes.push(restoredWrite({ keyspace, config: c.server.config }, db, key, op.dump, 0));
    }
    offset++;
    await keyspace.applyRecords(db, {
      writes: writes.map((w) => {
        if (w === null) throw new Error('corrupt record');
        return w;
      }),
      offsetKey: Buffer.from('offset'),
      offsetValue: Buffer.from(String(offset)),
    });
    entry.settle(null);
  }

  const hash = (key: string): string => c.call('HGETALL', key);
  const list = (key: string): string => c.call('LRANGE', key, '0', '-1');

  it('keeps a committed write readable under a later write of the same collection, until that one settles', async () => {
    run('HSET', 'h', 'a', '1', 'b', '1');
    await applyAndSettle(0);
    run('HSET', 'h', 'a', '2'); // batch 1: element a of the applied collection
    run('HSET', 'h', 'b', '3'); // batch 2: element b, reading the same collection
    const both = hash('h');
    await applyAndSettle(1);
    // Batch 1 committed (LMDB has its record under a new id); batch 2 still reads the old id.
    expect(hash('h')).toBe(both);
    expect(c.call('HGET', 'h', 'a')).toBe('$1\r\n2\r\n');
    await applyAndSettle(2);
    expect(hash('h')).toBe(both);
  });

  it('gives a failed write back to the committed state, over a write that committed before it', async () => {
    run('RPUSH', 'l', 'x');
    await applyAndSettle(0);
    run('RPUSH', 'l', 'y'); // batch 1
    run('RPUSH', 'l', 'z'); // batch 2
    await applyAndSettle(1);
    log.batches[2]?.settle(new Error('kafka down'));
    expect(list('l')).toBe('*2\r\n$1\r\nx\r\n$1\r\ny\r\n');
  });

  it('gives failed writes back to an earlier write still on its way, then to the committed state', async () => {
    run('ZADD', 'z', '1', 'm');
    await applyAndSettle(0);
    const committed = c.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES');
    run('ZADD', 'z', '2', 'm', '5', 'n'); // batch 1
    const pending = c.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES');
    run('ZADD', 'z', '9', 'm', '7', 'o'); // batch 2
    run('ZREM', 'z', 'n'); // batch 3
    // Sends fail newest first, every batch after the failed one with it.
    const failed = new Error('kafka down');
    for (const b of [log.batches[3], log.batches[2]]) if (b !== undefined) b.batch.state = 'failed';
    log.batches[3]?.settle(failed);
    log.batches[2]?.settle(failed);
    expect(c.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(pending);
    log.batches[1]?.settle(failed);
    expect(c.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(committed);
  });

  it('deletes nothing of a collection that a failed DEL hid', async () => {
    run('SADD', 's', 'a', 'b');
    await applyAndSettle(0);
    run('SADD', 's', 'c'); // batch 1
    run('DEL', 's'); // batch 2
    expect(c.call('EXISTS', 's')).toBe(':0\r\n');
    log.batches[2]?.settle(new Error('kafka down'));
    expect(c.call('SCARD', 's')).toBe(':3\r\n');
    await applyAndSettle(1);
    expect(c.call('SCARD', 's')).toBe(':3\r\n');
  });
});
