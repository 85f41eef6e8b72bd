import { elementName, ID_BYTES, TYPE_ZSET } from '../../keyspace/collections.js';
import { type Element, type ScanSource, scanCommand } from '../_collection.js';
import { formatG17 } from '../_double.js';
import { command } from '../spec.js';
import { entryScore, oneKey } from './_shared.js';
import { ZTree } from './_tree.js';

/** Element entries' tags (a member's bytes, or its hash); the tree's nodes come after them (0x03, 0x04). */
const LAST_MEMBER_TAG = 0x01;
/** (double)(LLONG_MAX / 2): a listpack holds a whole score within ±2^62 as an integer. */
const LISTPACK_INTEGER_MAX = 2 ** 62;

/**
 * A score as a listpack holds it, which ZSCAN lists as it is: a whole number within ±2^62 as an integer
 * (double2ll), anything else as `%.17g`.
 */
function listpackScore(score: number): string {
  if (Number.isInteger(score) && Math.abs(score) <= LISTPACK_INTEGER_MAX) return BigInt(score).toString();
  return formatG17(score);
}

/**
 * A listpack lists its members in order with their scores as it holds them; a skiplist's hash table
 * gives each member and its score printed as d2string does, which is `%.17g` for every double. Walked
 * in stored-key order, a sorted set's member entries come first and its tree's nodes after them.
 */
const zsetSource: ScanSource = {
  small: (c, z) => {
    const out: Element[] = [];
    new ZTree(c.server.keyspace, z).walk(0, z.count, false, (score, member) => {
      out.push({ name: Buffer.from(member), value: Buffer.from(listpackScore(score), 'latin1'), seq: 0 });
    });
    return out;
  },
  entry: (stored, record) => {
    if ((stored[ID_BYTES] as number) > LAST_MEMBER_TAG) return null;
    const value = Buffer.from(formatG17(entryScore(record)), 'latin1');
    return { name: elementName(stored, record), value, seq: 0 };
  },
};

export const ZSCAN = command(
  {
    ...oneKey,
    name: 'zscan',
    summary: 'Iterates over the members of a sorted set and their scores.',
    since: '2.8.0',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0.',
    arity: -3,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    reply: {
      resp2:
        'Array of two: the next cursor ("0" when done) and an array of members and scores (bulk strings) alternating. A set in its listpack encoding comes whole, in order, in one call.',
      resp3:
        'Array of two: the next cursor ("0" when done) and an array of members and scores (bulk strings) alternating. A set in its listpack encoding comes whole, in order, in one call.',
    },
    errors: ['wrongType', 'invalidCursor', 'syntax', 'notInteger'],
    example: [
      '> ZADD board 1.5 a 2 b',
      '(integer) 2',
      '> ZSCAN board 0',
      '1) "0"',
      '2) 1) "a"',
      '   2) "1.5"',
      '   3) "b"',
      '   4) "2"',
    ],
  },
  (c) => scanCommand(c, TYPE_ZSET, 2, zsetSource),
);
