import { errorReply } from '../../errors.js';
import { TYPE_SET } from '../../keyspace/collections.js';
import { integerArg } from '../_args.js';
import {
  collectionWritesAllowed,
  deleteElement,
  type OpenCollection,
  openAt,
  saveAt,
} from '../_collection.js';
import { NOTIFY_GENERIC, NOTIFY_SET, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import {
  isIntegerMember,
  maxIntsetEntries,
  members,
  oneKey,
  randomDistinctMembers,
  randomMember,
  randomPositionSet,
  replyNewSet,
  replySet,
} from './_shared.js';

/**
 * redis-server's SPOP_MOVE_STRATEGY_MUL: when the members left would be at most 1/5 of those popped, it
 * builds a new set of the members that stay instead, whose encoding is then chosen afresh.
 */
const MOVE_STRATEGY_MUL = 5;

export const SPOP = command(
  {
    ...oneKey,
    name: 'spop',
    summary: 'Removes and returns random members of a set: one, or up to `count` distinct ones.',
    since: '1.0.0',
    complexity: 'Without count O(1); with count O(N) where N is the count.',
    arity: -2,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer', optional: true },
    ],
    reply: {
      resp2:
        'Without count: a bulk string, or a null bulk string for a missing key. With count: an array of the members removed (empty for a missing key).',
      resp3:
        'Without count: a bulk string, or null for a missing key. With count: a set of the members removed (empty for a missing key).',
    },
    errors: ['wrongType', 'syntax', 'mustBePositive'],
    example: ['> SADD colors red', '(integer) 1', '> SPOP colors', '"red"', '> EXISTS colors', '(integer) 0'],
  },
  (c) => {
    if (!collectionWritesAllowed(c)) return;
    const a = c.args;
    if (a.argc > 3) {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (a.argc === 3) {
      const count = integerArg(c, 2);
      if (count === null || count < 0) {
        c.out.error(errorReply('mustBePositive'));
        return;
      }
      popCount(c, count);
      return;
    }
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    if (coll === null) return c.out.nullBulk();
    const member = randomMember(c, coll);
    deleteElement(c, coll, member);
    saveAt(c, 1, coll);
    // As redis-server: spop, the reply, then del when the set is gone.
    notify(c, NOTIFY_SET, 'spop', 1);
    c.out.bulk(member);
    if (coll.count === 0) notify(c, NOTIFY_GENERIC, 'del', 1);
  },
);

/** SPOP with a count, as spopWithCountCommand: the whole set, or `count` random distinct members. */
function popCount(c: CommandContext, count: number): void {
  const coll = openAt(c, 1, TYPE_SET);
  if (coll === undefined) return;
  if (coll === null || count === 0) {
    replySet(c, []);
    return;
  }
  const size = coll.count;
  if (count >= size) {
    // The whole set, listed as redis-server lists a copy of it (SUNION of the one key); spop is
    // announced first, del after the reply, as redis-server does.
    notify(c, NOTIFY_SET, 'spop', 1);
    replyNewSet(c, members(c, coll));
    coll.count = 0;
    saveAt(c, 1, coll);
    notify(c, NOTIFY_GENERIC, 'del', 1);
    return;
  }
  const remaining = size - count;
  const popped =
    remaining * MOVE_STRATEGY_MUL > count
      ? randomDistinctMembers(c, coll, count)
      : keepRandom(c, coll, remaining);
  for (const member of popped) deleteElement(c, coll, member);
  saveAt(c, 1, coll);
  notify(c, NOTIFY_SET, 'spop', 1);
  replySet(c, popped);
}

/**
 * The members that go when only `remaining` random ones stay: redis-server builds a new set of those,
 * intset if they allow it, and lists the others in the old set's order.
 */
function keepRandom(c: CommandContext, coll: OpenCollection, remaining: number): Buffer[] {
  const all = members(c, coll);
  const keep = randomPositionSet(all.length, remaining);
  const popped: Buffer[] = [];
  let large = remaining > maxIntsetEntries(c);
  all.forEach((member, i) => {
    if (!keep.has(i)) popped.push(member);
    else if (!large && !isIntegerMember(member)) large = true;
  });
  coll.large = large;
  return popped;
}
