import { NOTIFY_STREAM, notify } from '../_notify.js';
import { command } from '../spec.js';
import { oneKey, parseTrimArgs, saveStream, streamForWrite, trimStream } from './_shared.js';

export const XTRIM = command(
  {
    ...oneKey,
    name: 'xtrim',
    summary: 'Removes the oldest entries of a stream, down to a length (MAXLEN) or up to an id (MINID).',
    since: '5.0.0',
    complexity: 'O(log N + M) for the M entries removed.',
    arity: -4,
    flags: ['write'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'trim',
        type: 'block',
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
    ],
    reply: {
      resp2: 'Integer: the number of entries removed.',
      resp3: 'Integer: the number of entries removed.',
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'streamInvalidId',
      'streamTrimBoth',
      'streamMaxlenNegative',
      'streamLimitNegative',
      'streamXtrimNoStrategy',
      'streamLimitNoApprox',
      'collectionsLogMode',
    ],
    example: ['> XADD s 1-1 a 1', '"1-1"', '> XADD s 2-1 a 2', '"2-1"', '> XTRIM s MAXLEN 1', '(integer) 1'],
  },
  (c) => {
    const parsed = parseTrimArgs(c, false);
    if (parsed === null) return;
    const s = streamForWrite(c, 1, false);
    if (s === undefined) return;
    if (s === null) {
      c.out.integer(0);
      return;
    }
    const deleted = trimStream(c, s, parsed.trim);
    if (deleted > 0) {
      saveStream(c, 1, s);
      notify(c, NOTIFY_STREAM, 'xtrim', 1);
    }
    c.out.integer(deleted);
  },
);
