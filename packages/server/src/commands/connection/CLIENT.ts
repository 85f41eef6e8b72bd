import type { Client } from '../../client.js';
import { errorReply } from '../../errors.js';
import { isToken } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import { type CommandSpec, command } from '../spec.js';
import { validClientName } from './_auth.js';

/** One line of CLIENT LIST / CLIENT INFO, with redis-server 7's fields in its order. */
export function clientInfoLine(k: Client, now = Date.now()): string {
  const qbuf = k.args.bufferedBytes;
  const fields: [string, string | number][] = [
    ['id', k.id],
    ['addr', k.addr],
    ['laddr', k.laddr],
    ['fd', -1],
    ['name', k.name],
    ['age', Math.floor((now - k.createdAt) / 1000)],
    ['idle', Math.floor((now - k.lastInteraction) / 1000)],
    ['flags', 'N'],
    ['db', k.db.index],
    ['sub', 0],
    ['psub', 0],
    ['ssub', 0],
    ['multi', -1],
    ['qbuf', qbuf],
    ['qbuf-free', 0],
    ['argv-mem', 0],
    ['multi-mem', 0],
    ['rbs', k.args.allocatedBytes],
    ['rbp', 0],
    ['obl', 0],
    ['oll', k.queue.length],
    ['omem', k.pendingOutputBytes],
    ['tot-mem', k.args.allocatedBytes + qbuf + k.pendingOutputBytes],
    ['events', 'r'],
    ['cmd', k.lastCommand],
    ['user', 'default'],
    ['redir', -1],
    ['resp', k.protocol],
    ['lib-name', k.libName],
    ['lib-ver', k.libVer],
  ];
  return fields.map(([n, v]) => `${n}=${v}`).join(' ');
}

const base = {
  group: 'connection',
  complexity: 'O(1)',
  errors: [],
} as const satisfies Partial<CommandSpec>;

const ID = command(
  {
    ...base,
    name: 'client|id',
    summary: 'Returns the unique ID of the connection.',
    since: '5.0.0',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Integer: the connection ID.', resp3: 'Integer: the connection ID.' },
    example: ['> CLIENT ID', '(integer) 7'],
  },
  (c) => c.out.integer(c.id),
);

const SETNAME = command(
  {
    ...base,
    name: 'client|setname',
    summary: 'Names the connection (an empty name removes it).',
    since: '2.6.9',
    arity: 3,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [{ name: 'connection-name', type: 'string' }],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['clientNameSpaces'],
    example: ['> CLIENT SETNAME worker-1', 'OK'],
  },
  (c) => {
    const name = c.args.arg(2);
    if (!validClientName(name)) {
      c.out.error(errorReply('clientNameSpaces'));
      return;
    }
    c.name = name.toString('latin1');
    c.out.ok();
  },
);

const GETNAME = command(
  {
    ...base,
    name: 'client|getname',
    summary: 'Returns the name of the connection.',
    since: '2.6.9',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: the name, or a null bulk string when none is set.',
      resp3: 'Bulk string: the name, or null when none is set.',
    },
    example: ['> CLIENT GETNAME', '"worker-1"'],
  },
  (c) => {
    if (c.name === '') c.out.nullBulk();
    else c.out.bulkString(c.name);
  },
);

const INFO = command(
  {
    ...base,
    name: 'client|info',
    summary: 'Returns information about the connection.',
    since: '6.2.0',
    arity: 2,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [],
    reply: {
      resp2: 'Bulk string: one line of fields, as in CLIENT LIST.',
      resp3: 'Verbatim string: one line of fields, as in CLIENT LIST.',
    },
    example: ['> CLIENT INFO', '"id=7 addr=127.0.0.1:51234 laddr=127.0.0.1:6379 fd=-1 name= age=0 ..."'],
  },
  (c) => c.out.verbatim(`${clientInfoLine(c)}\n`),
);

const LIST = command(
  {
    ...base,
    name: 'client|list',
    summary: 'Lists the open connections.',
    since: '2.4.0',
    complexity: 'O(N) where N is the number of client connections',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'client-type',
        type: 'oneof',
        token: 'TYPE',
        optional: true,
        arguments: [
          { name: 'normal', type: 'pure-token', token: 'NORMAL' },
          { name: 'master', type: 'pure-token', token: 'MASTER' },
          { name: 'replica', type: 'pure-token', token: 'REPLICA' },
          { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
        ],
      },
      { name: 'client-id', type: 'integer', token: 'ID', optional: true, multiple: true },
    ],
    reply: {
      resp2: 'Bulk string: one line per connection.',
      resp3: 'Verbatim string: one line per connection.',
    },
    errors: ['syntax'],
    example: ['> CLIENT LIST', '"id=7 addr=127.0.0.1:51234 laddr=127.0.0.1:6379 fd=-1 name= age=3 ..."'],
  },
  (c) => {
    const a = c.args;
    let clients = [...c.server.clients.values()];
    if (a.argc >= 4 && isToken(c, 2, 'type')) {
      const type = a.argString(3).toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) {
        c.out.error(`ERR Unknown client type '${a.argString(3)}'`);
        return;
      }
      if (type !== 'normal') clients = [];
    } else if (a.argc >= 4 && isToken(c, 2, 'id')) {
      const ids = new Set<number>();
      for (let i = 3; i < a.argc; i++) {
        const n = Number(a.argString(i));
        if (!Number.isInteger(n) || n <= 0) {
          c.out.error('ERR Invalid client ID');
          return;
        }
        ids.add(n);
      }
      clients = clients.filter((k) => ids.has(k.id));
    } else if (a.argc !== 2) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const now = Date.now();
    c.out.verbatim(clients.map((k) => `${clientInfoLine(k, now)}\n`).join(''));
  },
);

const SETINFO = command(
  {
    ...base,
    name: 'client|setinfo',
    summary: "Records the client library's name or version for CLIENT LIST.",
    since: '7.2.0',
    arity: 4,
    flags: ['noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'attr',
        type: 'oneof',
        arguments: [
          { name: 'libname', type: 'string', token: 'LIB-NAME' },
          { name: 'libver', type: 'string', token: 'LIB-VER' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['unrecognizedOption', 'clientInfoChars'],
    example: ['> CLIENT SETINFO LIB-NAME ioredis', 'OK'],
  },
  (c) => {
    const value = c.args.arg(3);
    const isName = isToken(c, 2, 'lib-name');
    if (!isName && !isToken(c, 2, 'lib-ver')) {
      c.out.error(errorReply('unrecognizedOption', c.args.argString(2)));
      return;
    }
    for (const b of value) {
      if (b < 0x21 || b > 0x7e) {
        c.out.error(errorReply('clientInfoChars', isName ? 'lib-name' : 'lib-ver'));
        return;
      }
    }
    if (isName) c.libName = value.toString('latin1');
    else c.libVer = value.toString('latin1');
    c.out.ok();
  },
);

const HELP_LINES = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  '    * ID <client-id> [<client-id> ...]',
  '      Return clients of specified IDs only.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'HELP',
  '    Print this help.',
];

const HELP = helpSubcommand('client', 'connection', HELP_LINES);

export const CLIENT = command({
  ...base,
  name: 'client',
  summary: 'A container for client connection commands.',
  since: '2.4.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  example: ['> CLIENT ID', '(integer) 7'],
}, () => {}, [GETNAME, HELP, ID, INFO, LIST, SETINFO, SETNAME]);
