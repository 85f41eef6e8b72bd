/**
 * Turning records into writes. Within one transaction the last record of a key wins, so a key is either
 * set or deleted, never both: a tombstone can never be reordered before an earlier write of its key,
 * and an earlier write never lands after a later tombstone. A key's expiry comes from its record's
 * headers (`record-headers.ts`); a record whose expiry has passed deletes the key.
 */

import type { SourceBatch } from './kafka/source.js';
import { isReservedKey } from './offsets.js';
import {
  EXPIRE_AT_HEADER,
  expiryFromHeaders,
  isDumpRecord,
  type RecordHeaders,
  TTL_HEADER,
} from './record-headers.js';

/** Why a record is skipped rather than written. */
export type SkipReason = 'no_key' | 'reserved_key' | 'bad_expiry';

export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  no_key: 'the record has no key',
  reserved_key: 'the record key starts with the reserved prefix __sluice_bridge:',
  bad_expiry: `the record's ${EXPIRE_AT_HEADER} or ${TTL_HEADER} header is not a positive number of milliseconds`,
};

/** A key to set with an expiry. */
export interface ExpiringSet {
  key: Buffer;
  value: Buffer;
  /** When the key expires, in ms since the epoch (in the future when planned). */
  at: number;
}

/** One record's write, in record order (`planInOrder`): a value (with its expiry, 0 for none) or a deletion. */
export interface OrderedWrite {
  key: Buffer;
  /** Null: delete the key. */
  value: Buffer | null;
  /** When the key expires, in ms since the epoch; 0 for none. */
  at: number;
  /** The value is a DUMP payload (`sluice-format: dump`), to restore rather than store as a string. */
  dump?: boolean;
  /** The record's offset (`planInOrder` sets it). */
  offset?: bigint;
  /** The record's headers, when it has any (`planInOrder` sets them: a target may read more of them). */
  headers?: RecordHeaders;
}

/** The writes of one transaction, and what went into them. */
export interface Plan {
  /** Keys to set without an expiry and their values, alternating: `[key, value, key, value, …]`, prefix applied. */
  sets: Buffer[];
  /** Keys to set with an expiry, prefix applied. */
  expiring: ExpiringSet[];
  /** Keys to delete, prefix applied. */
  dels: Buffer[];
  /**
   * Keys whose record is a DUMP payload (`sluice-format: dump`, a whole hash, set, list or sorted set as
   * sluice-server's log mode writes it): restored whole, replacing the key's old value, with `at` its
   * expiry (0 for none). Prefix applied. Absent in plans that have none.
   */
  restores?: ExpiringSet[];
  /** Records that had an effect (keyed, not reserved), counting those a later record of the key replaced. */
  records: number;
  /** Key and value bytes of those records. */
  bytes: number;
  /** Records skipped, by reason, with the first such record's offset. */
  skipped: Map<SkipReason, { count: number; firstOffset: bigint }>;
  /** Records at or below `after`: already in the target. */
  alreadyApplied: number;
  /**
   * Set instead of `sets`, `expiring` and `dels` (which are then empty) by `planInOrder`: every record's
   * write in record order, for a target that applies them in that order in one transaction, so that no
   * key needs to be looked up to find its last record.
   */
  ordered?: OrderedWrite[];
}

export interface PlanOptions {
  /** Prepended to every key. */
  keyPrefix: Buffer;
  /**
   * Skip records whose key is in the bridge's reserved namespace (`__sluice_bridge:`), where a target of
   * the sidecar keeps its offsets. Off in sluice-server's log mode, which keeps them outside the keyspace.
   */
  skipReserved: boolean;
  /** Milliseconds since the epoch: expiries at or before it delete their key. */
  now: number;
}

/**
 * Plan `batch.records[from … to)` (in offset order), leaving out records at or below `after` (already in
 * the target).
 */
