import { errorReply } from '../../errors.js';
import { parseInteger } from '../_args.js';
import { command } from '../spec.js';
import { Claimer } from './_claim.js';
import { getGroup, groupPending, type Nack, putGroup } from './_groups.js';
import {
  formatId,
  intervalArg,
  MAX_ID,
  nextId,
  oneKey,
  type StreamId,
  saveStream,
  streamForWrite,
} from './_shared.js';

/** The largest COUNT redis-server accepts (LONG_MAX / 16). */
const MAX_COUNT = 2n ** 63n / 16n;

export const XAUTOCLAIM = command(
  {
    ...oneKey,
    name: 'xautoclaim',
    summary:
      'Gives the pending entries of a consumer group idle long enough, from an id on, to another consumer; answers where to go on from.',
    since: '6.2.0',
    complexity: 'O(log N + COUNT).',
    arity: -6,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
      { name: 'min-idle-time', type: 'string' },
      { name: 'start', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
    ],
    reply: {
      resp2:
        'Array of the id to start the next call from (0-0 when done), the entries claimed (JUSTID: their ids) and the ids of pending entries found deleted (dropped from the PEL).',
      resp3:
        'Array of the id to start the next call from (0-0 when done), the entries claimed (JUSTID: their ids) and the ids of pending entries found deleted (dropped from the PEL).',
    },
    errors: [
      'wrongType',
      'syntax',
      'noKeyOrGroup',
      'xclaimArgument',
      'xautoclaimCount',
      'streamInvalidId',
      'streamStartInterval',
      'collectionsLogMode',
    ],
    example: ['> XAUTOCLAIM s g bob 0 0 COUNT 10 JUSTID', '1) "0-0"', '2) 1) "1-1"', '3) (empty array)'],
  },
  (c) => {
    const a = c.args;
    const minIdleArg = parseInteger(a.arg(4), 0, a.arg(4).length);
    if (minIdleArg === null) {
      c.out.error(errorReply('xclaimArgument', 'min-idle-time', 'XAUTOCLAIM'));
      return;
    }
    const minIdle = minIdleArg < 0n ? 0 : Number(minIdleArg);
    const startArg = intervalArg(c, 5, 0n);
    if (startArg === null) return;
    let start = startArg.id;
    if (startArg.exclusive) {
      const next = nextId(start);
      if (next === null) {
        c.out.error(errorReply('streamStartInterval'));
        return;
      }
      start = next;
    }
    let count = 100;
    let justId = false;
    for (let j = 6; j < a.argc; j++) {
      const more = a.argc - 1 - j;
      const opt = a.argString(j, 'latin1').toLowerCase();
      if (opt === 'count' && more > 0) {
        const n = parseInteger(a.arg(j + 1), 0, a.arg(j + 1).length);
        if (n === null || n < 1n || n > MAX_COUNT) {
          c.out.error(errorReply('xautoclaimCount'));
          return;
        }
        count = Number(n);
        j++;
      } else if (opt === 'justid') justId = true;
      else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    const s = streamForWrite(c, 1, false);
    if (s === undefined) return;
    const g = s === null ? null : getGroup(c, s, a.arg(2));
    if (s === null || g === null) {
      c.out.error(errorReply('noKeyOrGroup', a.argString(1, 'latin1'), a.argString(2, 'latin1')));
      return;
    }
    const now = c.now;
    let attempts = count * 10;
    const visited: Nack[] = [];
    let cursor: StreamId = { ms: 0n, seq: 0n };
    // The pending entries from start on, read ahead (attempts + 1 of them at most), then claimed in order.
    groupPending(c, s, g, start, MAX_ID, (n) => {
      visited.push(n);
      return visited.length <= attempts;
    });
    const claimer = new Claimer(c, s, g, a.argCopy(3));
    const claimed: Nack[] = [];
    const deleted: StreamId[] = [];
    let i = 0;
    for (; i < visited.length && attempts > 0 && count > 0; i++) {
      attempts--;
      const nack = visited[i] as Nack;
      if (!claimer.exists(nack.id, nack)) {
        deleted.push(nack.id);
        count--;
        continue;
      }
      if (minIdle > 0 && now - nack.deliveryTime < minIdle) continue;
      claimed.push(nack);
      count--;
    }
    const next = visited[i];
    if (next !== undefined) cursor = next.id;
    // The claims are made while replying, as redis-server makes them: a RESP3 connection sees the
    // consumer's creation (xgroup-createconsumer) inside the reply.
    const out = c.out;
    out.arrayHeader(3);
    out.bulkString(formatId(cursor));
    out.arrayHeader(claimed.length);
    for (const nack of claimed) {
      claimer.claim(nack, false, now, justId ? null : nack.deliveryCount + 1n);
      claimer.reply(nack.id, justId);
    }
    out.arrayHeader(deleted.length);
    for (const id of deleted) out.bulkString(formatId(id));
    putGroup(c, s, g);
    saveStream(c, 1, s);
  },
);
