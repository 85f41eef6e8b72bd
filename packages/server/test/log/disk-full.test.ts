/**
 * Log mode on a full disk: the node whose disk fills stops applying the topic (its apply loop retries
 * with backoff), refuses its own clients' writes with MISCONF, keeps serving reads, and catches up with
 * every record, none skipped, once there is room. Its data directory is on a small tmpfs (root).
 */
import { mountSmallDisk, type RunningServer, type SmallDisk } from '@sluice/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, diff, eventually, LogCluster, readState, waitCaughtUp } from './nodes.js';

const MB = 1024 * 1024;
const REFUSED = 'MISCONF Errors writing to the LMDB data file: No space left on device';

describe('log mode on a full disk', () => {
  let cluster: LogCluster;
  let disk: SmallDisk;
  let writer: RunningServer;
  let full: RunningServer;
  let a: Redis;
  let b: Redis;

  beforeAll(async () => {
    disk = await mountSmallDisk(8 * MB);
    cluster = await LogCluster.start('diskfull', 3);
    writer = await cluster.node();
    full = await cluster.node({ dir: `${disk.dir}/data` });
    a = client(writer.port);
    b = client(full.port);
  }, 120_000);

  afterAll(async () => {
    a?.disconnect();
    b?.disconnect();
    await cluster?.stop();
    await disk?.dispose();
  });

  it('stops applying when the disk is full, serves reads, and applies everything once there is room', async () => {
    await a.set('first', 'one');
    await eventually(async () => (await b.get('first')) === 'one', 20_000, 'first write not applied');

    // 12 MB of values through the writer: more than the other node's 8 MB disk holds, and less than the
    // 5 MB per partition that the mock broker keeps before it deletes a partition's oldest records.
    const value = (k: string) => `${k}:`.padEnd(4096, '.');
    for (let i = 0; i < 60; i++) {
      const pairs: string[] = [];
      for (let j = 0; j < 50; j++) pairs.push(`k${i}:${j}`, value(`k${i}:${j}`));
      expect(await a.mset(...pairs)).toBe('OK');
    }

    // The full node says so once, refuses its own clients' writes, and answers reads.
    await eventually(
      async () => full.output().includes('# Writes refused on'),
      30_000,
      'the node never refused writes',
    );
    await expect(b.set('mine', '1')).rejects.toThrow(REFUSED);
    expect(await b.get('first')).toBe('one');
    expect(await b.info('persistence')).toContain('sluice_writes_refused:1');
    // It is behind, and stays behind: nothing is skipped to make room.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await b.exists('k59:49')).toBe(0);

    // Room again: it applies every remaining record, and ends with the writer's state exactly.
    disk.resize(32 * MB);
    await waitCaughtUp(full.port, 60_000);
    await eventually(async () => (await b.exists('k59:49')) === 1, 30_000, 'the last record never applied');
    const d = diff(await readState(writer.port), await readState(full.port));
    if (d !== '') console.log(full.output());
    expect(d).toBe('');
    expect(full.output()).toContain('* Writes accepted again on');
    expect(await b.set('mine', '1')).toBe('OK');
  }, 180_000);
});
