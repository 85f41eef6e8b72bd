/**
 * Cluster mode's fence between a partition's old and new primary. Every record a cluster node produces
 * names its writer (its node id, in the `sluice-node` header the Pub/Sub bus also uses). A node that
 * gains a partition as primary first produces a handoff record into it, and serves the partition's slots
 * only once it has applied that record. Every node applying the partition keeps its owner: the writer of
 * the last handoff applied, stored with the partition's offset. A record of another writer than the owner
 * is fenced: skipped by every node alike (the offset still moves past it), and its writer fails the write
 * instead of acknowledging it. Records without a writer (external producers) are applied as before.
 *
 * A handoff record's key is in the bridge's reserved namespace (`__sluice_bridge:`), unique per handoff
 * (a compacted topic keeps every one, and needs a key): the sidecar bridge skips it as reserved, and a
 * cluster node knows it by its `sluice-handoff` header and never applies it as a key.
 */

import { randomBytes } from 'node:crypto';
import type { OrderedWrite, RecordHeaders } from '@sluice/kafka-bridge';
import { NODE_HEADER } from './pubsub-bus.js';
import type { OutgoingRecord } from './records.js';

/** The header naming the node that produced a record. */
export const WRITER_HEADER = NODE_HEADER;
/** The header marking a handoff record (its value: the partition). */
export const HANDOFF_HEADER = 'sluice-handoff';
/** The start of every handoff record's key. */
const HANDOFF_KEY_PREFIX = '__sluice_bridge:handoff:';

/** The handoff record `nodeId` produces into `partition` as it becomes the partition's primary. */
export function handoffRecord(partition: number, nodeId: string): OutgoingRecord {
  return {
    partition,
    key: Buffer.from(`${HANDOFF_KEY_PREFIX}${nodeId}:${Date.now()}:${randomBytes(4).toString('hex')}`),
    value: Buffer.from(String(partition)),
    headers: { [WRITER_HEADER]: nodeId, [HANDOFF_HEADER]: String(partition) },
  };
}

function header(headers: RecordHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined ? undefined : last.toString();
}

/** A record skipped by the fence. */
export interface FencedRecord {
  readonly offset: bigint;
  readonly key: Buffer;
  /** The node that produced it. */
  readonly writer: string;
}

export interface Fenced {
  /** The writes to apply, in record order (`writes` itself when nothing was left out). */
  readonly writes: readonly OrderedWrite[];
  /** The partition's owner after these records: the writer of the last handoff, null when none seen. */
  readonly owner: string | null;
  /** Records left out for naming another writer than the owner. */
  readonly fenced: readonly FencedRecord[];
}

/**
 * The owner rule over one partition's `writes` (in record order), starting with `owner`: a handoff makes
 * its writer the owner and is not applied as a key; a record of another writer than the owner (once
 * there is one) is left out; a record with no writer is applied.
 */
export function fence(writes: readonly OrderedWrite[], owner: string | null): Fenced {
  let out: OrderedWrite[] | null = null;
  const fenced: FencedRecord[] = [];
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i] as OrderedWrite;
    const headers = w.headers;
    const writer = headers === undefined ? undefined : header(headers, WRITER_HEADER);
    if (writer === undefined) {
      out?.push(w);
      continue;
    }
    if (header(headers as RecordHeaders, HANDOFF_HEADER) !== undefined) {
      owner = writer;
      out ??= writes.slice(0, i);
      continue;
    }
    if (owner === null || writer === owner) {
      out?.push(w);
      continue;
    }
    out ??= writes.slice(0, i);
    fenced.push({ offset: w.offset ?? -1n, key: w.key, writer });
  }
  return { writes: out ?? writes, owner, fenced };
}
