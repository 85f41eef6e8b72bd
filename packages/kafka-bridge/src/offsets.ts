/**
 * Where the bridge records its progress in the target: one key per partition,
 * `<key-prefix>__sluice_bridge:offset:<topic>:<partition>`, whose value is the last applied offset in
 * decimal. It is written in the same transaction as the batch it covers.
 *
 * Record keys starting with `__sluice_bridge:` are reserved: such records are skipped, so data can never
 * overwrite an offset record. The consumer group is not part of the key on purpose: the offsets describe
 * what the target holds, whichever group wrote it, so changing `--group-id` does not replay the topic.
 */

import { keySlot, SLOTS } from '@sluice/protocol';

/** Record keys starting with this are reserved for the bridge's own records. */
export const RESERVED_PREFIX = '__sluice_bridge:';

const RESERVED = Buffer.from(RESERVED_PREFIX);

/** Whether a record key falls in the reserved namespace. */
export function isReservedKey(key: Buffer): boolean {
  return (
    key.length >= RESERVED.length && key[0] === 0x5f && RESERVED.equals(key.subarray(0, RESERVED.length))
  );
}

/** Names the offset records of one topic under one key prefix. */
export class OffsetKeys {
  readonly #prefix: Buffer;
  readonly #topic: string;

  constructor(topic: string, keyPrefix: Buffer) {
    this.#prefix = keyPrefix;
    this.#topic = topic;
  }

  /** The key holding `partition`'s last applied offset. */
  key(partition: number): Buffer {
    return Buffer.concat([this.#prefix, Buffer.from(`${RESERVED_PREFIX}offset:${this.#topic}:${partition}`)]);
  }

  /** The key as text, for logs and docs (the prefix is shown as UTF-8). */
  describe(partition: number): string {
    return this.key(partition).toString('utf8');
  }
}

/**
 * The offset records of a cluster target (`--target-cluster`): one per partition and hash slot,
 * `<key-prefix>__sluice_bridge:offset:{<tag>}:<topic>:<partition>`, where `<tag>` makes the key hash to
 * its slot, so that it can be written in the same MULTI/EXEC as that slot's keys. The tag of a slot is
 * the first of `0`, `1`, `2`, … (in base 36) whose key lands in that slot: a table of 16384 tags, built
 * once at start (about 170,000 CRC16s) and the same on every start, so the keys never change.
 */
export class SlotOffsetKeys {
  readonly #head: Buffer;
  readonly #topic: string;
  /** Each slot's tag; `undefined` for a slot no offset key can hash to (all keys share the prefix's tag). */
  readonly #tags: (string | undefined)[];

  constructor(topic: string, keyPrefix: Buffer) {
    this.#topic = topic;
    this.#head = Buffer.concat([keyPrefix, Buffer.from(`${RESERVED_PREFIX}offset:{`)]);
    this.#tags = new Array<string | undefined>(SLOTS);
    let found = 0;
    const seen = new Set<number>();
    // 40 × 16384 candidates leave a slot without a tag with odds of about 16384 × e^-40; a prefix with
    // a hash tag of its own sends every key to one slot, which the first thousand candidates show.
    for (let i = 0; found < SLOTS && i < SLOTS * 40; i++) {
      const tag = i.toString(36);
      const slot = keySlot(this.#key(tag, 0));
      seen.add(slot);
      if (this.#tags[slot] === undefined) {
        this.#tags[slot] = tag;
        found++;
      }
      if (i === 1000 && seen.size === 1) break;
    }
  }

  /** The key holding `partition`'s last applied offset in `slot`. */
  key(partition: number, slot: number): Buffer {
    const tag = this.#tags[slot];
    if (tag === undefined) throw new Error(`no offset key hashes to slot ${slot} under this key prefix`);
    return this.#key(tag, partition);
  }

  /** The key as text, for logs and docs. */
  describe(partition: number, slot: number): string {
    return this.key(partition, slot).toString('utf8');
  }

  #key(tag: string, partition: number): Buffer {
    return Buffer.concat([this.#head, Buffer.from(`${tag}}:${this.#topic}:${partition}`)]);
  }
}

/** An offset record's value: `null` when absent. Throws on anything but a non-negative decimal integer. */
export function parseStoredOffset(value: Buffer | string | null, key: string): bigint | null {
  if (value === null) return null;
  const text = typeof value === 'string' ? value : value.toString('latin1');
  if (!/^\d{1,19}$/.test(text)) {
    throw new StoredOffsetError(
      `offset record ${key} holds ${JSON.stringify(text.slice(0, 40))}, not an offset`,
    );
  }
  return BigInt(text);
}

/**
 * The stored offsets of `partitions`, from the values of their offset keys (`keys`), in the same order; a
 * value that is not a Buffer (nil) is none.
 */
export function storedOffsets(
  keys: OffsetKeys,
  partitions: readonly number[],
  values: readonly unknown[],
): Map<number, bigint | null> {
  const result = new Map<number, bigint | null>();
  partitions.forEach((partition, i) => {
    const value = values[i];
    result.set(partition, parseStoredOffset(Buffer.isBuffer(value) ? value : null, keys.describe(partition)));
  });
  return result;
}

/** An offset record that is not an offset: someone else wrote the key. The bridge will not guess. */
export class StoredOffsetError extends Error {
  override readonly name = 'StoredOffsetError';
}
