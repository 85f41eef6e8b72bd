import {
  decodeMeta,
  TYPE_HASH,
  TYPE_LIST,
  TYPE_STREAM,
  TYPE_STRING,
  TYPE_ZSET,
  typeOf,
} from '../../keyspace/collections.js';
import { expiryOf } from '../../keyspace/encoding.js';
import { withFooter } from '../../rdb.js';
import { recordAt } from '../_args.js';
import { allElements, type OpenCollection, openAt } from '../_collection.js';
import type { CommandContext } from '../context.js';
import { itemsIn } from '../list/_shared.js';
import { treeOf } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { streamValue } from '../stream/_dump.js';
import { withState } from '../stream/_shared.js';
import { valueStart } from '../string/_shared.js';
import { type DumpedValue, serialize, serializeStream, type ZsetElement } from './_dump.js';

export const DUMP = command(
  {
    name: 'dump',
    group: 'generic',
    summary:
      "Serializes a key's value in Redis's RDB format (with RDB version 10 and a CRC-64), for RESTORE here or on redis-server 7.",
    since: '2.6.0',
    complexity: 'O(1) to access the key and additional O(N*M) to serialize it.',
    arity: 2,
    flags: ['readonly'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [{ name: 'key', type: 'key' }],
    reply: {
      resp2: 'Bulk string: the serialized value, or a null bulk string when the key does not exist.',
      resp3: 'Bulk string: the serialized value, or null when the key does not exist.',
    },
    errors: [],
    example: ['> SET k 10', 'OK', '> DUMP k', '"\\x00\\xc0\\n\\n\\x00n\\x9fWE\\x0e\\xaec\\xbb"'],
  },
  (c) => {
    const record = recordAt(c, 1);
    if (record === undefined) return c.out.nullBulk();
    if (typeOf(record) !== TYPE_STRING && openAt(c, 1, typeOf(record)) == null) return c.out.nullBulk();
    c.out.bulk(dumpRecord(c, record));
  },
);

/**
 * The DUMP payload of a key's record (footer included): a string's value, or a collection's elements
 * read through `c.server.keyspace` (log mode also serializes each collection a batch changed this way,
 * log/values.ts). `record` may be lmdb-js's shared buffer: it is read before any other read.
 */
export function dumpRecord(c: Pick<CommandContext, 'server'>, record: Buffer): Buffer {
  const type = typeOf(record);
  if (type === TYPE_STRING) {
    return withFooter(serialize({ type: 'string', value: Buffer.from(record.subarray(valueStart(record))) }));
  }
  const meta = decodeMeta(record);
  const coll: OpenCollection = {
    ...meta,
    expiresAt: expiryOf(record),
    created: false,
    type,
    stored: meta,
    work: undefined,
  };
  const cx = c as CommandContext;
  if (type === TYPE_STREAM) return withFooter(serializeStream(streamValue(cx, withState(cx, coll))));
  if (type === TYPE_ZSET) {
    const members: ZsetElement[] = [];
    treeOf(cx, coll).walk(0, coll.count, false, (score, member) => {
      members.push({ score, member: Buffer.from(member) });
    });
    return withFooter(
      serialize({ type: 'zset', elements: members, encoding: coll.large ? 'plain' : 'listpack' }),
    );
  }
  const elements = type === TYPE_LIST ? [] : allElements(cx, coll);
  const value: DumpedValue =
    type === TYPE_HASH
      ? { type: 'hash', pairs: elements.map((e) => [e.name, e.value]), encoding: 'plain' }
      : type === TYPE_LIST
        ? { type: 'list', items: itemsIn(cx, coll, 0, coll.count - 1) }
        : { type: 'set', members: elements.map((e) => e.name), encoding: 'plain' };
  return withFooter(serialize(value));
}
