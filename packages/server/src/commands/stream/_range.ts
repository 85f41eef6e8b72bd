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
    if (next === null) {
      c.out.error(errorReply('streamStartInterval'));
      return;
    }
    from = next;
  }
  const end = intervalArg(c, endAt, U64_MAX);
  if (end === null) return;
  let to = end.id;
  if (end.exclusive) {
    const previous = previousId(to);
    if (previous === null) {
      c.out.error(errorReply('streamEndInterval'));
      return;
    }
    to = previous;
  }
  let count = -1;
  for (let j = 4; j < a.argc; j++) {
    if (isToken(c, j, 'count') && j + 1 < a.argc) {
      const n = integerArg(c, j + 1);
      if (n === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      count = n < 0 ? 0 : n;
      j++;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }
  const s = streamAt(c, 1);
  if (s === undefined) return;
  if (s === null) {
    c.out.arrayHeader(0);
    return;
  }
  if (count === 0) {
    c.out.nullArray();
    return;
  }
  replyEntries(c, entriesIn(c, s, from, to, rev, count === -1 ? 0 : count));
}
