/**
 * The bridge's target in log mode: the keyspace itself. Each transaction of the bridge's applier (a
 * partition's records and its new offset) is one LMDB transaction, with no RESP round trip; the offsets
 * live in Sluice's own records, outside the keyspace, so no key is reserved. A record with
 * `sluice-format: dump` restores its key's whole value (log/values.ts) in that same transaction.
 */

import {
  type ApplyResult,
  type OrderedWrite,
  type Plan,
  planInOrder,
  type Target,
} from '@sluice/kafka-bridge';
import { defaultConfig } from '../config/index.js';
import type { AppliedWrite, Database, Keyspace } from '../keyspace/keyspace.js';
import type { AppliedOffsets } from './applied.js';
import { type FencedRecord, fence } from './fence.js';
import type { OutgoingRecord } from './records.js';
import { restoredWrite, type ValueHost } from './values.js';

export interface KeyspaceTargetOptions {
  /** What restoring a collection needs. */
  readonly values: ValueHost;
  /** A record's DUMP payload is corrupt: it is skipped (for the log and the counters). */
  readonly corrupt: (key: Buffer, partition: number, offset: bigint) => void;
  /**
   * Records of `partition` left out by the fence (fence.ts): their writer is not the partition's owner.
   * Called as their transaction is queued, before it commits.
   */
  readonly fenced?: (partition: number, records: readonly FencedRecord[], owner: string) => void;
  /** A transaction of `partition` moved its owner (a handoff record) to `owner`; called as it is queued. */
  readonly handedOff?: (partition: number, owner: string) => void;
}

export class KeyspaceTarget implements Target {
  readonly mode = 'multi' as const;
  readonly connected = true;
  /**
   * Each partition's offset as LMDB will hold it once the transactions queued so far have committed
   * (they commit on lmdb-js's writer thread, in order): what the next transaction is checked against.
   */
  private readonly known = new Map<number, bigint | null>();
  /** Each partition's owner (fence.ts) as LMDB will hold it once the queued transactions commit. */
  private readonly owners = new Map<number, string | null>();

  constructor(
    private readonly keyspace: Keyspace,
    private readonly db: Database,
    private readonly topic: string,
    private readonly applied: AppliedOffsets,
    /** Default: the default settings, corrupt payloads skipped silently (tests that apply strings). */
    private readonly options: KeyspaceTargetOptions = {
      values: { keyspace, config: defaultConfig() },
      corrupt: () => {},
    },
  ) {}

  /** Where partition `p`'s applied offset is stored. */
  offsetKey(partition: number): Buffer {
    return Buffer.from(`log-offset:${this.topic}:${partition}`);
  }

  /** The stored offset of `partition` (committed, or queued to be), null when none. */
  stored(partition: number): bigint | null {
    const known = this.known.get(partition);
    if (known !== undefined) return known;
    const raw = this.keyspace.readMeta(this.offsetKey(partition));
    return raw === undefined ? null : BigInt(raw.toString('latin1'));
  }

  /** Where partition `p`'s owner (the writer of its last handoff record, fence.ts) is stored. */
  ownerKey(partition: number): Buffer {
    return Buffer.from(`log-owner:${this.topic}:${partition}`);
  }

  /** The owner of `partition` (committed, or queued to be), null when no handoff was applied. */
  owner(partition: number): string | null {
    const known = this.owners.get(partition);
    if (known !== undefined) return known;
    const raw = this.keyspace.readMeta(this.ownerKey(partition));
    return raw === undefined ? null : raw.toString('latin1');
  }

  async readOffsets(partitions: readonly number[]): Promise<Map<number, bigint | null>> {
    return new Map(partitions.map((p) => [p, this.stored(p)]));
  }

  /** Records are applied in record order, one LMDB transaction each: no key is looked up to plan them. */
  readonly planner = planInOrder;

  async apply(partition: number, plan: Plan, offset: bigint, expected: bigint | null): Promise<ApplyResult> {
    const stored = this.stored(partition);
    if (stored !== expected) return { applied: false, stored };
    await this.write(partition, plan, offset);
    return { applied: true };
  }

