import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionOf } from '../../src/log/partitioner.js';

// kafkajs's own murmur2 (a port of Java's, on its Long type): ours must agree with it on every key.
const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require(
  require.resolve('kafkajs/src/producer/partitioners/default/murmur2.js', {
    paths: [require.resolve('kafkajs')],
  }),
) as (key: Buffer) => number;

describe('Kafka default partitioner', () => {
  it("gives Java's murmur2 values for Kafka's own test vectors", () => {
    // From Kafka's UtilsTest / kafkajs's murmur2 tests.
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key)), key).toBe(hash);
  });

  it('agrees with kafkajs on any key, and on a range of a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(8), (bytes, pad) => {
        const key = Buffer.from(bytes);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
        const padded = Buffer.concat([Buffer.alloc(pad, 7), key, Buffer.alloc(3, 9)]);
        expect(murmur2(padded, pad, pad + key.length)).toBe(kafkajsMurmur2(key));
      }),
      { numRuns: 2000 },
    );
  });

  it('maps a key to toPositive(murmur2) % partitions', () => {
    expect(partitionOf(Buffer.from('foobar'), 7)).toBe((-790332482 & 0x7fffffff) % 7);
    for (let i = 0; i < 200; i++) {
      const key = Buffer.from(`key-${i}`);
      const p = partitionOf(key, 12);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(12);
    }
  });
});
