import { errorReply } from '../../errors.js';
import { parseInteger } from '../_args.js';
import { command } from '../spec.js';
import {
  consumerPending,
  consumersOf,
  getConsumer,
  getGroup,
  getNack,
  groupPending,
  type Nack,
  pendingEdge,
} from './_groups.js';
import {
  formatId,
  intervalArg,
  nextId,
  oneKey,
  previousId,
  type StreamId,
  streamAt,
  U64_MAX,
} from './_shared.js';

export const XPENDING = command(
  {
    ...oneKey,
    name: 'xpending',
    summary: "Returns a consumer group's pending entries: a summary, or those in a range of ids.",
    since: '5.0.0',
    complexity: 'O(N) for the N consumers (summary), O(log P + M) for the M entries of a range.',
    arity: -3,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      {
        name: 'filters',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'min-idle-time', type: 'integer', token: 'IDLE', optional: true },
          { name: 'start', type: 'string' },
          { name: 'end', type: 'string' },
          { name: 'count', type: 'integer' },
          { name: 'consumer', type: 'string', optional: true },
        ],
      },
    ],
    reply: {
      resp2:
        'Summary: an array of the number of pending entries, the first and last ids and [consumer, count] pairs (nulls when none is pending). Range: an array of [id, consumer, idle milliseconds, deliveries].',
      resp3:
        'Summary: an array of the number of pending entries, the first and last ids and [consumer, count] pairs (nulls when none is pending). Range: an array of [id, consumer, idle milliseconds, deliveries].',
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'streamInvalidId',
      'streamStartInterval',
      'streamEndInterval',
      'noKeyOrGroup',
    ],
    example: ['> XPENDING s g', '1) (integer) 1', '2) "1-1"', '3) "1-1"', '4) 1) 1) "alice"', '      2) "1"'],
  },
  (c) => {
    const a = c.args;
    const summary = a.argc === 3;
    if (a.argc !== 3 && (a.argc < 6 || a.argc > 9)) return c.out.error(errorReply('syntax'));
    let minIdle = 0;
    let count = 0;
    let start: StreamId = { ms: 0n, seq: 0n };
    let end: StreamId = { ms: U64_MAX, seq: U64_MAX };
    let consumerAt = -1;
    if (!summary) {
      let at = 3;
      if (a.argString(3, 'latin1').toLowerCase() === 'idle') {
        const n = parseInteger(a.arg(4), 0, a.arg(4).length);
        if (n === null) return c.out.error(errorReply('notInteger'));
        minIdle = Number(n);
        if (a.argc < 8) return c.out.error(errorReply('syntax'));
        at += 2;
      }
      const n = parseInteger(a.arg(at + 2), 0, a.arg(at + 2).length);
      if (n === null) return c.out.error(errorReply('notInteger'));
      count = n < 0n ? 0 : Number(n);
      const from = intervalArg(c, at, 0n);
      if (from === null) return;
      start = from.id;
      if (from.exclusive) {
        const next = nextId(start);
        if (next === null) return c.out.error(errorReply('streamStartInterval'));
        start = next;
      }
      const to = intervalArg(c, at + 1, U64_MAX);
      if (to === null) return;
      end = to.id;
      if (to.exclusive) {
        const previous = previousId(end);
        if (previous === null) return c.out.error(errorReply('streamEndInterval'));
        end = previous;
      }
      if (at + 3 < a.argc) consumerAt = at + 3;
    }
    const s = streamAt(c, 1);
    if (s === undefined) return;
    const g = s === null ? null : getGroup(c, s, a.arg(2));
    if (s === null || g === null) {
      return c.out.error(errorReply('noKeyOrGroup', a.argString(1, 'latin1'), a.argString(2, 'latin1')));
    }
    const out = c.out;
    if (summary) {
      out.arrayHeader(4);
      out.integer(g.pending);
      if (g.pending === 0) {
        out.nullBulk();
        out.nullBulk();
        out.nullArray();
        return;
      }
      out.bulkString(formatId(pendingEdge(c, s, g, false) as StreamId));
      out.bulkString(formatId(pendingEdge(c, s, g, true) as StreamId));
      const owners = consumersOf(c, s, g).filter((k) => k.pending > 0);
      out.arrayHeader(owners.length);
      for (const k of owners) {
        out.arrayHeader(2);
        out.bulk(k.name);
        out.bulkString(String(k.pending));
      }
      return;
    }
    const nacks: Nack[] = [];
    const take = (nack: Nack): boolean => {
      if (count === 0) return false;
      if (minIdle > 0 && c.now - nack.deliveryTime < minIdle) return true;
      nacks.push(nack);
      count--;
      return true;
    };
    if (consumerAt >= 0) {
      const k = getConsumer(c, s, g, a.arg(consumerAt));
      if (k === null) return out.arrayHeader(0);
      for (const id of consumerPending(c, s, g, k.name, start, end, 0)) {
        const nack = getNack(c, s, g, id);
        if (nack !== null && !take(nack)) break;
      }
    } else {
      groupPending(c, s, g, start, end, take);
    }
    out.arrayHeader(nacks.length);
    for (const nack of nacks) {
      out.arrayHeader(4);
      out.bulkString(formatId(nack.id));
      out.bulk(nack.consumer);
      out.integer(Math.max(0, c.now - nack.deliveryTime));
      out.integer(nack.deliveryCount);
    }
  },
);
