import { command } from '../spec.js';
import { readCommand } from './XREAD.js';

export const XREADGROUP = command(
  {
    name: 'xreadgroup',
    group: 'stream',
    summary:
      "Reads entries of streams for a consumer of a group: new ones (`>`, added to the group's pending entries) or the consumer's pending ones.",
    since: '5.0.0',
    complexity: 'O(log N + M) per stream for the M entries returned.',
    arity: -7,
    flags: ['write', 'blocking', 'movablekeys'],
    arguments: [
      {
        name: 'group-block',
        type: 'block',
        token: 'GROUP',
        arguments: [
          { name: 'group', type: 'string' },
          { name: 'consumer', type: 'string' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
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
        'Array of [key, entries] per stream served (a pending entry since deleted has a null array for its fields); a null array when none is (after BLOCK: on timeout).',
      resp3:
        'Map of key to entries per stream served (a pending entry since deleted has null for its fields); null when none is (after BLOCK: on timeout).',
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'streamInvalidId',
      'timeoutNotInteger',
      'timeoutNegative',
      'xreadUnbalanced',
      'xreadgroupNoGroup',
      'xreadgroupDollar',
      'noKeyOrGroupRead',
      'blockedGroupGone',
      'blockInScript',
      'collectionsLogMode',
    ],
    example: [
      '> XGROUP CREATE s g 0 MKSTREAM',
      'OK',
      '> XADD s 1-1 a 1',
      '"1-1"',
      '> XREADGROUP GROUP g alice STREAMS s >',
      '1) 1) "s"',
      '   2) 1) 1) "1-1"',
      '         2) 1) "a"',
      '            2) "1"',
    ],
  },
  (c) => readCommand(c, true),
);
