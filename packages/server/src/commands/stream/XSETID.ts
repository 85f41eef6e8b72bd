import { errorReply } from '../../errors.js';
import { parseInteger } from '../_args.js';
import { NOTIFY_STREAM, notify } from '../_notify.js';
import { command } from '../spec.js';
import {
  compareIds,
  edgeId,
  MIN_ID,
  oneKey,
  parseId,
  type StreamId,
  saveStream,
  streamForWrite,
} from './_shared.js';

export const XSETID = command(
  {
    ...oneKey,
    name: 'xsetid',
    summary: "Sets a stream's last id, and optionally its entries-added count and max deleted id.",
    since: '5.0.0',
    complexity: 'O(1)',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'last-id', type: 'string' },
      { name: 'entries-added', type: 'integer', token: 'ENTRIESADDED', optional: true },
      { name: 'max-deleted-id', type: 'string', token: 'MAXDELETEDID', optional: true },
    ],
    reply: { resp2: 'Simple string: OK.', resp3: 'Simple string: OK.' },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'noSuchKey',
      'streamInvalidId',
      'xsetidEntriesAdded',
      'xsetidBelowMaxDeleted',
      'xsetidBelowTop',
      'xsetidBelowLength',
      'collectionsLogMode',
    ],
    example: ['> XADD s 1-1 a 1', '"1-1"', '> XSETID s 5-0', 'OK'],
  },
  (c) => {
    const a = c.args;
    const parsed = parseId(a.arg(2), 0n, true);
    if (parsed === null) {
      c.out.error(errorReply('streamInvalidId'));
      return;
    }
    const id = parsed.id;
    let entriesAdded = -1n;
    let maxDeleted: StreamId = MIN_ID;
    for (let i = 3; i < a.argc; i += 2) {
      const word = a.argString(i, 'latin1').toLowerCase();
      if (word === 'entriesadded' && i + 1 < a.argc) {
        const n = parseInteger(a.arg(i + 1), 0, a.arg(i + 1).length);
        if (n === null) {
          c.out.error(errorReply('notInteger'));
          return;
        }
        if (n < 0n) {
          c.out.error(errorReply('xsetidEntriesAdded'));
          return;
        }
        entriesAdded = n;
      } else if (word === 'maxdeletedid' && i + 1 < a.argc) {
        const m = parseId(a.arg(i + 1), 0n, true);
        if (m === null) {
          c.out.error(errorReply('streamInvalidId'));
          return;
        }
        if (compareIds(id, m.id) < 0) {
          c.out.error(errorReply('xsetidBelowMaxDeleted'));
          return;
        }
        maxDeleted = m.id;
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    const s = streamForWrite(c, 1, false);
    if (s === undefined) return;
    if (s === null) {
      c.out.error(errorReply('noSuchKey'));
      return;
    }
    if (s.count > 0) {
      if (compareIds(id, edgeId(c, s, true) as StreamId) < 0) {
        c.out.error(errorReply('xsetidBelowTop'));
        return;
      }
      if (entriesAdded !== -1n && BigInt(s.count) > entriesAdded) {
        c.out.error(errorReply('xsetidBelowLength'));
        return;
      }
    }
    s.state.lastId = id;
    if (entriesAdded !== -1n) s.state.entriesAdded = entriesAdded;
    if (compareIds(maxDeleted, MIN_ID) !== 0) s.state.maxDeletedId = maxDeleted;
    saveStream(c, 1, s);
    c.out.ok();
    notify(c, NOTIFY_STREAM, 'xsetid', 1);
  },
);
