import { errorReply } from '../../errors.js';
import { bigintArg, isToken, LLONG_MAX, LLONG_MIN } from '../_args.js';
import type { CommandContext } from '../context.js';
import { distinctPositions, randomBelow, shuffle } from '../set/_shared.js';
import { command } from '../spec.js';
import { oneKey, replyScore, treeOf, zsetAt } from './_shared.js';

/** The shortest reply a pick can have (`$0\r\n\r\n`): bounds the size of a reply of repeats. */
const MIN_MEMBER_REPLY = 6;
/**
 * redis-server's ZRANDMEMBER_SUB_STRATEGY_MUL: when `count` distinct members are at least a third of the
 * set, it keeps the whole set and removes members at random, listing the rest in its hash table's order.
 */
const SUB_STRATEGY_MUL = 3n;

export const ZRANDMEMBER = command(
  {
    ...oneKey,
    name: 'zrandmember',
    summary:
      'Returns random members of a sorted set: one, or `count` distinct ones (a negative count allows repeats), with their scores on WITHSCORES.',
    since: '6.2.0',
    complexity:
      'Without count O(log(N)); with count O(M*log(N)): N is the number of members in the set, M the count (or N when the count is larger).',
    arity: -2,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'options',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'count', type: 'integer' },
          { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
        ],
      },
    ],
    reply: {
      resp2:
        'Without count: a bulk string, or a null bulk string for a missing key. With count: an array of members (members and scores alternating with WITHSCORES); empty for a missing key.',
      resp3:
        'Without count: a bulk string, or null for a missing key. With count: an array of members, or with WITHSCORES of [member, score] pairs (scores as doubles); empty for a missing key.',
    },
    errors: ['wrongType', 'notInteger', 'syntax', 'longRange', 'valueOutOfRange'],
    example: [
      '> ZADD board 1 a 2 b 3 c',
      '(integer) 3',
      '> ZRANDMEMBER board -4',
      '1) "b"',
      '2) "a"',
      '3) "b"',
      '4) "c"',
    ],
  },
  (c) => {
    const a = c.args;
    if (a.argc === 2) {
      const z = zsetAt(c, 1);
      if (z === undefined) return;
      if (z === null) return c.out.nullBulk();
      const picked = treeOf(c, z).at(randomBelow(z.count));
      if (picked !== undefined) c.out.bulk(picked.member);
      return;
    }
    const count = bigintArg(c, 2);
    if (count === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    // The count's bounds are ±LONG_MAX: -2^63 is refused.
    if (count === LLONG_MIN) {
      c.out.error(errorReply('longRange'));
      return;
    }
    if (a.argc > 4 || (a.argc === 4 && !isToken(c, 3, 'withscores'))) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const withScores = a.argc === 4;
    if (withScores && (count < -LLONG_MAX / 2n || count > LLONG_MAX / 2n)) {
      c.out.error(errorReply('valueOutOfRange'));
      return;
    }
    randomWithCount(c, count, withScores);
  },
);

/**
 * ZRANDMEMBER with a count, as zrandmemberWithCountCommand picks and orders: a negative count (or 1)
 * gives that many independent picks; a count at least the set's size gives the whole set, highest
 * first (redis-server iterates from the tail); else `count` distinct members, in random order, or in
 * the set's order when the set is small (a listpack) and the count below a third of it. Each member is
 * reached by its rank, so the set is never read whole unless the reply is.
 */
function randomWithCount(c: CommandContext, count: bigint, withScores: boolean): void {
  const out = c.out;
  const z = zsetAt(c, 1);
  if (z === undefined) return;
  if (z === null || count === 0n) {
    out.arrayHeader(0);
    return;
  }
  const tree = treeOf(c, z);
  const size = z.count;
  const pairs = withScores && out.protocol === 3;
  const header = (n: number): void => out.arrayHeader(withScores && !pairs ? n * 2 : n);
  const write = (score: number, member: Buffer): void => {
    if (pairs) out.arrayHeader(2);
    out.bulk(member);
    if (withScores) replyScore(c, score);
  };
  const writeRank = (rank: number): void => {
    const e = tree.at(rank);
    if (e !== undefined) write(e.score, e.member);
  };
  if (count < 0n || count === 1n) {
    const n = count < 0n ? -count : count;
    if (n * BigInt(MIN_MEMBER_REPLY) > BigInt(c.server.config['proto-max-bulk-len'])) {
      // redis-server would build this reply until it ran out of memory.
      out.error(errorReply('valueOutOfRange'));
      return;
    }
    header(Number(n));
    for (let i = Number(n); i > 0; i--) writeRank(randomBelow(size));
    return;
  }
  if (count >= BigInt(size)) {
    header(size);
    tree.walk(size - 1, size, true, write);
    return;
  }
  const k = Number(count);
  const ranks = distinctPositions(size, k);
  if (count * SUB_STRATEGY_MUL > BigInt(size) || z.large) shuffle(ranks);
  header(k);
  for (const rank of ranks) writeRank(rank);
}
