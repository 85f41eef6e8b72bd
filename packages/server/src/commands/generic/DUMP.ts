import { errorReply } from '../../errors.js';
import {
  TYPE_HASH,
  TYPE_LIST,
  TYPE_STREAM,
  TYPE_STRING,
  TYPE_ZSET,
  typeOf,
} from '../../keyspace/collections.js';
import { withFooter } from '../../rdb.js';
import { recordAt } from '../_args.js';
import { allElements, openAt } from '../_collection.js';
import { itemsIn } from '../list/_shared.js';
import { treeOf } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { valueStart } from '../string/_shared.js';
import { type DumpedValue, serialize, type ZsetElement } from './_dump.js';

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
    errors: ['streamDump'],
    example: ['> SET k 10', 'OK', '> DUMP k', '"\\x00\\xc0\\n\\n\\x00n\\x9fWE\\x0e\\xaec\\xbb"'],
  },
  (c) => {
    const record = recordAt(c, 1);
    if (record === undefined) return c.out.nullBulk();
    const type = typeOf(record);
    let value: DumpedValue;
    if (type === TYPE_STREAM) {
      c.out.error(errorReply('streamDump'));
      return;
    }
    if (type === TYPE_STRING) {
      value = { type: 'string', value: Buffer.from(record.subarray(valueStart(record))) };
    } else {
      const coll = openAt(c, 1, type);
      if (coll == null) return c.out.nullBulk();
      if (type === TYPE_ZSET) {
        const members: ZsetElement[] = [];
        treeOf(c, coll).walk(0, coll.count, false, (score, member) => {
          members.push({ score, member: Buffer.from(member) });
        });
        c.out.bulk(
          withFooter(
            serialize({ type: 'zset', elements: members, encoding: coll.large ? 'plain' : 'listpack' }),
          ),
        );
        return;
      }
      const elements = type === TYPE_LIST ? [] : allElements(c, coll);
      value =
        type === TYPE_HASH
          ? { type: 'hash', pairs: elements.map((e) => [e.name, e.value]), encoding: 'plain' }
          : type === TYPE_LIST
            ? { type: 'list', items: itemsIn(c, coll, 0, coll.count - 1) }
            : { type: 'set', members: elements.map((e) => e.name), encoding: 'plain' };
    }
    c.out.bulk(withFooter(serialize(value)));
  },
);
