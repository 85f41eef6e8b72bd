import { errorReply } from '../../errors.js';
import { parseInteger } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import { NOTIFY_STREAM, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { type CommandDef, type CommandSpec, command } from '../spec.js';
import {
  createConsumer,
  deleteConsumer,
  destroyGroup,
  type Group,
  getConsumer,
  getGroup,
  INVALID_ENTRIES_READ,
  putGroup,
} from './_groups.js';
import { type OpenStream, parseId, type StreamId, saveStream, streamForWrite } from './_shared.js';

const sub = {
  group: 'stream',
  since: '5.0.0',
  flags: ['write'],
  keys: { first: 2, last: 2, step: 1 },
} as const satisfies Partial<CommandSpec>;

/**
 * What every XGROUP subcommand does first (xgroupCommand): CREATE's and SETID's options, then the key
 * (it must exist, unless CREATE … MKSTREAM), then the group for those that need it. Null once an error
 * is replied.
 */
function prelude(
  c: CommandContext,
  name: 'create' | 'setid' | 'destroy' | 'createconsumer' | 'delconsumer',
): { s: OpenStream | null; g: Group | null; entriesRead: bigint; mkstream: boolean } | null {
  const a = c.args;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (name === 'create' || name === 'setid') {
    for (let i = 5; i < a.argc; ) {
      const word = a.argString(i, 'latin1').toLowerCase();
      if (name === 'create' && word === 'mkstream') {
        mkstream = true;
        i++;
      } else if (word === 'entriesread' && i + 1 < a.argc) {
        const n = parseInteger(a.arg(i + 1), 0, a.arg(i + 1).length);
        if (n === null) {
          c.out.error(errorReply('notInteger'));
          return null;
        }
        if (n < 0n && n !== INVALID_ENTRIES_READ) {
          c.out.error(errorReply('entriesReadRange'));
          return null;
        }
        entriesRead = n;
        i += 2;
      } else {
        c.out.error(errorReply('subcommandSyntax', a.argString(1, 'latin1'), 'XGROUP'));
        return null;
      }
    }
  }
  const s = streamForWrite(c, 2, false);
  if (s === undefined) return null;
  let g: Group | null = null;
  if (!mkstream) {
    if (s === null) {
      c.out.error(errorReply('xgroupNoKey'));
      return null;
    }
    g = getGroup(c, s, a.arg(3));
    if (g === null && (name === 'setid' || name === 'createconsumer' || name === 'delconsumer')) {
      c.out.error(errorReply('noGroup', a.argString(3, 'latin1'), a.argString(2, 'latin1')));
      return null;
    }
  } else if (s !== null) {
    g = getGroup(c, s, a.arg(3));
  }
  return { s, g, entriesRead, mkstream };
}

function syntaxError(c: CommandContext): void {
  c.out.error(errorReply('subcommandSyntax', c.args.argString(1, 'latin1'), 'XGROUP'));
}

/** `$` (the stream's last id) or an id (strictly parsed for CREATE); null once the error is replied. */
function groupIdArg(c: CommandContext, s: OpenStream | null, strict: boolean): StreamId | null {
  const raw = c.args.arg(4);
  if (raw.length === 1 && raw[0] === 0x24) return s === null ? { ms: 0n, seq: 0n } : s.state.lastId;
  const parsed = parseId(raw, 0n, strict);
  if (parsed === null) {
    c.out.error(errorReply('streamInvalidId'));
    return null;
  }
  return parsed.id;
}

const CREATE = command(
  {
    ...sub,
    name: 'xgroup|create',
    summary: 'Creates a consumer group on a stream, starting after an id (`$`: the last entry).',
    complexity: 'O(1)',
    arity: -5,
    flags: ['write', 'denyoom'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      {
        name: 'id-selector',
        type: 'oneof',
        arguments: [
          { name: 'id', type: 'string' },
          { name: 'new-id', type: 'pure-token', token: '$' },
        ],
      },
      { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true },
      { name: 'entries-read', type: 'integer', token: 'ENTRIESREAD', optional: true },
    ],
    reply: { resp2: 'Simple string: OK.', resp3: 'Simple string: OK.' },
    errors: [
      'wrongType',
      'xgroupNoKey',
      'busyGroup',
      'streamInvalidId',
      'notInteger',
      'entriesReadRange',
      'subcommandSyntax',
      'collectionsLogMode',
    ],
    example: ['> XGROUP CREATE s g $ MKSTREAM', 'OK'],
  },
  (c) => {
    const p = prelude(c, 'create');
    if (p === null) return;
    if (c.args.argc > 8) return syntaxError(c);
    const id = groupIdArg(c, p.s, true);
    if (id === null) return;
    if (p.g !== null) {
      c.out.error(errorReply('busyGroup'));
      return;
    }
    const s = p.s ?? (streamForWrite(c, 2, true) as OpenStream);
    putGroup(c, s, {
      name: c.args.argCopy(3),
      lastId: id,
      entriesRead: p.entriesRead,
      pending: 0,
      consumers: 0,
    });
    saveStream(c, 2, s);
    c.out.ok();
    notify(c, NOTIFY_STREAM, 'xgroup-create', 2);
  },
);

const SETID = command(
  {
    ...sub,
    name: 'xgroup|setid',
    summary: "Sets a consumer group's last delivered id (and its entries-read counter).",
    complexity: 'O(1)',
    arity: -5,
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      {
        name: 'id-selector',
        type: 'oneof',
        arguments: [
          { name: 'id', type: 'string' },
          { name: 'new-id', type: 'pure-token', token: '$' },
        ],
      },
      { name: 'entriesread', type: 'integer', token: 'ENTRIESREAD', optional: true },
    ],
    reply: { resp2: 'Simple string: OK.', resp3: 'Simple string: OK.' },
    errors: [
      'wrongType',
      'xgroupNoKey',
      'noGroup',
      'streamInvalidId',
      'notInteger',
      'entriesReadRange',
      'subcommandSyntax',
      'collectionsLogMode',
    ],
    example: ['> XGROUP SETID s g 0', 'OK'],
  },
  (c) => {
    const p = prelude(c, 'setid');
    if (p === null) return;
    if (c.args.argc !== 5 && c.args.argc !== 7) return syntaxError(c);
    const s = p.s as OpenStream;
    const g = p.g as Group;
    const id = groupIdArg(c, s, false);
    if (id === null) return;
    g.lastId = id;
    g.entriesRead = p.entriesRead;
    putGroup(c, s, g);
    saveStream(c, 2, s);
    c.out.ok();
    notify(c, NOTIFY_STREAM, 'xgroup-setid', 2);
  },
);