export function planRecords(
  batch: Pick<SourceBatch, 'records' | 'offsetOf'>,
  from: number,
  to: number,
  after: bigint,
  options: PlanOptions,
): Plan {
  const { records } = batch;
  /** Key (as latin1, which maps each byte to one code unit: binary-safe) → index of its last record. */
  const latest = new Map<string, number>();
  /** Expiry of the records that have one, by index. */
  const expiries = new Map<number, number>();
  const skipped = new Map<SkipReason, { count: number; firstOffset: bigint }>();
  let count = 0;
  let bytes = 0;
  const skip = (reason: SkipReason, index: number): void => {
    const seen = skipped.get(reason);
    if (seen === undefined) skipped.set(reason, { count: 1, firstOffset: batch.offsetOf(index) });
    else seen.count++;
  };
  // Offsets increase with the index: find the first record after `after` by bisection.
  let start = from;
  if (to > from && batch.offsetOf(from) <= after) {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (batch.offsetOf(mid) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  for (let i = start; i < to; i++) {
    const record = records[i];
    if (record === undefined) continue;
    const { key, value, headers } = record;
    if (key === null) {
      skip('no_key', i);
      continue;
    }
    if (options.skipReserved && isReservedKey(key)) {
      skip('reserved_key', i);
      continue;
    }
    if (value !== null && headers !== undefined) {
      const at = expiryFromHeaders(headers, record.timestamp);
      if (Number.isNaN(at)) {
        skip('bad_expiry', i);
        continue;
      }
      if (at !== 0) expiries.set(i, at);
    }
    count++;
    bytes += key.length + (value === null ? 0 : value.length);
    latest.set(key.toString('latin1'), i);
  }
  const sets: Buffer[] = [];
  const expiring: ExpiringSet[] = [];
  const dels: Buffer[] = [];
  const restores: ExpiringSet[] = [];
  const prefix = options.keyPrefix.length === 0 ? undefined : options.keyPrefix;
  for (const i of latest.values()) {
    const { key, value, headers } = records[i] as {
      key: Buffer;
      value: Buffer | null;
      headers?: RecordHeaders;
    };
    const target = prefix === undefined ? key : Buffer.concat([prefix, key]);
    const at = expiries.get(i) ?? 0;
    if (value === null || (at !== 0 && at <= options.now)) dels.push(target);
    else if (isDumpRecord(headers)) restores.push({ key: target, value, at });
    else if (at !== 0) expiring.push({ key: target, value, at });
    else sets.push(target, value);
  }
  return {
    sets,
    expiring,
    dels,
    ...(restores.length > 0 ? { restores } : {}),
    records: count,
    bytes,
    skipped,
    alreadyApplied: start - from,
  };
}

/**
 * Plans `batch.records[from … to)` as `planRecords` does, with the same skips, but keeps every record's
 * write in record order (`Plan.ordered`) instead of the last write of each key: for a target that applies
 * them in order in one transaction (sluice-server's log mode), where the last write wins by itself.
 */
export function planInOrder(
  batch: Pick<SourceBatch, 'records' | 'offsetOf'>,
  from: number,
  to: number,
  after: bigint,
  options: PlanOptions,
): Plan {
  const { records } = batch;
  const skipped = new Map<SkipReason, { count: number; firstOffset: bigint }>();
  const skip = (reason: SkipReason, index: number): void => {
    const seen = skipped.get(reason);
    if (seen === undefined) skipped.set(reason, { count: 1, firstOffset: batch.offsetOf(index) });
    else seen.count++;
  };
  let start = from;
  if (to > from && batch.offsetOf(from) <= after) {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (batch.offsetOf(mid) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const prefix = options.keyPrefix.length === 0 ? undefined : options.keyPrefix;
  const ordered: OrderedWrite[] = [];
  let bytes = 0;
  for (let i = start; i < to; i++) {
    const record = records[i];
    if (record === undefined) continue;
    const { key, value, headers } = record;
    if (key === null) {
      skip('no_key', i);
      continue;
    }
    if (options.skipReserved && isReservedKey(key)) {
      skip('reserved_key', i);
      continue;
    }
    let at = 0;
    if (value !== null && headers !== undefined) {
      at = expiryFromHeaders(headers, record.timestamp);
      if (Number.isNaN(at)) {
        skip('bad_expiry', i);
        continue;
      }
    }
    bytes += key.length + (value === null ? 0 : value.length);
    const target = prefix === undefined ? key : Buffer.concat([prefix, key]);
    const expired = at !== 0 && at <= options.now;
    const offset = batch.offsetOf(i);
    const write: OrderedWrite =
      expired || value === null
        ? { key: target, value: null, at: 0, offset }
        : isDumpRecord(headers)
          ? { key: target, value, at, dump: true, offset }
          : { key: target, value, at, offset };
    if (headers !== undefined) write.headers = headers;
    ordered.push(write);
  }
  return {
    sets: [],
    expiring: [],
    dels: [],
    records: ordered.length,
    bytes,
    skipped,
    alreadyApplied: start - from,
    ordered,
  };
}
