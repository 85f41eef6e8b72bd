import { command } from '../spec.js';
import { rangeCommand } from './_range.js';
import { oneKey } from './_shared.js';

export const XRANGE = command(
  {
    ...oneKey,
    name: 'xrange',
    summary: 'Returns the entries of a stream whose ids are in a range, in id order.',
    since: '5.0.0',
    complexity: 'O(log N + M) for the M entries returned.',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'string' },
      { name: 'end', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    reply: {
      resp2:
        'Array of entries, each an array of its id and an array of its fields and values; an empty array when the key does not exist; a null array for COUNT 0.',
      resp3:
        'Array of entries, each an array of its id and an array of its fields and values; an empty array when the key does not exist; null for COUNT 0.',
    },
    errors: [
      'wrongType',
      'syntax',
      'notInteger',
      'streamInvalidId',
      'streamStartInterval',
      'streamEndInterval',
    ],
    example: [
      '> XADD s 1-1 a 1',
      '"1-1"',
      '> XADD s 2-1 b 2',
      '"2-1"',
      '> XRANGE s (1-1 +',
      '1) 1) "2-1"',
      '   2) 1) "b"',
      '      2) "2"',
    ],
  },
  (c) => rangeCommand(c, false),
);
