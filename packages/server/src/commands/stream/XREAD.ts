import { errorReply } from '../../errors.js';
import { TYPE_STREAM } from '../../keyspace/collections.js';
import { integerArg, isToken, LLONG_MAX, parseInteger } from '../_args.js';
import { unblocked, waitForKeys } from '../_blocking.js';
import type { CommandContext, Session } from '../context.js';
import { command } from '../spec.js';
import {
  type Consumer,
  consumerPending,
  createConsumer,
  estimateEntriesRead,
  type Group,
  getConsumer,
  getGroup,
  getNack,
  INVALID_ENTRIES_READ,
  ownNack,
  putConsumer,
  putGroup,
  putNack,
  rangeHasTombstones,
} from './_groups.js';
import {
  compareIds,
  entriesIn,
  formatId,
  MAX_ID,
  MIN_ID,
  nextId,
  type OpenStream,
  parseId,
  replyEntries,
  replyEntry,
  type StreamId,
  saveStreamKey,
  streamAt,
} from './_shared.js';

/** The ids a blocked XREAD waits past (`$` resolved when it first ran), kept while it waits. */
const waitingPast = new WeakMap<Session, StreamId[]>();

/**
 * A BLOCK argument in milliseconds, as getTimeoutFromObjectOrReply reads it with UNIT_MILLISECONDS: a
 * 64-bit integer, not negative. Null once the error is replied.
 */
export function blockArg(c: CommandContext, i: number): number | null {
  const a = c.args;
  const n = parseInteger(a.arg(i), 0, a.arg(i).length);
  if (n === null) {
    c.out.error(errorReply('timeoutNotInteger'));
    return null;
  }
  if (n < 0n) {
    c.out.error(errorReply('timeoutNegative'));
    return null;
  }
  if (n > LLONG_MAX - BigInt(c.now)) return 0;
  return Number(n);
}

export const XREAD = command(
  {
    name: 'xread',
    group: 'stream',
    summary: 'Reads the entries of one or more streams past given ids, waiting for new ones with BLOCK.',
    since: '5.0.0',
    complexity: 'O(log N + M) per stream for the M entries returned.',
    arity: -4,
    flags: ['readonly', 'blocking', 'movablekeys'],
    arguments: [
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      {
        name: 'streams',
        type: 'block',
        token: 'STREAMS',
        arguments: [
          { name: 'key', type: 'key', multiple: true },
          { name: 'id', type: 'string', multiple: true },
        ],
      },
    ],
    reply: {
      resp2:
        'Array of [key, entries] for each stream with entries past its id; a null array when none has (after BLOCK: on timeout).',
      resp3:
        'Map of key to entries for each stream with entries past its id; null when none has (after BLOCK: on timeout).',
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'streamInvalidId',
      'timeoutNotInteger',
      'timeoutNegative',
      'xreadUnbalanced',
      'xreadGreaterThan',
      'blockInScript',
    ],
    example: [
      '> XADD s 1-1 a 1',
      '"1-1"',
      '> XREAD COUNT 1 STREAMS s 0',
      '1) 1) "s"',
      '   2) 1) 1) "1-1"',
      '         2) 1) "a"',
      '            2) "1"',
    ],
  },
  (c) => readCommand(c, false),
);

/**
 * XREAD and XREADGROUP (xreadCommand): options up to STREAMS, then per stream its key (WRONGTYPE; for
 * XREADGROUP the key and group must exist) and id; streams with entries to serve reply at once, else the
 * command blocks with BLOCK (a null array on timeout, in MULTI or without BLOCK).
 */
