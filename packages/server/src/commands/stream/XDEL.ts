import { errorReply } from '../../errors.js';
import { NOTIFY_STREAM, notify } from '../_notify.js';
import { command } from '../spec.js';
import {
  compareIds,
  deleteEntry,
  edgeId,
  MIN_ID,
  oneKey,
  parseId,
  type StreamId,
  saveStream,
  streamForWrite,
} from './_shared.js';

export const XDEL = command(
  {
    ...oneKey,
    name: 'xdel',
    summary: 'Deletes entries of a stream by id; the stream stays, even empty.',
    since: '5.0.0',
    complexity: 'O(log N) for each id.',
    arity: -3,
    flags: ['write', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'id', type: 'string', multiple: true },
    ],
    reply: {
      resp2: 'Integer: the number of entries deleted.',
      resp3: 'Integer: the number of entries deleted.',
    },
    errors: ['wrongType', 'streamInvalidId', 'collectionsLogMode'],
    example: ['> XADD s 1-1 a 1', '"1-1"', '> XDEL s 1-1 2-2', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    const s = streamForWrite(c, 1, false);
    if (s === undefined) return;
    if (s === null) {
      c.out.integer(0);
      return;
    }
    // Every id is checked before any is deleted.
    const ids: StreamId[] = [];
    for (let j = 2; j < a.argc; j++) {
      const parsed = parseId(a.arg(j), 0n, true);
      if (parsed === null) {
        c.out.error(errorReply('streamInvalidId'));
        return;
      }
      ids.push(parsed.id);
    }
    let deleted = 0;
    let first = false;
    for (const id of ids) {
      if (!deleteEntry(c, s, id)) continue;
      if (compareIds(id, s.state.firstId) === 0) first = true;
      if (compareIds(id, s.state.maxDeletedId) > 0) s.state.maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (s.count === 0) s.state.firstId = MIN_ID;
      else if (first) s.state.firstId = edgeId(c, s, false) as StreamId;
      saveStream(c, 1, s);
      notify(c, NOTIFY_STREAM, 'xdel', 1);
    }
    c.out.integer(deleted);
  },
);
