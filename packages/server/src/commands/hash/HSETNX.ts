import { saveAt } from '../_collection.js';
import { NOTIFY_HASH, notify } from '../_notify.js';
import { command } from '../spec.js';
import { base, fieldValue, hashForWrite, setField } from './_shared.js';

export const HSETNX = command(
  {
    ...base,
    name: 'hsetnx',
    summary: 'Sets a field of a hash only if the field does not exist yet.',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
      { name: 'value', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: 1 if the field was set, 0 if it already existed.',
      resp3: 'Integer: 1 if the field was set, 0 if it already existed.',
    },
    errors: ['wrongType'],
    example: ['> HSETNX user:1 name Ada', '(integer) 1', '> HSETNX user:1 name Bob', '(integer) 0'],
  },
  (c) => {
    const coll = hashForWrite(c);
    if (coll === undefined) return;
    if (fieldValue(c, coll, 2) !== undefined) {
      c.out.integer(0);
      return;
    }
    setField(c, coll, 2, c.args.argCopy(3));
    saveAt(c, 1, coll);
    c.out.integer(1);
    notify(c, NOTIFY_HASH, 'hset', 1);
  },
);
