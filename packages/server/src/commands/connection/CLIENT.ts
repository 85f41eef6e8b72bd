import type { Client } from '../../client.js';
import { errorReply } from '../../errors.js';
import { integerArg, isToken } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import { type CommandSpec, command } from '../spec.js';
import { validClientName } from './_auth.js';

/** One line of CLIENT LIST / CLIENT INFO, with redis-server 7's fields in its order. */
export function clientInfoLine(k: Client, now = Date.now()): string {
  const qbuf = k.decoder.bufferedBytes;
  const fields: [string, string | number][] = [
    ['id', k.id],
    ['addr', k.addr],
    ['laddr', k.laddr],
    ['fd', -1],
    ['name', k.name],
    ['age', Math.floor((now - k.createdAt) / 1000)],
    ['idle', Math.floor((now - k.lastInteraction) / 1000)],
    [
      'flags',
      `${k.server.monitors.has(k) ? 'O' : ''}${k.multi !== null ? 'x' : ''}${k.noEvict ? 'e' : ''}` || 'N',
    ],
    ['db', k.db.index],
    ['sub', 0],
    ['psub', 0],
    ['ssub', 0],
    ['multi', k.multi === null ? -1 : k.multi.length],
    ['qbuf', qbuf],
    ['qbuf-free', 0],
    ['argv-mem', 0],
    ['multi-mem', 0],
    ['rbs', k.decoder.allocatedBytes],
    ['rbp', 0],
    ['obl', 0],
    ['oll', k.queue.length],
    ['omem', k.pendingOutputBytes],
    ['tot-mem', k.decoder.allocatedBytes + qbuf + k.pendingOutputBytes],
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
        c.out.error(errorReply('unknownClientType', a.argString(3)));
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

const KILL = command(
  {
    ...base,
    name: 'client|kill',
    summary: 'Closes client connections: the one at ip:port, or every one matching the filters.',
    since: '2.4.0',
    complexity: 'O(N) where N is the number of client connections',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'filter',
        type: 'oneof',
        arguments: [
          { name: 'old-format', type: 'string' },
          {
            name: 'new-format',
            type: 'oneof',
            multiple: true,
            arguments: [
              { name: 'client-id', type: 'integer', token: 'ID', optional: true },
              { name: 'client-type', type: 'string', token: 'TYPE', optional: true },
              { name: 'username', type: 'string', token: 'USER', optional: true },
              { name: 'addr', type: 'string', token: 'ADDR', optional: true },
              { name: 'laddr', type: 'string', token: 'LADDR', optional: true },
              { name: 'skipme', type: 'string', token: 'SKIPME', optional: true },
            ],
          },
        ],
      },
    ],
    reply: {
      resp2: 'Simple string OK for the ip:port form; otherwise an integer: how many connections were closed.',
      resp3: 'Simple string OK for the ip:port form; otherwise an integer: how many connections were closed.',
    },
    errors: ['noSuchClient', 'syntax', 'clientIdInvalid', 'unknownClientType'],
    example: ['> CLIENT KILL ID 12', '(integer) 1'],
  },
  (c) => {
    const a = c.args;
    const close = (k: Client) => {
      if (k === c) c.closeAfterFlush = true;
      else k.socket.destroy();
    };
    if (a.argc === 3) {
      const addr = a.argString(2);
      const target = [...c.server.clients.values()].find((k) => k.addr === addr);
      if (target === undefined) {
        c.out.error(errorReply('noSuchClient'));
        return;
      }
      c.out.ok();
      close(target);
      return;
    }
    const tests: ((k: Client) => boolean)[] = [];
    let skipMe = true;
    for (let i = 2; i < a.argc; i += 2) {
      if (i + 1 >= a.argc) {
        c.out.error(errorReply('syntax'));
        return;
      }
      const value = a.argString(i + 1);
      if (isToken(c, i, 'id')) {
        const id = integerArg(c, i + 1);
        if (id === null || id <= 0) {
          c.out.error(errorReply('clientIdInvalid'));
          return;
        }
        tests.push((k) => k.id === id);
      } else if (isToken(c, i, 'type')) {
        const type = value.toLowerCase();
        if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) {
          c.out.error(errorReply('unknownClientType', value));
          return;
        }
        tests.push(() => type === 'normal');
      } else if (isToken(c, i, 'user')) {
        tests.push(() => value === 'default');
      } else if (isToken(c, i, 'addr')) {
        tests.push((k) => k.addr === value);
      } else if (isToken(c, i, 'laddr')) {
        tests.push((k) => k.laddr === value);
      } else if (isToken(c, i, 'skipme')) {
        const v = value.toLowerCase();
        if (v !== 'yes' && v !== 'no') {
          c.out.error(errorReply('syntax'));
          return;
        }
        skipMe = v === 'yes';
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    let killed = 0;
    for (const k of [...c.server.clients.values()]) {
      if (skipMe && k === c) continue;
      if (tests.every((t) => t(k))) {
        killed++;
        close(k);
      }
    }
    c.out.integer(killed);
  },
);

const PAUSE = command(
  {
    ...base,
    name: 'client|pause',
    summary: 'Holds back the commands of every client (or only their writes) for a number of milliseconds.',
    since: '3.0.0',
    complexity: 'O(1)',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      { name: 'timeout', type: 'integer' },
      {
        name: 'mode',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'write', type: 'pure-token', token: 'WRITE' },
          { name: 'all', type: 'pure-token', token: 'ALL' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['timeoutNotInteger', 'timeoutNegative', 'pauseMode', 'syntax'],
    example: ['> CLIENT PAUSE 2000 WRITE', 'OK'],
  },
  (c) => {
    const ms = integerArg(c, 2);
    if (ms === null) {
      c.out.error(errorReply('timeoutNotInteger'));
      return;
    }
    if (ms < 0) {
      c.out.error(errorReply('timeoutNegative'));
      return;
    }
    let all = true;
    if (c.args.argc === 4) {
      if (isToken(c, 3, 'write')) all = false;
      else if (!isToken(c, 3, 'all')) {
        c.out.error(errorReply('pauseMode'));
        return;
      }
    } else if (c.args.argc > 4) {
      c.out.error(errorReply('syntax'));
      return;
    }
    c.server.pauseClients(ms, all);
    c.out.ok();
  },
);

const UNPAUSE = command(
  {
    ...base,
    name: 'client|unpause',
    summary: 'Ends a CLIENT PAUSE: the commands held back run.',
    since: '6.2.0',
    complexity: 'O(N) Where N is the number of paused clients',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> CLIENT UNPAUSE', 'OK'],
  },
  (c) => {
    c.out.ok();
    setImmediate(() => c.server.unpause());
  },
);

const NO_EVICT = command(
  {
    ...base,
    name: 'client|no-evict',
    summary:
      'Marks the connection as exempt from client eviction (Sluice never evicts clients; kept for CLIENT LIST).',
    since: '7.0.0',
    arity: 3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'enabled',
        type: 'oneof',
        arguments: [
          { name: 'on', type: 'pure-token', token: 'ON' },
          { name: 'off', type: 'pure-token', token: 'OFF' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['syntax'],
    example: ['> CLIENT NO-EVICT on', 'OK'],
  },
  (c) => {
    if (isToken(c, 2, 'on')) c.noEvict = true;
    else if (isToken(c, 2, 'off')) c.noEvict = false;
    else {
      c.out.error(errorReply('syntax'));
      return;
    }
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
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id>',
  '      Kill connections by client id.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
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
}, () => {}, [GETNAME, HELP, ID, INFO, KILL, LIST, NO_EVICT, PAUSE, SETINFO, SETNAME, UNPAUSE]);