  /**
   * Log mode's fast path (writer.ts): applies records this node produced, at offsets `base` … `last` of
   * `partition`, provided the partition is applied exactly up to `base` − 1, as the consumer would once it
   * fetched them. Returns whether it applies them (they are committed when `applied` says so).
   */
  applyOwn(
    partition: number,
    records: readonly OutgoingRecord[],
    base: bigint,
    last: bigint,
    now: number,
  ): boolean {
    const expected = base === 0n ? null : base - 1n;
    if (this.stored(partition) !== expected) return false;
    const plan = planInOrder({ records, offsetOf: (i) => base + BigInt(i) }, 0, records.length, base - 1n, {
      keyPrefix: Buffer.alloc(0),
      skipReserved: false,
      now,
    });
    // A failure is the consumer's to retry: it applies these records when it fetches them.
    this.write(partition, plan, last).catch(() => {});
    return true;
  }

  /**
   * Cluster mode: deletes `keys` (keys of `partition`'s slots, a partition this node no longer holds) and
   * removes the partition's stored offset, in one transaction queued after those before it; nothing is
   * produced. From this call on, the partition counts as never applied: if it comes back, the bridge
   * reads it from its start. Resolves once committed.
   */
  async drop(partition: number, keys: readonly Buffer[]): Promise<void> {
    this.known.set(partition, null);
    this.owners.set(partition, null);
    this.applied.reset(partition);
    try {
      await this.keyspace.applyRecords(this.db, {
        writes: keys.map((key) => ({ key, value: null, at: 0 })),
        offsetKey: this.offsetKey(partition),
        offsetValue: null,
        meta: [{ key: this.ownerKey(partition), value: null }],
        announce: false,
      });
    } catch (err) {
      // Not committed: LMDB holds what it held (unless a transaction queued since says otherwise).
      if (this.known.get(partition) === null) this.known.delete(partition);
      if (this.owners.get(partition) === null) this.owners.delete(partition);
      throw err;
    }
  }

  async close(): Promise<void> {}

  /**
   * The writes as the keyspace applies them: a record with a DUMP payload becomes its restored value
   * (log/values.ts); a corrupt one is left out (reported with the transaction's last offset).
   */
  private restored(writes: readonly OrderedWrite[], partition: number, offset: bigint): AppliedWrite[] {
    let out: AppliedWrite[] | null = null;
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i] as OrderedWrite;
      if (w.dump !== true || w.value === null) {
        out?.push(w);
        continue;
      }
      out ??= writes.slice(0, i);
      const restored = restoredWrite(this.options.values, this.db, w.key, w.value, w.at);
      if (restored === null) this.options.corrupt(w.key, partition, offset);
      else out.push(restored);
    }
    return out ?? (writes as AppliedWrite[]);
  }

  private async write(partition: number, plan: Plan, offset: bigint): Promise<void> {
    const before = this.known.get(partition);
    this.known.set(partition, offset);
    // The fence (fence.ts): handoffs move the owner, records of other writers are left out.
    const owner = this.owner(partition);
    const fenced = fence(plan.ordered ?? inOrder(plan), owner);
    const ownerBefore = this.owners.get(partition);
    const moved = fenced.owner !== owner;
    if (moved) this.owners.set(partition, fenced.owner);
    if (fenced.fenced.length > 0) this.options.fenced?.(partition, fenced.fenced, fenced.owner as string);
    if (moved) this.options.handedOff?.(partition, fenced.owner as string);
    try {
      await this.keyspace.applyRecords(this.db, {
        writes: this.restored(fenced.writes, partition, offset),
        offsetKey: this.offsetKey(partition),
        offsetValue: Buffer.from(offset.toString(), 'latin1'),
        ...(moved
          ? {
              meta: [{ key: this.ownerKey(partition), value: Buffer.from(fenced.owner as string, 'latin1') }],
            }
          : {}),
      });
    } catch (err) {
      // Not committed: the offset is what it was before this transaction (one queued earlier may still
      // commit), or, when that is not known, whatever LMDB holds next time.
      if (this.known.get(partition) === offset) {
        if (before === undefined) this.known.delete(partition);
        else this.known.set(partition, before);
        if (moved) {
          if (ownerBefore === undefined) this.owners.delete(partition);
          else this.owners.set(partition, ownerBefore);
        }
      }
      throw err;
    }
    this.applied.advance(partition, offset);
  }
}

/** A plan of last writes per key (`planRecords`) as writes in an order that gives the same state. */
function inOrder(plan: Plan): OrderedWrite[] {
  const writes: OrderedWrite[] = plan.dels.map((key) => ({ key, value: null, at: 0 }));
  for (let i = 0; i < plan.sets.length; i += 2) {
    writes.push({ key: plan.sets[i] as Buffer, value: plan.sets[i + 1] as Buffer, at: 0 });
  }
  for (const { key, value, at } of plan.expiring) writes.push({ key, value, at });
  return writes;
}
