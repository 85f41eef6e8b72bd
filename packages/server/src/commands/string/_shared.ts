import type { ReplyWriter } from '@sluice/protocol';
import { layout } from '../../keyspace/encoding.js';

/** Where a record's value starts (past its header). */
export function valueStart(record: Uint8Array): number {
  return record[0] === 0 ? 1 : layout(record).valueStart;
}

/** Replies with a record's value (copied now: the record may be lmdb-js's shared read buffer), or null. */
export function replyValue(out: ReplyWriter, record: Buffer | undefined): void {
  if (record === undefined) out.nullBulk();
  else out.bulkCopy(record, valueStart(record), record.length);
}
