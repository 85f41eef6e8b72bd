import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { collectionWritesAllowed } from '../_collection.js';
import { NOTIFY_ZSET, notifyCollection } from '../_notify.js';
import type { CommandContext } from '../context.js';
import {
  type LexRange,
  lexRangeAt,
  lexRanks,
  removeMember,
  type ScoreRange,
  saveZset,
  scoreRangeAt,
  scoreRanks,
  treeOf,
  type ZElement,
  zsetAt,
} from './_shared.js';

/** ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX: the range is read before the key. */
export function zremrange(c: CommandContext, by: 'rank' | 'score' | 'lex'): void {
  let start = 0;
  let stop = 0;
  let scores: ScoreRange | null = null;
  let lex: LexRange | null = null;
  if (by === 'rank') {
    const s = integerArg(c, 2);
    const e = s === null ? null : integerArg(c, 3);
    if (s === null || e === null) {
      c.out.error(errorReply('notInteger'));
      return;
    }
    start = s;
    stop = e;
  } else if (by === 'score') {
    scores = scoreRangeAt(c, 2, 3);
    if (scores === null) return;
  } else {
    lex = lexRangeAt(c, 2, 3);
    if (lex === null) return;
  }
  if (!collectionWritesAllowed(c)) return;
  const z = zsetAt(c, 1);
  if (z === undefined) return;
  if (z === null) {
    c.out.integer(0);
    return;
  }
  const tree = treeOf(c, z);
  let first = 0;
  let end = 0;
  if (by === 'rank') {
    const n = z.count;
    if (start < 0) start += n;
    if (stop < 0) stop += n;
    if (start < 0) start = 0;
    if (start <= stop && start < n) {
      first = start;
      end = Math.min(stop, n - 1) + 1;
    }
  } else {
    ({ first, end } = scores !== null ? scoreRanks(tree, scores) : lexRanks(tree, lex as LexRange));
  }
  const doomed: ZElement[] = [];
  tree.walk(first, end - first, false, (score, member) => {
    doomed.push({ score, member: Buffer.from(member) });
  });
  for (const { score, member } of doomed) removeMember(c, z, member, score);
  saveZset(c, 1, z);
  if (doomed.length > 0) notifyCollection(c, NOTIFY_ZSET, `zremrangeby${by}`, 1, z);
  c.out.integer(doomed.length);
}
