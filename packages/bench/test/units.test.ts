import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom, uniformSampler, zipfSampler } from '../src/load/keys.js';
import { directorySize, parseProcStatus } from '../src/proc.js';
import {
  ROWS as CLIENT_ROWS,
  keyspaceFor as clientKeyspace,
  rowId,
  rowLabel,
} from '../src/suites/clients.js';
import { ROWS as HTTP_ROWS, NO_HTTP_PORT, rejectsHttpPort } from '../src/suites/http.js';
import {
  checkTopicContents,
  ROWS as KAFKA_ROWS,
  kcatRecordsRead,
  MAX_RECORDS_PER_PARTITION,
  recordKey,
  recordsIn,
} from '../src/suites/kafka.js';
import { keyspaceFor, requestsFor } from '../src/suites/redis-benchmark.js';
import { keysLabel, scaleArgs } from '../src/suites/scale.js';

describe('key distributions', () => {
  it('repeats a seeded sequence', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(seededRandom(43)()).not.toBe(xs[0]);
  });

  it('draws uniform indexes over the whole key space', () => {
    const random = seededRandom(1);
    const sample = uniformSampler(10);
    const seen = new Set(Array.from({ length: 1000 }, () => sample(random)));
    expect([...seen].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('draws Zipf indexes: a hot key about twice as often as the next, spread over the key space', () => {
    const n = 1000;
    const random = seededRandom(7);
    const sample = zipfSampler(n, 0.99);
    const counts = new Map<number, number>();
    let outside = 0;
    for (let i = 0; i < 200_000; i++) {
      const k = sample(random);
      if (!(k >= 0 && k < n && Number.isInteger(k))) outside++;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(outside).toBe(0);
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const [first, second] = sorted;
    expect(first?.[1]).toBeGreaterThan(200_000 * 0.1);
    expect((first?.[1] ?? 0) / (second?.[1] ?? 1)).toBeGreaterThan(1.7);
    expect((first?.[1] ?? 0) / (second?.[1] ?? 1)).toBeLessThan(2.3);
    // The two hottest keys are not neighbours.
    expect(Math.abs((first?.[0] ?? 0) - (second?.[0] ?? 0))).toBeGreaterThan(1);
  });
});

describe('suite plans', () => {
  it('names client rows by library, workload, distribution and size', () => {
    expect(CLIENT_ROWS.map(rowLabel)).toContain('ioredis · GET/SET 95:5 · uniform · 100 B');
    expect(CLIENT_ROWS.map(rowLabel)).toContain('node-redis · MGET 100 keys · Zipf · 100 B');
    expect(new Set(CLIENT_ROWS.map(rowId)).size).toBe(CLIENT_ROWS.length);
    expect(new Set(CLIENT_ROWS.map((r) => r.library))).toEqual(new Set(['ioredis', 'node-redis']));
    expect(clientKeyspace('full', 100)).toBe(100_000);
    expect(clientKeyspace('full', 10240)).toBe(26_214);
  });

  it('keeps the key space of large values small', () => {
    expect(keyspaceFor('full', 64)).toBe(100_000);
    expect(keyspaceFor('full', 16384)).toBe(16_384);
    expect(keyspaceFor('quick', 1024)).toBe(65_536);
    expect(keyspaceFor('tiny', 64)).toBe(1_000);
  });

  it('gives pipelined rows more requests, MSET and MGET fewer than GET and SET', () => {
    expect(requestsFor({ test: 'get', pipeline: 1, dataSize: 64 }, 'quick')).toBe(20_000);
    expect(requestsFor({ test: 'set', pipeline: 16, dataSize: 64 }, 'quick')).toBe(100_000);
    expect(requestsFor({ test: 'mset', pipeline: 16, dataSize: 64 }, 'full')).toBe(400_000);
  });

  it('reads a preloaded key over HTTP, and knows a server that rejects --http-port', () => {
    expect(HTTP_ROWS.map((r) => r.path)).toEqual([
      '/healthz',
      '/v1/keys/bench%3Ahttp%3A100',
      '/v1/keys/bench%3Ahttp%3A10240',
    ]);
    expect(NO_HTTP_PORT).toBe('sluice-server has no --http-port yet');
    expect(
      rejectsHttpPort(
        "*** FATAL CONFIG ERROR (Sluice 0.1.0) ***\ncommand line '--http-port 46401': unknown setting 'http-port'\n",
      ),
    ).toBe(true);
    expect(rejectsHttpPort("Can't bind: address already in use (--http-port 46401)")).toBe(false);
  });

  it('spreads Kafka records over partitions with distinct keys', () => {
    const spec = { records: 10, partitions: 4 };
    expect([0, 1, 2, 3].map((p) => recordsIn(spec, p))).toEqual([3, 3, 2, 2]);
    expect(recordKey(spec, 2, 7)).toBe('sluice-bench-10-p4:2:000000007');
  });

  it('keeps every partition within what the mock broker retains', () => {
    for (const rows of Object.values(KAFKA_ROWS)) {
      for (const spec of rows) {
        expect(recordsIn(spec, 0)).toBeLessThanOrEqual(MAX_RECORDS_PER_PARTITION);
      }
    }
  });

  it('finds a topic that lost its oldest records', () => {
    const spec = { records: 4, partitions: 2 };
    expect(checkTopicContents('0 0\n1 0\n0 1\n1 1\n', spec)).toEqual([]);
    expect(checkTopicContents('0 1\n1 0\n1 1\n', spec)).toEqual([
      'partition 0 holds 1 of 2 records, from offset 1',
    ]);
    expect(checkTopicContents('7 0\n', spec)).toEqual(['unexpected line "7 0"']);
  });

  it('reads the records kcat reached the end of', () => {
    const stderr =
      '% Reached end of topic t [1] at offset 0\n% Reached end of topic t [0] at offset 200000: exiting\n';
    expect(kcatRecordsRead(stderr)).toEqual({ partitions: 2, records: 200_000 });
    expect(kcatRecordsRead('')).toEqual({ partitions: 0, records: 0 });
  });

  it('labels key counts as powers of ten', () => {
    expect(keysLabel(10_000)).toBe('10⁴ keys');
    expect(keysLabel(10_000_000)).toBe('10⁷ keys');
    expect(keysLabel(5_000)).toBe('5,000 keys');
    expect(scaleArgs(1000, 5000).join(' ')).toBe('-c 50 -P 16 -r 1000 -n 5000 -d 64 -t set,get --csv');
  });
});

describe('process costs', () => {
  it('reads resident memory from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmRSS:\t  198308 kB\nRssAnon:\t   63804 kB\nRssFile:\t  134504 kB\n';
    expect(parseProcStatus(status)).toEqual({
      rssBytes: 198308 * 1024,
      rssAnonBytes: 63804 * 1024,
      rssFileBytes: 134504 * 1024,
    });
    expect(() => parseProcStatus('Name:\tx\n')).toThrow(/VmRSS/);
  });

  it('adds up what a directory takes on disk', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-bench-size-'));
    try {
      await mkdir(path.join(dir, 'sub'));
      await writeFile(path.join(dir, 'a'), Buffer.alloc(10_000, 1));
      await writeFile(path.join(dir, 'sub', 'b'), Buffer.alloc(5_000, 1));
      const size = await directorySize(dir);
      expect(size).toBeGreaterThanOrEqual(15_000);
      expect(size).toBeLessThan(64 * 1024);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
