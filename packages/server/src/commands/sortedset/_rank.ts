import type { CommandContext } from '../context.js';
import { scoreAt, treeOf, zsetAt } from './_shared.js';

/** ZRANK and ZREVRANK: a member's rank from the lowest score, or from the highest with `reverse`. */
export function zrank(c: CommandContext, reverse: boolean): void {
  const z = zsetAt(c, 1);
  if (z === undefined) return;
  const score = z === null ? undefined : scoreAt(c, z, 2);
  if (z === null || score === undefined) {
    c.out.nullBulk();
    return;
  }
  const rank = treeOf(c, z).rankOf(score, c.args.arg(2));
  c.out.integer(reverse ? z.count - 1 - rank : rank);
}
