import { errorReply } from '../../errors.js';
import { integerArg, isToken } from '../_args.js';
import type { CommandContext } from '../context.js';
import { entriesIn, intervalArg, nextId, previousId, replyEntries, streamAt, U64_MAX } from './_shared.js';

/**
 * XRANGE and XREVRANGE (xrangeGenericCommand): the bounds (`-`, `+`, `(id` exclusive), then COUNT, then
 * the key; COUNT 0 or negative replies a null array.
 */
export function rangeCommand(c: CommandContext, rev: boolean): void {
  const a = c.args;
  const startAt = rev ? 3 : 2;
  const endAt = rev ? 2 : 3;
  const start = intervalArg(c, startAt, 0n);
  if (start === null) return;
  let from = start.id;
  if (start.exclusive) {
    const next = nextId(from);
    if (next === null) return c.out.error(errorReply('streamStartInterval'));
    from = next;
  }
  const end = intervalArg(c, endAt, U64_MAX);
  if (end === null) return;
  let to = end.id;
  if (end.exclusive) {
    const previous = previousId(to);
    if (previous === null) return c.out.error(errorReply('streamEndInterval'));
    to = previous;
  }
  let count = -1;
  for (let j = 4; j < a.argc; j++) {
    if (isToken(c, j, 'count') && j + 1 < a.argc) {
      const n = integerArg(c, j + 1);
      if (n === null) return c.out.error(errorReply('notInteger'));
      count = n < 0 ? 0 : n;
      j++;
    } else {
      return c.out.error(errorReply('syntax'));
    }
  }
  const s = streamAt(c, 1);
  if (s === undefined) return;
  if (s === null) return c.out.arrayHeader(0);
  if (count === 0) return c.out.nullArray();
  replyEntries(c, entriesIn(c, s, from, to, rev, count === -1 ? 0 : count));
}
