import { command } from '../spec.js';
import { bitfield } from './_bitfield.js';

export const BITFIELD = command(
  {
    name: 'bitfield',
    group: 'bitmap',
    summary:
      "Reads, writes and increments integers of any width from 1 to 64 bits at any bit offset of a key's string value, in one call; keeps its expiry.",
    since: '3.2.0',
    complexity:
      'O(1) for each operation, plus the length of the value when one writes: Sluice writes the whole value again.',
    arity: -2,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'operation',
        type: 'oneof',
        optional: true,
        multiple: true,
        arguments: [
          {
            name: 'get-block',
            type: 'block',
            token: 'GET',
            arguments: [
              { name: 'encoding', type: 'string' },
              { name: 'offset', type: 'integer' },
            ],
          },
          {
            name: 'write',
            type: 'block',
            arguments: [
              {
                name: 'overflow-block',
                type: 'oneof',
                token: 'OVERFLOW',
                optional: true,
                arguments: [
                  { name: 'wrap', type: 'pure-token', token: 'WRAP' },
                  { name: 'sat', type: 'pure-token', token: 'SAT' },
                  { name: 'fail', type: 'pure-token', token: 'FAIL' },
                ],
              },
              {
                name: 'write-operation',
                type: 'oneof',
                arguments: [
                  {
                    name: 'set-block',
                    type: 'block',
                    token: 'SET',
                    arguments: [
                      { name: 'encoding', type: 'string' },
                      { name: 'offset', type: 'integer' },
                      { name: 'value', type: 'integer' },
                    ],
                  },
                  {
                    name: 'incrby-block',
                    type: 'block',
                    token: 'INCRBY',
                    arguments: [
                      { name: 'encoding', type: 'string' },
                      { name: 'offset', type: 'integer' },
                      { name: 'increment', type: 'integer' },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    reply: {
      resp2:
        'Array: one integer per GET, SET and INCRBY, in order (SET: the old value; INCRBY: the new one), or a null bulk string for a write that OVERFLOW FAIL refused.',
      resp3:
        'Array: one integer per GET, SET and INCRBY, in order (SET: the old value; INCRBY: the new one), or null for a write that OVERFLOW FAIL refused.',
    },
    errors: ['syntax', 'bitfieldType', 'bitOffset', 'bitfieldOverflow', 'notInteger', 'wrongType'],
    example: [
      '> BITFIELD counters INCRBY u8 #0 200 INCRBY u8 #1 7 GET u16 0',
      '1) (integer) 200',
      '2) (integer) 7',
      '3) (integer) 51207',
      '> BITFIELD counters OVERFLOW SAT INCRBY u8 #0 100 OVERFLOW FAIL INCRBY u8 #1 250',
      '1) (integer) 255',
      '2) (nil)',
    ],
  },
  (c) => {
    bitfield(c, false);
  },
);
