import { errorReply } from '../../errors.js';
import { parseInteger } from '../_args.js';
import { command } from '../spec.js';
import { Claimer } from './_claim.js';
import { getGroup, getNack, type Nack, putGroup } from './_groups.js';
import { compareIds, MIN_ID, oneKey, parseId, type StreamId, saveStream, streamForWrite } from './_shared.js';

export const XCLAIM = command(
  {
    ...oneKey,
    name: 'xclaim',
    summary: 'Gives pending entries of a consumer group, idle long enough, to another consumer.',
    since: '5.0.0',
    complexity: 'O(log N) for each id.',
    arity: -6,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
      { name: 'min-idle-time', type: 'string' },
      { name: 'id', type: 'string', multiple: true },
      { name: 'ms', type: 'integer', token: 'IDLE', optional: true },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true },
      { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
      { name: 'lastid', type: 'string', token: 'LASTID', optional: true },
    ],
    reply: {
      resp2: 'Array of the entries claimed (with JUSTID: their ids).',
      resp3: 'Array of the entries claimed (with JUSTID: their ids).',
    },
    errors: [
      'wrongType',
      'noKeyOrGroup',
      'xclaimArgument',
      'xclaimOption',
      'streamInvalidId',
      'collectionsLogMode',
    ],
    example: ['> XCLAIM s g bob 0 1-1 JUSTID', '1) "1-1"'],
  },
  (c) => {
    const a = c.args;
    const s = streamForWrite(c, 1, false);
    if (s === undefined) return;
    const g = s === null ? null : getGroup(c, s, a.arg(2));
    if (s === null || g === null) {
      c.out.error(errorReply('noKeyOrGroup', a.argString(1, 'latin1'), a.argString(2, 'latin1')));
      return;
    }
    const long = (i: number, what: string): bigint | null => {
      const n = parseInteger(a.arg(i), 0, a.arg(i).length);
      if (n === null) c.out.error(errorReply('xclaimArgument', what, 'XCLAIM'));
      return n;
    };
    const minIdleArg = long(4, 'min-idle-time');
    if (minIdleArg === null) return;
    const minIdle = minIdleArg < 0n ? 0 : Number(minIdleArg);
    const ids: StreamId[] = [];
    let j = 5;
    for (; j < a.argc; j++) {
      const parsed = parseId(a.arg(j), 0n, true);
      if (parsed === null) break;
      ids.push(parsed.id);
    }
    const now = c.now;
    let retryCount = -1n;
    let deliveryTime = -1;
    let force = false;
    let justId = false;
    let lastId: StreamId = MIN_ID;
    for (; j < a.argc; j++) {
      const more = a.argc - 1 - j;
      const opt = a.argString(j, 'latin1').toLowerCase();
      if (opt === 'force') force = true;
      else if (opt === 'justid') justId = true;
      else if (opt === 'idle' && more > 0) {
        const n = long(++j, 'IDLE option');
        if (n === null) return;
        deliveryTime = now - Number(n);
      } else if (opt === 'time' && more > 0) {
        const n = long(++j, 'TIME option');
        if (n === null) return;
        deliveryTime = Number(n);
      } else if (opt === 'retrycount' && more > 0) {
        const n = long(++j, 'RETRYCOUNT option');
        if (n === null) return;
        retryCount = n;
      } else if (opt === 'lastid' && more > 0) {
        const parsed = parseId(a.arg(++j), 0n, true);
        if (parsed === null) {
          c.out.error(errorReply('streamInvalidId'));
          return;
        }
        lastId = parsed.id;
      } else {
        c.out.error(errorReply('xclaimOption', a.argString(j, 'latin1')));
        return;
      }
    }
    if (compareIds(lastId, g.lastId) > 0) g.lastId = lastId;
    if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
    const claimer = new Claimer(c, s, g, a.argCopy(3));
    // First what to claim, then the reply: redis-server writes the array's header before claiming, so a
    // RESP3 connection sees the consumer's creation (xgroup-createconsumer) inside the reply.
    const claims: { nack: Nack; created: boolean }[] = [];
    for (const id of ids) {
      let nack = getNack(c, s, g, id);
      if (!claimer.exists(id, nack)) continue;
      let created = false;
      if (force && nack === null) {
        nack = { id, deliveryTime: now, deliveryCount: 1n, consumer: Buffer.alloc(0) };
        created = true;
      }
      if (nack === null) continue;
      if (!created && minIdle > 0 && now - nack.deliveryTime < minIdle) continue;
      claims.push({ nack, created });
    }
    c.out.arrayHeader(claims.length);
    for (const { nack, created } of claims) {
      const count = retryCount >= 0n ? retryCount : justId ? null : nack.deliveryCount + 1n;
      claimer.claim(nack, created, deliveryTime, count);
      claimer.reply(nack.id, justId);
    }
    putGroup(c, s, g);
    saveStream(c, 1, s);
  },
);
