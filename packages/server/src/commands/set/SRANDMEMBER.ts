import { errorReply } from '../../errors.js';
import { TYPE_SET } from '../../keyspace/collections.js';
import { bigintArg, LLONG_MIN } from '../_args.js';
import { openAt } from '../_collection.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import {
  members,
  oneKey,
  randomDistinctMembers,
  randomMember,
  randomMembersWithRepeats,
  replyArray,
} from './_shared.js';

/** The shortest reply a member can have (`$0\r\n\r\n`): bounds the size of a reply of repeats. */
const MIN_MEMBER_REPLY = 6;

export const SRANDMEMBER = command(
  {
    ...oneKey,
    name: 'srandmember',
    summary:
      'Returns random members of a set: one, or `count` distinct ones, or with a negative count that many picks that may repeat.',
    since: '1.0.0',
    complexity: 'Without count O(1); with count O(N) where N is the absolute value of the count.',
    arity: -2,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer', optional: true },
    ],
    reply: {
      resp2:
        'Without count: a bulk string, or a null bulk string for a missing key. With count: an array of members (empty for a missing key).',
      resp3:
        'Without count: a bulk string, or null for a missing key. With count: an array of members (empty for a missing key).',
    },
    errors: ['wrongType', 'syntax', 'notInteger', 'longRange', 'valueOutOfRange'],
    example: [
      '> SADD colors red green blue',
      '(integer) 3',
      '> SRANDMEMBER colors -4',
      '1) "red"',
      '2) "red"',
      '3) "blue"',
      '4) "green"',
    ],
  },
  (c) => {
    const a = c.args;
    if (a.argc > 3) {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (a.argc === 3) {
      const count = bigintArg(c, 2);
      if (count === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      // The count's absolute value must be a long: -2^63 is refused.
      if (count === LLONG_MIN) {
        c.out.error(errorReply('longRange'));
        return;
      }
      randomCount(c, count);
      return;
    }
    const coll = openAt(c, 1, TYPE_SET);
    if (coll === undefined) return;
    if (coll === null) return c.out.nullBulk();
    c.out.bulk(randomMember(c, coll));
  },
);

/** SRANDMEMBER with a count, as srandmemberWithCountCommand. */
function randomCount(c: CommandContext, count: bigint): void {
  const coll = openAt(c, 1, TYPE_SET);
  if (coll === undefined) return;
  if (coll === null || count === 0n) {
    replyArray(c, []);
    return;
  }
  if (count < 0n || count === 1n) {
    // Picks that may repeat, in the order picked.
    const n = count < 0n ? -count : count;
    if (n * BigInt(MIN_MEMBER_REPLY) > BigInt(c.server.config['proto-max-bulk-len'])) {
      // redis-server would build this reply until it ran out of memory.
      c.out.error(errorReply('valueOutOfRange'));
      return;
    }
    replyArray(c, randomMembersWithRepeats(c, coll, Number(n)));
    return;
  }
  // The whole set in its order, or `count` distinct members.
  replyArray(
    c,
    count >= BigInt(coll.count) ? members(c, coll) : randomDistinctMembers(c, coll, Number(count)),
  );
}
