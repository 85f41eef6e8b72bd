import { errorReply } from '../../errors.js';
import {
  decodeMeta,
  TYPE_HASH,
  TYPE_LIST,
  TYPE_STREAM,
  TYPE_STRING,
  TYPE_ZSET,
  typeOf,
} from '../../keyspace/collections.js';
import { encodingOf, FLAG_NO_INT, FLAG_RAW, layout } from '../../keyspace/encoding.js';
import { parseInteger, recordAt } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import { type CommandSpec, command } from '../spec.js';

const base = {
  group: 'generic',
  since: '2.2.3',
  complexity: 'O(1)',
  arity: 3,
  flags: ['readonly'],
  keys: { first: 2, last: 2, step: 1 },
  arguments: [{ name: 'key', type: 'key' }],
} as const satisfies Partial<CommandSpec>;

/**
 * The encoding redis-server would give a string value: as tryObjectEncoding names a value a client sent
 * (int for a 64-bit integer as string2l reads it, at most 20 characters, LLONG_MIN and LLONG_MAX
 * included; embstr up to 44 bytes; raw beyond), unless the record says how redis-server built it: raw
 * after APPEND to a key or SETRANGE (`FLAG_RAW`), never int after INCRBYFLOAT (`FLAG_NO_INT`).
 */
export function stringEncoding(value: Buffer, encoding = 0): string {
  if ((encoding & FLAG_RAW) !== 0) return 'raw';
  if ((encoding & FLAG_NO_INT) === 0 && parseInteger(value, 0, value.length) !== null) return 'int';
  return value.length <= 44 ? 'embstr' : 'raw';
}

/** redis-server's shared integers, 0 to 9999: one object each, whose refcount is INT_MAX. */
const SHARED_INTEGERS = 10000n;
const SHARED_REFCOUNT = 2147483647;

const ENCODING = command(
  {
    ...base,
    name: 'object|encoding',
    summary: 'Returns the internal encoding redis-server would use for the value of a key.',
    reply: {
      resp2:
        'Bulk string: int, embstr or raw for a string, listpack or hashtable for a hash, intset or hashtable for a set, quicklist for a list, listpack or skiplist for a sorted set, stream for a stream; a null bulk string when the key does not exist.',
      resp3:
        'Bulk string: int, embstr or raw for a string, listpack or hashtable for a hash, intset or hashtable for a set, quicklist for a list, listpack or skiplist for a sorted set, stream for a stream; null when the key does not exist.',
    },
    errors: [],
    example: ['> SET n 12345', 'OK', '> OBJECT ENCODING n', '"int"'],
  },
  (c) => {
    const record = recordAt(c, 2);
    if (record === undefined) return c.out.nullBulk();
    const type = typeOf(record);
    // redis-server 7.0 keeps every list in a quicklist, whatever its size.
    if (type === TYPE_LIST) return c.out.bulkString('quicklist');
    if (type === TYPE_STREAM) return c.out.bulkString('stream');
    if (type !== TYPE_STRING) {
      const { large } = decodeMeta(record);
      if (type === TYPE_ZSET) return c.out.bulkString(large ? 'skiplist' : 'listpack');
      c.out.bulkString(large ? 'hashtable' : type === TYPE_HASH ? 'listpack' : 'intset');
      return;
    }
    c.out.bulkString(stringEncoding(record.subarray(layout(record).valueStart), encodingOf(record)));
  },
);

const FREQ = command(
  {
    ...base,
    name: 'object|freq',
    summary: 'Access frequency of a key: Sluice keeps none, as redis-server without an LFU policy.',
    since: '4.0.0',
    reply: {
      resp2: 'An error, or a null bulk string for a missing key.',
      resp3: 'An error, or null for a missing key.',
    },
    errors: ['lfuNotSelected'],
    example: ['> OBJECT FREQ k', '(error) ERR An LFU maxmemory policy is not selected, ...'],
  },
  (c) => {
    if (recordAt(c, 2) === undefined) return c.out.nullBulk();
    c.out.error(errorReply('lfuNotSelected'));
  },
);

const IDLETIME = command(
  {
    ...base,
    name: 'object|idletime',
    summary: 'Time since a key was last accessed: not tracked by Sluice.',
    reply: {
      resp2: 'An error, or a null bulk string for a missing key.',
      resp3: 'An error, or null for a missing key.',
    },
    errors: ['idleNotTracked'],
    example: ['> OBJECT IDLETIME k', '(error) ERR OBJECT IDLETIME is not supported: ...'],
  },
  (c) => {
    if (recordAt(c, 2) === undefined) return c.out.nullBulk();
    c.out.error(errorReply('idleNotTracked'));
  },
);

const REFCOUNT = command(
  {
    ...base,
    name: 'object|refcount',
    summary: 'Returns the reference count of the value of a key, as redis-server would count it.',
    reply: {
      resp2:
        "Integer: 2147483647 for an integer from 0 to 9999 (redis-server's shared integers), else 1; a null bulk string when the key does not exist.",
      resp3:
        "Integer: 2147483647 for an integer from 0 to 9999 (redis-server's shared integers), else 1; null when the key does not exist.",
    },
    errors: [],
    example: [
      '> SET k hello',
      'OK',
      '> OBJECT REFCOUNT k',
      '(integer) 1',
      '> SET n 42',
      'OK',
      '> OBJECT REFCOUNT n',
      '(integer) 2147483647',
    ],
  },
  (c) => {
    const record = recordAt(c, 2);
    if (record === undefined) return c.out.nullBulk();
    const value = record.subarray(layout(record).valueStart);
    const n =
      value.length <= 4 && stringEncoding(value, encodingOf(record)) === 'int'
        ? parseInteger(value, 0, value.length)
        : null;
    c.out.integer(n !== null && n >= 0n && n < SHARED_INTEGERS ? SHARED_REFCOUNT : 1);
  },
);

const HELP = helpSubcommand('object', 'generic', [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Print this help.',
]);

export const OBJECT = command({
  group: 'generic',
  name: 'object',
  summary: 'A container for object introspection commands.',
  since: '2.2.3',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> OBJECT ENCODING k', '"embstr"'],
}, () => {}, [ENCODING, FREQ, HELP, IDLETIME, REFCOUNT]);
