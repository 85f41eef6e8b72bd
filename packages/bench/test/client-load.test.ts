/**
 * The client-library load generator's hash and set workloads, against a real sluice-server: every
 * request succeeds, HSETs change the fields they write (a row of unchanged values would measure no
 * writes), and SADD/SREM keep members within the drawn range.
 */
import { type RunningServer, startSluice } from '@sluice/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadConfig, runLoad } from '../src/load/client-load.js';

describe('client load: hash and set workloads', () => {
  let server: RunningServer;
  let client: Redis;
  beforeAll(async () => {
    server = await startSluice();
    client = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.dispose();
  });

  const config = (workload: LoadConfig['workload'], keyPrefix: string, library: LoadConfig['library']) => ({
    library,
    port: server.port,
    connections: 2,
    inFlight: 4,
    workload,
    keyPrefix,
    keyDigits: 3,
    keyspace: 20,
    distribution: 'uniform' as const,
    zipfExponent: 0.99,
    valueSize: 16,
    warmupMs: 20,
    durationMs: 300,
    seed: 7,
  });

  it('HGET/HSET: HSET writes a new value each time', async () => {
    const filled = 'x'.repeat(16);
    for (let i = 0; i < 20; i++) {
      const fields: string[] = [];
      for (let f = 0; f < 4; f++) fields.push(`f${f}`, filled);
      await client.hset(`h:${String(i).padStart(3, '0')}`, ...fields);
    }
    for (const library of ['ioredis', 'node-redis'] as const) {
      const result = await runLoad(config({ kind: 'hash', readPercent: 50, fields: 4 }, 'h:', library));
      expect(result.errors).toBe(0);
      expect(result.ops).toBeGreaterThan(0);
    }
    const values = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const hash = await client.hgetall(`h:${String(i).padStart(3, '0')}`);
      expect(Object.keys(hash).sort()).toEqual(['f0', 'f1', 'f2', 'f3']);
      for (const v of Object.values(hash)) {
        expect(v).toHaveLength(16);
        values.add(v);
      }
    }
    // Written values carry a counter: many distinct values, and some fields no longer hold the fill.
    expect(values.size).toBeGreaterThan(20);
  });

  it('SISMEMBER/SADD/SREM: members stay among the drawn ones', async () => {
    for (const library of ['ioredis', 'node-redis'] as const) {
      const result = await runLoad(config({ kind: 'set', readPercent: 50, members: 6 }, 's:', library));
      expect(result.errors).toBe(0);
      expect(result.ops).toBeGreaterThan(0);
    }
    let members = 0;
    for (let i = 0; i < 20; i++) {
      const set = await client.smembers(`s:${String(i).padStart(3, '0')}`);
      for (const m of set) expect(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']).toContain(m);
      members += set.length;
    }
    expect(members).toBeGreaterThan(0);
  });
});
