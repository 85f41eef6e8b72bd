import { errorReply } from '../../errors.js';
import { FLAG_RAW } from '../../keyspace/encoding.js';
import { deleteAt, recordAt, stringAt } from '../_args.js';
import { NOTIFY_GENERIC, NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putKey, valueStart } from '../string/_shared.js';
import { isCToken } from './_shared.js';

const AND = 0;
const OR = 1;
const XOR = 2;
const NOT = 3;
const EMPTY = Buffer.alloc(0);

export const BITOP = command(
  {
    name: 'bitop',
    group: 'bitmap',
    summary:
      'Stores the bitwise AND, OR or XOR of string values, or the NOT of one, in a key; missing keys and the short ends of shorter values count as zero bytes.',
    since: '2.6.0',
    complexity: 'O(N) where N is the length of the longest value.',
    arity: -4,
    flags: ['write', 'denyoom'],
    keys: { first: 2, last: -1, step: 1 },
    arguments: [
      { name: 'operation', type: 'string' },
      { name: 'destkey', type: 'key' },
      { name: 'key', type: 'key', multiple: true },
    ],
    reply: {
      resp2:
        'Integer: the length of the result, that of the longest source value; when it is 0 the destination key is deleted instead.',
      resp3:
        'Integer: the length of the result, that of the longest source value; when it is 0 the destination key is deleted instead.',
    },
    errors: ['syntax', 'bitopNotSingle', 'wrongType'],
    example: [
      '> SET a "\\x0f"',
      'OK',
      '> SET b "\\xff\\x01"',
      'OK',
      '> BITOP AND dest a b',
      '(integer) 2',
      '> GET dest',
      '"\\x0f\\x00"',
      '> BITOP NOT dest missing',
      '(integer) 0',
      '> EXISTS dest',
      '(integer) 0',
    ],
  },
  (c) => {
    const argc = c.args.argc;
    let op: number;
    if (isCToken(c, 1, 'and')) op = AND;
    else if (isCToken(c, 1, 'or')) op = OR;
    else if (isCToken(c, 1, 'xor')) op = XOR;
    else if (isCToken(c, 1, 'not')) op = NOT;
    else {
      c.out.error(errorReply('syntax'));
      return;
    }
    if (op === NOT && argc !== 4) {
      c.out.error(errorReply('bitopNotSingle'));
      return;
    }
    // The result so far, over the sources read so far (each read reuses lmdb-js's buffer): bytes past a
    // shorter value count as zero, so folding one source at a time gives redis-server's bytes.
    let result = EMPTY;
    let length = 0;
    for (let j = 3; j < argc; j++) {
      const record = stringAt(c, j);
      if (record === null) return;
      const at = record === undefined ? 0 : valueStart(record);
      const len = record === undefined ? 0 : record.length - at;
      if (j === 3) {
        length = len;
        if (len > 0) {
          result = Buffer.allocUnsafe(len);
          (record as Buffer).copy(result, 0, at);
          if (op === NOT) for (let i = 0; i < len; i++) result[i] = ~(result[i] as number);
        }
        continue;
      }
      if (len > length) {
        const grown = Buffer.alloc(len);
        result.copy(grown, 0, 0, length);
        result = grown;
        length = len;
      }
      const src = record as Buffer;
      if (op === AND) {
        for (let i = 0; i < len; i++) result[i] = (result[i] as number) & (src[at + i] as number);
        result.fill(0, len, length);
      } else if (op === OR) {
        for (let i = 0; i < len; i++) result[i] = (result[i] as number) | (src[at + i] as number);
      } else {
        for (let i = 0; i < len; i++) result[i] = (result[i] as number) ^ (src[at + i] as number);
      }
    }
    if (length > 0) {
      // A new raw string without expiry, as redis-server's setKey stores it.
      putKey(c, 2, result, 0, length, 0, FLAG_RAW);
      notify(c, NOTIFY_STRING, 'set', 2);
    } else if (recordAt(c, 2) !== undefined) {
      // Whatever its type, as redis-server's dbDelete.
      deleteAt(c, 2);
      notify(c, NOTIFY_GENERIC, 'del', 2);
    }
    c.out.integer(length);
  },
);
