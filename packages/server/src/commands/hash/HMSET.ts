import { command } from '../spec.js';
import { base } from './_shared.js';
import { setFields } from './HSET.js';

export const HMSET = command(
  {
    ...base,
    name: 'hmset',
    summary: 'Sets fields of a hash to values (as HSET, replying OK).',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields being set.',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'field_value',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'field', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['wrongType'],
    example: ['> HMSET user:1 name Ada lang en', 'OK'],
  },
  (c) => setFields(c, 'hmset'),
);
