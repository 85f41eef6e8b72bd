import { parseLength } from '@sluice/protocol';
import { errorReply } from '../../errors.js';
import { layout } from '../../keyspace/encoding.js';
import { recordAt } from '../_args.js';
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

/** The encoding redis-server would give a string value: int, embstr (up to 44 bytes) or raw. */
export function stringEncoding(value: Uint8Array): string {
  if (value.length <= 20 && !Number.isNaN(parseLength(value, 0, value.length))) return 'int';
  return value.length <= 44 ? 'embstr' : 'raw';
}

const ENCODING = command(
  {
    ...base,
    name: 'object|encoding',
    summary: 'Returns the internal encoding redis-server would use for the value of a key.',
    reply: {
      resp2: 'Bulk string: int, embstr or raw; a null bulk string when the key does not exist.',
      resp3: 'Bulk string: int, embstr or raw; null when the key does not exist.',
    },
    errors: [],
    example: ['> SET n 12345', 'OK', '> OBJECT ENCODING n', '"int"'],
  },
  (c) => {
    const record = recordAt(c, 2);
    if (record === undefined) return c.out.nullBulk();
    c.out.bulkString(stringEncoding(record.subarray(layout(record).valueStart)));
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
    summary: 'Returns the reference count of the value of a key: always 1 in Sluice.',
    reply: {
      resp2: 'Integer 1, or a null bulk string when the key does not exist.',
      resp3: 'Integer 1, or null when the key does not exist.',
    },
    errors: [],
    example: ['> OBJECT REFCOUNT k', '(integer) 1'],
  },
  (c) => {
    if (recordAt(c, 2) === undefined) return c.out.nullBulk();
    c.out.integer(1);
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
