import { errorReply } from '../../errors.js';
import { NOTIFY_STREAM, notify } from '../_notify.js';
import { command } from '../spec.js';
import {
  appendEntry,
  compareIds,
  formatId,
  nextId,
  oneKey,
  parseTrimArgs,
  type StreamId,
  saveStream,
  streamForWrite,
  trimStream,
  U64_MAX,
} from './_shared.js';

export const XADD = command(
  {
    ...oneKey,
    name: 'xadd',
    summary: 'Appends an entry to a stream, creating it when missing, and optionally trims it.',
    since: '5.0.0',
    complexity: 'O(log N) to append, plus O(M) for the M entries a trim removes.',
    arity: -5,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', optional: true },
      {
        name: 'trim',
        type: 'block',
        optional: true,
        arguments: [
          {
            name: 'strategy',
            type: 'oneof',
            arguments: [
              { name: 'maxlen', type: 'pure-token', token: 'MAXLEN' },
              { name: 'minid', type: 'pure-token', token: 'MINID' },
            ],
          },
          {
            name: 'operator',
            type: 'oneof',
            optional: true,
            arguments: [
              { name: 'equal', type: 'pure-token', token: '=' },
              { name: 'approximately', type: 'pure-token', token: '~' },
            ],
          },
          { name: 'threshold', type: 'string' },
          { name: 'count', type: 'integer', token: 'LIMIT', optional: true },
        ],
      },
      {
        name: 'id-selector',
        type: 'oneof',
        arguments: [
          { name: 'auto-id', type: 'pure-token', token: '*' },
          { name: 'id', type: 'string' },
        ],
      },
      {
        name: 'data',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'field', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    reply: {
      resp2:
        "Bulk string: the new entry's id; a null bulk string with NOMKSTREAM when the key does not exist.",
      resp3: "Bulk string: the new entry's id; null with NOMKSTREAM when the key does not exist.",
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'streamInvalidId',
      'streamTrimBoth',
      'streamMaxlenNegative',
      'streamLimitNegative',
      'streamLimitNoStrategy',
      'streamLimitNoApprox',
      'streamIdZero',
      'streamIdTooSmall',
      'streamExhausted',
      'collectionsLogMode',
    ],
    example: ['> XADD s 1-1 temp 20', '"1-1"', '> XADD s * temp 21', '"1700000000000-0"'],
  },
  (c) => {
    const a = c.args;
    const parsed = parseTrimArgs(c, true);
    if (parsed === null) return;
    const fieldsAt = parsed.next + 1;
    if (fieldsAt >= a.argc || (a.argc - fieldsAt) % 2 === 1) {
      c.out.error(errorReply('wrongArity', 'xadd'));
      return;
    }
    const given = parsed.id;
    if (given !== null && parsed.seqGiven && given.ms === 0n && given.seq === 0n) {
      c.out.error(errorReply('streamIdZero'));
      return;
    }
    const s = streamForWrite(c, 1, !parsed.noMkStream);
    if (s === undefined) return;
    if (s === null) {
      c.out.nullBulk();
      return;
    }
    const last = s.state.lastId;
    if (last.ms === U64_MAX && last.seq === U64_MAX) {
      c.out.error(errorReply('streamExhausted'));
      return;
    }
    let id: StreamId;
    if (given === null) {
      const now = BigInt(c.now);
      id = now > last.ms ? { ms: now, seq: 0n } : (nextId(last) as StreamId);
    } else if (!parsed.seqGiven) {
      if (given.ms === last.ms) {
        if (last.seq === U64_MAX) {
          c.out.error(errorReply('streamIdTooSmall'));
          return;
        }
        id = { ms: given.ms, seq: last.seq + 1n };
      } else id = given;
    } else id = given;
    if (compareIds(id, last) <= 0) {
      c.out.error(errorReply('streamIdTooSmall'));
      return;
    }
    const fields = [];
    for (let i = fieldsAt; i < a.argc; i++) fields.push(a.argCopy(i));
    appendEntry(c, s, id, fields);
    const trimmed = trimStream(c, s, parsed.trim);
    // Stored first: a new key announces `new` before the reply and `xadd`, as redis-server's dbAdd does.
    saveStream(c, 1, s);
    c.out.bulkString(formatId(id));
    notify(c, NOTIFY_STREAM, 'xadd', 1);
    if (trimmed > 0) notify(c, NOTIFY_STREAM, 'xtrim', 1);
  },
);
