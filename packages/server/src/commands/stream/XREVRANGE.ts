import { command } from '../spec.js';
import { rangeCommand } from './_range.js';
import { oneKey } from './_shared.js';

export const XREVRANGE = command(
  {
    ...oneKey,
    name: 'xrevrange',
    summary: 'Returns the entries of a stream whose ids are in a range, from the last down.',
    since: '5.0.0',
    complexity: 'O(log N + M) for the M entries returned.',
    arity: -4,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'end', type: 'string' },
      { name: 'start', type: 'string' },
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
      '> XREVRANGE s + - COUNT 1',
      '1) 1) "1-1"',
      '   2) 1) "a"',
      '      2) "1"',
    ],
  },
  (c) => rangeCommand(c, true),
);
