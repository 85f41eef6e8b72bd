/**
 * Where a key lives in the topic: Kafka's default partitioner for keyed records (Java's
 * `Utils.murmur2` and `toPositive(hash) % partitions`), the one kafkajs's `DefaultPartitioner`, Java
 * clients and `kcat -X partitioner=murmur2_random` use, so that Sluice and external producers put every
 * key in the same partition.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 of `key[start, end)`, as a signed 32-bit integer (Java's `int`). */
export function murmur2(key: Uint8Array, start = 0, end = key.length): number {
  const length = end - start;
  let h = (SEED ^ length) | 0;
  const blocks = start + (length & ~3);
  for (let i = start; i < blocks; i += 4) {
    let k =
      (key[i] as number) |
      ((key[i + 1] as number) << 8) |
      ((key[i + 2] as number) << 16) |
      ((key[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // The tail: up to three bytes, mixed in as Java's switch does by falling through.
  const tail = length & 3;
  if (tail >= 3) h ^= (key[blocks + 2] as number) << 16;
  if (tail >= 2) h ^= (key[blocks + 1] as number) << 8;
  if (tail >= 1) {
    h ^= key[blocks] as number;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner gives `key[start, end)` in a topic of `partitions`. */
export function partitionOf(key: Uint8Array, partitions: number, start = 0, end = key.length): number {
  return (murmur2(key, start, end) & 0x7fffffff) % partitions;
}
