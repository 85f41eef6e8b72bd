/**
 * Record headers the bridge and sluice-server's log mode read (and log mode writes): a key's expiry
 * travels with its record, so that a store fed from the topic expires the key when its writer meant it to.
 *
 * - `sluice-expire-at`: when the key expires, in milliseconds since the Unix epoch, as decimal digits.
 * - `sluice-ttl`: how long after the record's timestamp the key expires, in milliseconds, as decimal
 *   digits (for producers that know a time to live rather than a time); `sluice-expire-at` wins when a
 *   record has both.
 *
 * - `sluice-format: dump`: the value is a whole key's value serialized as Redis's DUMP command returns it
 *   (RDB type byte, payload, RDB version, CRC-64), not a string: sluice-server's log mode writes one for
 *   each hash, set, list or sorted set a batch of writes changed, and a reader restores the key from it
 *   (log mode: with its own RESTORE machinery; the bridge: with `RESTORE key ttl payload REPLACE ABSTTL`).
 *
 * Both expiry headers are absolute once read (the record's timestamp is in the log), so every reader, today or on a
 * replay, computes the same expiry. A record whose expiry has passed when it is applied deletes its key,
 * as Redis's `SET … PXAT` with a past time does.
 */

export const EXPIRE_AT_HEADER = 'sluice-expire-at';
export const TTL_HEADER = 'sluice-ttl';
/** How a record's value is to be read; absent: the value is a string. */
export const FORMAT_HEADER = 'sluice-format';
/** `sluice-format`'s value for a DUMP payload. */
export const DUMP_FORMAT = 'dump';

/** kafkajs's record headers: each value a Buffer (or a string when produced locally), or several. */
export type RecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** The largest expiry accepted: 2^53 − 1 ms, far beyond any date a Redis client sends. */
const MAX_MS = Number.MAX_SAFE_INTEGER;

/**
 * The expiry a record's headers give, in ms since the epoch: 0 for none, NaN when a header is not a
 * positive decimal integer (or, for `sluice-ttl`, the record has no usable timestamp).
 */
export function expiryFromHeaders(headers: RecordHeaders | undefined, timestamp: string | undefined): number {
  if (headers === undefined) return 0;
  const at = headers[EXPIRE_AT_HEADER];
  if (at !== undefined) return positive(last(at));
  const ttl = headers[TTL_HEADER];
  if (ttl === undefined) return 0;
  const ms = positive(last(ttl));
  const base = timestamp === undefined ? Number.NaN : Number(timestamp);
  if (!Number.isSafeInteger(base) || base < 0) return Number.NaN;
  const sum = base + ms;
  return sum <= MAX_MS ? sum : Number.NaN;
}

/** The headers log mode writes for a key expiring at `expiresAt` (0: none). */
export function expiryHeaders(expiresAt: number): Record<string, string> | undefined {
  return expiresAt > 0 ? { [EXPIRE_AT_HEADER]: String(Math.floor(expiresAt)) } : undefined;
}

/** The headers log mode writes for a DUMP payload of a key expiring at `expiresAt` (0: none). */
export function dumpHeaders(expiresAt: number): Record<string, string> {
  return { [FORMAT_HEADER]: DUMP_FORMAT, ...expiryHeaders(expiresAt) };
}

/** Whether a record's value is a DUMP payload (`sluice-format: dump`). */
export function isDumpRecord(headers: RecordHeaders | undefined): boolean {
  if (headers === undefined) return false;
  const format = headers[FORMAT_HEADER];
  if (format === undefined) return false;
  const value = last(format);
  return value !== undefined && value.toString() === DUMP_FORMAT;
}

function last(value: Buffer | string | (Buffer | string)[]): Buffer | string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function positive(value: Buffer | string | undefined): number {
  if (value === undefined) return Number.NaN;
  const text = typeof value === 'string' ? value : value.toString('latin1');
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return Number.NaN;
  const n = Number(text);
  return n <= MAX_MS ? n : Number.NaN;
}