const DESTROY = command(
  {
    ...sub,
    name: 'xgroup|destroy',
    summary: 'Removes a consumer group, its consumers and its pending entries.',
    complexity: 'O(N) for the N pending entries of the group.',
    arity: 4,
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: 1 when the group was removed, 0 when there was none.',
      resp3: 'Integer: 1 when the group was removed, 0 when there was none.',
    },
    errors: ['wrongType', 'xgroupNoKey', 'collectionsLogMode'],
    example: ['> XGROUP DESTROY s g', '(integer) 1'],
  },
  (c) => {
    const p = prelude(c, 'destroy');
    if (p === null) return;
    const s = p.s as OpenStream;
    if (p.g === null) return c.out.integer(0);
    destroyGroup(c, s, p.g);
    saveStream(c, 2, s);
    c.out.integer(1);
    notify(c, NOTIFY_STREAM, 'xgroup-destroy', 2);
  },
);

const CREATECONSUMER = command(
  {
    ...sub,
    name: 'xgroup|createconsumer',
    summary: 'Creates a consumer in a consumer group.',
    since: '6.2.0',
    complexity: 'O(1)',
    arity: 5,
    flags: ['write', 'denyoom'],
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: 1 when the consumer was created, 0 when it existed.',
      resp3: 'Integer: 1 when the consumer was created, 0 when it existed.',
    },
    errors: ['wrongType', 'xgroupNoKey', 'noGroup', 'collectionsLogMode'],
    example: ['> XGROUP CREATECONSUMER s g alice', '(integer) 1'],
  },
  (c) => {
    const p = prelude(c, 'createconsumer');
    if (p === null) return;
    const s = p.s as OpenStream;
    const g = p.g as Group;
    if (getConsumer(c, s, g, c.args.arg(4)) !== null) return c.out.integer(0);
    createConsumer(c, s, g, c.args.argCopy(4), 2);
    saveStream(c, 2, s);
    c.out.integer(1);
  },
);

const DELCONSUMER = command(
  {
    ...sub,
    name: 'xgroup|delconsumer',
    summary: 'Removes a consumer from a consumer group, with its pending entries.',
    complexity: 'O(N) for the N pending entries of the consumer.',
    arity: 5,
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
    ],
    reply: {
      resp2: 'Integer: the number of pending entries the consumer had.',
      resp3: 'Integer: the number of pending entries the consumer had.',
    },
    errors: ['wrongType', 'xgroupNoKey', 'noGroup', 'collectionsLogMode'],
    example: ['> XGROUP DELCONSUMER s g alice', '(integer) 0'],
  },
  (c) => {
    const p = prelude(c, 'delconsumer');
    if (p === null) return;
    const s = p.s as OpenStream;
    const g = p.g as Group;
    const k = getConsumer(c, s, g, c.args.arg(4));
    if (k === null) return c.out.integer(0);
    const pending = deleteConsumer(c, s, g, k);
    saveStream(c, 2, s);
    notify(c, NOTIFY_STREAM, 'xgroup-delconsumer', 2);
    c.out.integer(pending);
  },
);

const HELP = helpSubcommand('xgroup', 'stream', [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
]);

export const XGROUP: CommandDef = command({
  group: 'stream',
  name: 'xgroup',
  summary: 'A container for consumer group commands.',
  since: '5.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> XGROUP CREATE s g $ MKSTREAM', 'OK'],
}, () => {}, [CREATE, CREATECONSUMER, DELCONSUMER, DESTROY, HELP, SETID]);
