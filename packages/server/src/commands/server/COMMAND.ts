import type { ReplyWriter } from '@sluice/protocol';
import type { Client } from '../../client.js';
import { errorReply } from '../../errors.js';
import { globMatch } from '../../keyspace/glob.js';
import { isToken } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import type { ArgSpec, CommandDef, CommandSpec } from '../spec.js';
import { command } from '../spec.js';

const base = { group: 'server', errors: [] } as const satisfies Partial<CommandSpec>;

/** ACL categories derived from the group and flags, as redis-server assigns them. */
function categories(s: CommandSpec): string[] {
  const out: string[] = [];
  if (s.flags.includes('write')) out.push('@write');
  if (s.flags.includes('readonly')) out.push('@read');
  out.push(`@${s.group === 'generic' ? 'keyspace' : s.group}`);
  if (s.flags.includes('admin')) out.push('@admin', '@dangerous');
  out.push(s.flags.includes('fast') ? '@fast' : '@slow');
  return out;
}

/** One COMMAND INFO entry: name, arity, flags, first key, last key, step, categories, tips, key specs, subcommands. */
function writeInfo(out: ReplyWriter, def: CommandDef): void {
  const s = def.spec;
  out.arrayHeader(10);
  out.bulkString(s.name);
  out.integer(s.arity);
  out.setHeader(s.flags.length);
  for (const f of s.flags) out.simple(f);
  out.integer(s.keys?.first ?? 0);
  out.integer(s.keys?.last ?? 0);
  out.integer(s.keys?.step ?? 0);
  const cats = categories(s);
  out.setHeader(cats.length);
  for (const cat of cats) out.simple(cat);
  out.setHeader(0);
  out.arrayHeader(0);
  const subs = def.subcommands ?? [];
  out.arrayHeader(subs.length);
  for (const sub of subs) writeInfo(out, sub);
}

function writeArgs(out: ReplyWriter, args: readonly ArgSpec[]): void {
  out.arrayHeader(args.length);
  for (const arg of args) {
    const flags = [...(arg.optional ? ['optional'] : []), ...(arg.multiple ? ['multiple'] : [])];
    const entries = 2 + (arg.token ? 1 : 0) + (flags.length ? 1 : 0) + (arg.arguments ? 1 : 0);
    out.mapHeader(entries);
    out.bulkString('name');
    out.bulkString(arg.name);
    out.bulkString('type');
    out.bulkString(arg.type);
    if (arg.token) {
      out.bulkString('token');
      out.bulkString(arg.token);
    }
    if (flags.length) {
      out.bulkString('flags');
      out.arrayHeader(flags.length);
      for (const f of flags) out.simple(f);
    }
    if (arg.arguments) {
      out.bulkString('arguments');
      writeArgs(out, arg.arguments);
    }
  }
}

function writeDocs(out: ReplyWriter, def: CommandDef): void {
  const s = def.spec;
  const subs = def.subcommands ?? [];
  out.mapHeader(4 + (s.arguments.length ? 1 : 0) + (subs.length ? 1 : 0));
  out.bulkString('summary');
  out.bulkString(s.summary);
  out.bulkString('since');
  out.bulkString(s.since);
  out.bulkString('group');
  out.bulkString(s.group);
  out.bulkString('complexity');
  out.bulkString(s.complexity);
  if (s.arguments.length) {
    out.bulkString('arguments');
    writeArgs(out, s.arguments);
  }
  if (subs.length) {
    out.bulkString('subcommands');
    out.mapHeader(subs.length);
    for (const sub of subs) {
      out.bulkString(sub.spec.name);
      writeDocs(out, sub);
    }
  }
}

function namesFrom(c: Client, first: number): string[] {
  const names: string[] = [];
  for (let i = first; i < c.args.argc; i++) names.push(c.args.argString(i).toLowerCase());
  return names;
}

const COUNT = command(
  {
    ...base,
    name: 'command|count',
    summary: 'Returns the number of commands.',
    since: '2.8.13',
    complexity: 'O(1)',
    arity: 2,
    flags: ['loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Integer: the number of commands.', resp3: 'Integer: the number of commands.' },
    example: ['> COMMAND COUNT', '(integer) 31'],
  },
  (c) => c.out.integer(c.server.table.size),
);

