/**
 * Where the bridge records its progress in the target: one key per partition,
 * `<key-prefix>__sluice_bridge:offset:<topic>:<partition>`, whose value is the last applied offset in
 * decimal. It is written in the same transaction as the batch it covers.
 *
 * Record keys starting with `__sluice_bridge:` are reserved: such records are skipped, so data can never
 * overwrite an offset record. The consumer group is not part of the key on purpose: the offsets describe
 * what the target holds, whichever group wrote it, so changing `--group-id` does not replay the topic.
 */

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

/** An offset record that is not an offset: someone else wrote the key. The bridge will not guess. */
export class StoredOffsetError extends Error {
  override readonly name = 'StoredOffsetError';
}