export function readCommand(c: CommandContext, xreadgroup: boolean): void {
  const a = c.args;
  let timeout = -1;
  let count = 0;
  let streamsAt = 0;
  let groupName: Buffer | null = null;
  let consumerName: Buffer | null = null;
  let noack = false;
  for (let i = 1; i < a.argc; i++) {
    const more = a.argc - i - 1;
    if (isToken(c, i, 'block') && more > 0) {
      if (c.inScript) {
        c.out.error(errorReply('blockInScript', a.argString(0, 'latin1')));
        return;
      }
      const t = blockArg(c, ++i);
      if (t === null) return;
      timeout = t;
    } else if (isToken(c, i, 'count') && more > 0) {
      const n = integerArg(c, ++i);
      if (n === null) {
        c.out.error(errorReply('notInteger'));
        return;
      }
      count = n < 0 ? 0 : n;
    } else if (isToken(c, i, 'streams') && more > 0) {
      streamsAt = i + 1;
      if ((a.argc - streamsAt) % 2 !== 0) {
        // redis-server 7.0 names XREAD and $ for XREADGROUP too.
        c.out.error(errorReply('xreadUnbalanced', 'XREAD', '$'));
        return;
      }
      break;
    } else if (xreadgroup && isToken(c, i, 'group') && more >= 2) {
      groupName = a.argCopy(i + 1);
      consumerName = a.argCopy(i + 2);
      i += 2;
    } else if (xreadgroup && isToken(c, i, 'noack')) {
      noack = true;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }
  if (streamsAt === 0) {
    c.out.error(errorReply('syntax'));
    return;
  }
  if (xreadgroup && groupName === null) {
    c.out.error(errorReply('xreadgroupNoGroup'));
    return;
  }
  const n = (a.argc - streamsAt) / 2;
  const rerun = c.session.blockedSince !== null ? waitingPast.get(c.session) : undefined;
  if (timeout !== -1 && unblocked(c, () => c.out.nullArray())) {
    waitingPast.delete(c.session);
    return;
  }
  const streams: (OpenStream | null)[] = [];
  const groups: Group[] = [];
  const ids: StreamId[] = [];
  for (let k = 0; k < n; k++) {
    const s = streamAt(c, streamsAt + k);
    if (s === undefined) return;
    streams.push(s);
    if (groupName !== null) {
      const g = s === null ? null : getGroup(c, s, groupName);
      if (g === null && rerun !== undefined && s !== null) {
        // Woken, and the group it waited on was destroyed meanwhile (XGROUP DESTROY wakes it).
        waitingPast.delete(c.session);
        c.out.error(errorReply('blockedGroupGone'));
        return;
      }
      if (g === null) {
        c.out.error(
          errorReply('noKeyOrGroupRead', a.argString(streamsAt + k, 'latin1'), groupName.toString('latin1')),
        );
        return;
      }
      groups.push(g);
    }
    const idAt = streamsAt + n + k;
    const raw = a.arg(idAt);
    if (raw.length === 1 && raw[0] === 0x24) {
      if (xreadgroup) {
        c.out.error(errorReply('xreadgroupDollar'));
        return;
      }
      ids.push(s === null ? MIN_ID : s.state.lastId);
      continue;
    }
    if (raw.length === 1 && raw[0] === 0x3e) {
      if (!xreadgroup) {
        c.out.error(errorReply('xreadGreaterThan'));
        return;
      }
      ids.push(MAX_ID);
      continue;
    }
    const parsed = parseId(raw, 0n, true);
    if (parsed === null) {
      c.out.error(errorReply('streamInvalidId'));
      return;
    }
    ids.push(parsed.id);
  }
  const past = rerun ?? ids;
  const served: number[] = [];
  const from: StreamId[] = [];
  for (let k = 0; k < n; k++) {
    const s = streams[k];
    let gt = past[k] as StreamId;
    if (xreadgroup) {
      if (compareIds(gt, MAX_ID) !== 0) {
        served.push(k);
        from.push(gt);
        continue;
      }
      gt = (groups[k] as Group).lastId;
    }
    if (s == null || s.count === 0 || compareIds(s.state.lastId, gt) <= 0) continue;
    // Served when an entry follows gt (its last live entry is past gt), as redis-server decides.
    const next = nextId(gt);
    if (next !== null && entriesIn(c, s, next, MAX_ID, false, 1).length > 0) {
      served.push(k);
      from.push(gt);
    }
  }
  // Woken, redis-server 7.0 serves the key whose write woke it, alone (the first one served when that
  // key has nothing for it any more).
  if (rerun !== undefined && served.length > 1) {
    const woken = c.session.wokenBy;
    let j = 0;
    if (woken !== null) {
      const at = served.findIndex((k) => a.argString(streamsAt + k, 'latin1') === woken);
      if (at >= 0) j = at;
    }
    served.splice(0, served.length, served[j] as number);
    from.splice(0, from.length, from[j] as StreamId);
  }
  if (served.length > 0) {
    waitingPast.delete(c.session);
    if (c.out.protocol === 2) c.out.arrayHeader(served.length);
    else c.out.mapHeader(served.length);
    served.forEach((k, j) => {
      if (c.out.protocol === 2) c.out.arrayHeader(2);
      c.out.bulk(a.arg(streamsAt + k));
      const s = streams[k] as OpenStream;
      const start = nextId(from[j] as StreamId) ?? MAX_ID;
      if (!xreadgroup) {
        replyEntries(c, entriesIn(c, s, start, MAX_ID, false, count));
        return;
      }
      const g = groups[k] as Group;
      const consumer = consumerName as Buffer;
      const k2 = getConsumer(c, s, g, consumer) ?? createConsumer(c, s, g, consumer, streamsAt + k);
      k2.seenTime = c.now;
      if (compareIds(past[k] as StreamId, MAX_ID) !== 0) replyHistory(c, s, g, k2, start, count);
      else deliverNew(c, s, g, k2, start, count, noack);
      putConsumer(c, s, g, k2);
      putGroup(c, s, g);
      const a2 = c.args;
      saveStreamKey(c, a2.buffer, a2.argStart(streamsAt + k), a2.argEnd(streamsAt + k), s);
    });
    return;
  }
  if (timeout === -1) {
    c.out.nullArray();
    return;
  }
  const keys: string[] = [];
  for (let k = 0; k < n; k++) keys.push(a.argString(streamsAt + k, 'latin1'));
  const waited = waitForKeys(c, keys, TYPE_STREAM, timeout);
  if (waited === 'blocked') waitingPast.set(c.session, past);
  else {
    waitingPast.delete(c.session);
    c.out.nullArray();
  }
}

/** XREADGROUP with `>`: the entries after the group's last id, each added to the PEL (unless NOACK). */
function deliverNew(
  c: CommandContext,
  s: OpenStream,
  g: Group,
  k: Consumer,
  start: StreamId,
  count: number,
  noack: boolean,
): void {
  const entries = entriesIn(c, s, start, MAX_ID, false, count);
  for (const e of entries) {
    if (compareIds(e.id, g.lastId) > 0) {
      if (g.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, e.id, null)) g.entriesRead++;
      else if (s.state.entriesAdded !== 0n) g.entriesRead = estimateEntriesRead(s, e.id);
      g.lastId = e.id;
    }
    if (noack) continue;
    const old = getNack(c, s, g, e.id);
    if (old !== null) {
      ownNack(c, s, g, old.consumer, e.id, false);
      if (!old.consumer.equals(k.name)) {
        const before = getConsumer(c, s, g, old.consumer);
        if (before !== null) {
          before.pending--;
          putConsumer(c, s, g, before);
        }
        k.pending++;
      }
    } else {
      g.pending++;
      k.pending++;
    }
    putNack(c, s, g, { id: e.id, deliveryTime: c.now, deliveryCount: 1n, consumer: k.name });
    ownNack(c, s, g, k.name, e.id, true);
  }
  replyEntries(c, entries);
}

/** XREADGROUP with an id: the consumer's pending entries from there; each delivered again. */
function replyHistory(
  c: CommandContext,
  s: OpenStream,
  g: Group,
  k: Consumer,
  start: StreamId,
  count: number,
): void {
  const ids = consumerPending(c, s, g, k.name, start, MAX_ID, count);
  c.out.arrayHeader(ids.length);
  for (const id of ids) {
    const found = entriesIn(c, s, id, id, false, 1)[0];
    if (found === undefined) {
      c.out.arrayHeader(2);
      c.out.bulkString(formatId(id));
      c.out.nullArray();
      continue;
    }
    replyEntry(c, found);
    const nack = getNack(c, s, g, id);
    if (nack !== null) {
      nack.deliveryTime = c.now;
      nack.deliveryCount++;
      putNack(c, s, g, nack);
    }
  }
}