const INFO = command(
  {
    ...base,
    name: 'command|info',
    summary: 'Returns information about commands (all of them when none is named).',
    since: '2.8.13',
    complexity: 'O(N) where N is the number of commands to look up',
    arity: -2,
    flags: ['loading', 'stale'],
    arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Array: per command, its details, or a null array for an unknown name.',
      resp3: 'Array: per command, its details, or null for an unknown name.',
    },
    example: ['> COMMAND INFO get', '1) 1) "get"', '   2) (integer) 2', '   ...'],
  },
  (c) => {
    const names = namesFrom(c, 2);
    const defs = names.length ? names.map((n) => c.server.table.get(n)) : c.server.table.all;
    c.out.arrayHeader(defs.length);
    for (const def of defs) {
      if (def === undefined) c.out.nullArray();
      else writeInfo(c.out, def);
    }
  },
);

const DOCS = command(
  {
    ...base,
    name: 'command|docs',
    summary: 'Returns documentation about commands (all of them when none is named).',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of commands to look up',
    arity: -2,
    flags: ['loading', 'stale'],
    arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Array of alternating command names and their documentation (each a flat array of fields).',
      resp3: 'Map of command names to their documentation maps.',
    },
    example: [
      '> COMMAND DOCS get',
      '1) "get"',
      '2) 1) "summary"',
      '   2) "Returns the string value of a key."',
      '   ...',
    ],
  },
  (c) => {
    const names = namesFrom(c, 2);
    const defs = (names.length ? names.map((n) => c.server.table.get(n)) : c.server.table.all).filter(
      (d): d is CommandDef => d !== undefined,
    );
    c.out.mapHeader(defs.length);
    for (const def of defs) {
      c.out.bulkString(def.spec.name);
      writeDocs(c.out, def);
    }
  },
);

const LIST = command(
  {
    ...base,
    name: 'command|list',
    summary: 'Returns the names of the commands, optionally filtered.',
    since: '7.0.0',
    complexity: 'O(N) where N is the total number of commands',
    arity: -2,
    flags: ['loading', 'stale'],
    arguments: [
      {
        name: 'filterby',
        type: 'oneof',
        token: 'FILTERBY',
        optional: true,
        arguments: [
          { name: 'module-name', type: 'string', token: 'MODULE' },
          { name: 'category', type: 'string', token: 'ACLCAT' },
          { name: 'pattern', type: 'pattern', token: 'PATTERN' },
        ],
      },
    ],
    reply: { resp2: 'Array of command names.', resp3: 'Array of command names.' },
    errors: ['syntax'],
    example: ['> COMMAND LIST FILTERBY PATTERN get*', '1) "get"'],
  },
  (c) => {
    const a = c.args;
    let names = c.server.table.all.map((d) => d.spec.name);
    if (a.argc === 5 && isToken(c, 2, 'filterby')) {
      const value = a.argString(4).toLowerCase();
      if (isToken(c, 3, 'module')) names = [];
      else if (isToken(c, 3, 'aclcat')) {
        names = c.server.table.all
          .filter((d) => categories(d.spec).includes(`@${value}`))
          .map((d) => d.spec.name);
      } else if (isToken(c, 3, 'pattern')) {
        const pattern = Buffer.from(value, 'latin1');
        names = names.filter((n) => globMatch(pattern, Buffer.from(n, 'latin1')));
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    } else if (a.argc !== 2) {
      c.out.error(errorReply('syntax'));
      return;
    }
    c.out.arrayHeader(names.length);
    for (const n of names) c.out.bulkString(n);
  },
);

const HELP_LINES = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  'HELP',
  '    Print this help.',
];

const HELP = helpSubcommand('command', 'server', HELP_LINES);

export const COMMAND = command(
  {
    ...base,
    name: 'command',
    summary: 'Returns details about all commands.',
    since: '2.8.13',
    complexity: 'O(N) where N is the total number of commands',
    arity: -1,
    flags: ['loading', 'stale'],
    arguments: [],
    reply: {
      resp2: 'Array of command details (see COMMAND INFO).',
      resp3: 'Array of command details (see COMMAND INFO).',
    },
    example: ['> COMMAND', '1) 1) "append"', '   ...'],
  },
  (c) => {
    c.out.arrayHeader(c.server.table.all.length);
    for (const def of c.server.table.all) writeInfo(c.out, def);
  },
  [COUNT, DOCS, HELP, INFO, LIST],
);
