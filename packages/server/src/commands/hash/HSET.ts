import { errorReply } from '../../errors.js';
import { saveAt } from '../_collection.js';
import { NOTIFY_HASH, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import { base, hashForWrite, setField } from './_shared.js';

export const HSET = command(
  {
    ...base,
    name: 'hset',
    summary: 'Sets fields of a hash to values, creating the hash when missing.',
    since: '2.0.0',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs.',
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
    reply: {
      resp2: 'Integer: the number of fields that were added (not those updated).',
      resp3: 'Integer: the number of fields that were added (not those updated).',
    },
    errors: ['wrongType'],
    example: ['> HSET user:1 name Ada lang en', '(integer) 2', '> HSET user:1 lang fr', '(integer) 0'],
  },
  (c) => setFields(c, 'hset'),
);

/** HSET and HMSET: sets each field to its value; HMSET replies OK, HSET the number of new fields. */
export function setFields(c: CommandContext, name: 'hset' | 'hmset'): void {
  const a = c.args;
  if (a.argc % 2 !== 0) {
    c.out.error(errorReply('wrongArity', name));
    return;
  }
  const coll = hashForWrite(c);
  if (coll === undefined) return;
  let added = 0;
  for (let i = 2; i < a.argc; i += 2) if (setField(c, coll, i, a.arg(i + 1))) added++;
  saveAt(c, 1, coll);
  if (name === 'hmset') c.out.ok();
  else c.out.integer(added);
  notify(c, NOTIFY_HASH, 'hset', 1);
}
