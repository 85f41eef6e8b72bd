import { errorReply } from '../../errors.js';
import { TYPE_STREAM } from '../../keyspace/collections.js';
import { integerArg, isToken, LLONG_MAX, parseInteger } from '../_args.js';
import { unblocked, waitForKeys } from '../_blocking.js';
import type { CommandContext, Session } from '../context.js';
import { command } from '../spec.js';
import {
  compareIds,
  edgeId,
  entriesIn,
  MAX_ID,
  MIN_ID,
  nextId,
  type OpenStream,
  parseId,
  replyEntries,
  type StreamId,
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
  (c) => xread(c),
);

function xread(c: CommandContext): void {
  const a = c.args;
  let timeout = -1;
  let count = 0;
  let streamsAt = 0;
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
        c.out.error(errorReply('xreadUnbalanced', 'XREAD', '$'));
        return;
      }
      break;
    } else {
      c.out.error(errorReply('syntax'));
      return;
    }
  }
  if (streamsAt === 0) {
    c.out.error(errorReply('syntax'));
    return;
  }
  const n = (a.argc - streamsAt) / 2;
  const rerun = c.session.blockedSince !== null ? waitingPast.get(c.session) : undefined;
  if (timeout !== -1 && unblocked(c, () => c.out.nullArray())) {
    waitingPast.delete(c.session);
    return;
  }
  const streams: (OpenStream | null)[] = [];
  const ids: StreamId[] = [];
  for (let k = 0; k < n; k++) {
    const s = streamAt(c, streamsAt + k);
    if (s === undefined) return;
    streams.push(s);
    const idAt = streamsAt + n + k;
    const raw = a.arg(idAt);
    if (raw.length === 1 && raw[0] === 0x24) {
      ids.push(s === null ? MIN_ID : s.state.lastId);
      continue;
    }
    if (raw.length === 1 && raw[0] === 0x3e) {
      c.out.error(errorReply('xreadGreaterThan'));
      return;
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
  for (let k = 0; k < n; k++) {
    const s = streams[k];
    if (s == null || s.count === 0) continue;
    const last = edgeId(c, s, true);
    if (last !== null && compareIds(last, past[k] as StreamId) > 0) served.push(k);
  }
  // Woken, redis-server serves the key that was written to (the first of them here), alone.
  if (rerun !== undefined && served.length > 1) served.length = 1;
  if (served.length > 0) {
    waitingPast.delete(c.session);
    if (c.out.protocol === 2) c.out.arrayHeader(served.length);
    else c.out.mapHeader(served.length);
    for (const k of served) {
      if (c.out.protocol === 2) c.out.arrayHeader(2);
      c.out.bulk(a.arg(streamsAt + k));
      const start = nextId(past[k] as StreamId) as StreamId;
      replyEntries(c, entriesIn(c, streams[k] as OpenStream, start, MAX_ID, false, count));
    }
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
