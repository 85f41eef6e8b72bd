import { command } from '../spec.js';
import { getRange, getRangeSpec } from './GETRANGE.js';

export const SUBSTR = command(
  {
    ...getRangeSpec,
    name: 'substr',
    summary:
      "Returns the bytes of a key's value between two offsets: the name GETRANGE had before Redis 2.0.",
    since: '1.0.0',
    example: ['> SET text "This is a string"', 'OK', '> SUBSTR text 0 3', '"This"'],
  },
  getRange,
);
