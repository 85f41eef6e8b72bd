import { command } from '../spec.js';
import { bitfield } from './_bitfield.js';

export const BITFIELD_RO = command(
  {
    name: 'bitfield_ro',
    group: 'bitmap',
    summary:
      "BITFIELD's GET alone: reads integers at bit offsets of a key's string value, as a read-only command.",
    since: '6.0.0',
    complexity: 'O(1) for each GET.',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'get-block',
        type: 'block',
        token: 'GET',
        optional: true,
        multiple: true,
        arguments: [
          { name: 'encoding', type: 'string' },
          { name: 'offset', type: 'integer' },
        ],
      },
    ],
    reply: {
      resp2: 'Array: one integer per GET, in order; bits past the end of the value read as 0.',
      resp3: 'Array: one integer per GET, in order; bits past the end of the value read as 0.',
    },
    errors: [
      'syntax',
      'bitfieldType',
      'bitOffset',
      'bitfieldOverflow',
      'notInteger',
      'bitfieldReadOnly',
      'wrongType',
    ],
    example: [
      '> SET k "\\x01\\x02"',
      'OK',
      '> BITFIELD_RO k GET u8 0 GET i4 12',
      '1) (integer) 1',
      '2) (integer) 2',
      '> BITFIELD_RO k SET u8 0 1',
      '(error) ERR BITFIELD_RO only supports the GET subcommand',
    ],
  },
  (c) => {
    bitfield(c, true);
  },
);
