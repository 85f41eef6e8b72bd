import type { ReplyWriter } from '@sluice/protocol';
import { errorReply } from '../../../errors.js';
import { commandInfo, reportedFlags } from '../../command-info.js';
import type { CommandContext } from '../../context.js';
import { findKeys, hasKeys } from '../../key-specs.js';
import type {
  ArgSpec,
  BeginSearch,
  CommandDef,
  CommandSpec,
  FindKeys,
  KeySpec,
  KeySpecFlag,
} from '../../spec.js';

export const base = { group: 'server', errors: [] } as const satisfies Partial<CommandSpec>;

/** One COMMAND INFO entry: name, arity, flags, first key, last key, step, categories, tips, key specs, subcommands. */
export function writeInfo(out: ReplyWriter, def: CommandDef): void {
  const s = def.spec;
  const info = commandInfo(s);
  out.arrayHeader(10);
  out.bulkString(s.name);
  out.integer(s.arity);
  const flags = reportedFlags(s);
  out.setHeader(flags.length);
  for (const f of flags) out.simple(f);
  out.integer(s.keys?.first ?? 0);
  out.integer(s.keys?.last ?? 0);
  out.integer(s.keys?.step ?? 0);
  out.setHeader(info.categories.length);
  for (const cat of info.categories) out.simple(cat);
  out.setHeader(info.tips.length);
  for (const tip of info.tips) out.bulkString(tip);
  // redis-server 7.0 answers the key specifications as a set of maps.
  out.setHeader(info.keySpecs.length);
  for (const k of info.keySpecs) writeKeySpec(out, k);
  // … and no subcommands as an empty set, but subcommands as an array.
  const subs = def.subcommands ?? [];
  if (subs.length === 0) out.setHeader(0);
  else out.arrayHeader(subs.length);
  for (const sub of subs) writeInfo(out, sub);
}

/** A set of key specification flags (or of a key's flags, for GETKEYSANDFLAGS), as simple strings. */
export function writeKeyFlags(out: ReplyWriter, flags: readonly KeySpecFlag[]): void {
  out.setHeader(flags.length);
  for (const f of flags) out.simple(f);
}

function writeKeySpec(out: ReplyWriter, k: KeySpec): void {
  out.mapHeader(k.notes === undefined ? 3 : 4);
  if (k.notes !== undefined) {
    out.bulkString('notes');
    out.bulkString(k.notes);
  }
  out.bulkString('flags');
  writeKeyFlags(out, k.flags);
  out.bulkString('begin_search');
  writeSearchSpec(out, k.beginSearch);
  out.bulkString('find_keys');
  writeSearchSpec(out, k.findKeys);
}

/** `{type, spec: {…}}`: the spec's fields are the rest of the object's, in their order. */
function writeSearchSpec(out: ReplyWriter, search: BeginSearch | FindKeys): void {
  const { type, ...fields } = search;
  const entries = Object.entries(fields) as [string, string | number][];
  out.mapHeader(2);
  out.bulkString('type');
  out.bulkString(type);
  out.bulkString('spec');
  out.mapHeader(entries.length);
  for (const [name, value] of entries) {
    out.bulkString(name);
    if (typeof value === 'number') out.integer(value);
    else out.bulkString(value);
  }
}

/**
 * COMMAND GETKEYS and GETKEYSANDFLAGS: the keys of the command given from argument 2 on, found as
 * redis-server 7.0 finds them (key-specs.ts), with their flags when `withFlags`.
 */
export function writeKeys(c: CommandContext, withFlags: boolean): void {
  const a = c.args;
  const argv: Buffer[] = [];
  for (let i = 2; i < a.argc; i++) argv.push(a.arg(i));
  const def = lookup(c, argv);
  if (def === undefined) {
    c.out.error(errorReply('getKeysInvalidCommand'));
    return;
  }
  const s = def.spec;
  const specs = commandInfo(s).keySpecs;
  if (!hasKeys(s, specs)) {
    c.out.error(errorReply('getKeysNoKeys'));
    return;
  }
  if ((s.arity > 0 && s.arity !== argv.length) || argv.length < -s.arity) {
    c.out.error(errorReply('getKeysArity'));
    return;
  }
  const keys = findKeys(s, specs, argv);
  if (keys.length === 0) {
    if (s.flags.includes('no_mandatory_keys')) c.out.arrayHeader(0);
    else c.out.error(errorReply('getKeysInvalidArguments'));
    return;
  }
  c.out.arrayHeader(keys.length);
  for (const key of keys) {
    if (withFlags) c.out.arrayHeader(2);
    c.out.bulk(argv[key.index] as Buffer);
    if (withFlags) writeKeyFlags(c.out, key.flags);
  }
}

/** The command `argv` calls, looked up as redis-server does: a container's subcommand by argument 1. */
function lookup(c: CommandContext, argv: readonly Buffer[]): CommandDef | undefined {
  const name = (argv[0] as Buffer).toString('latin1').toLowerCase();
  // A full subcommand name (`config|get`) is not a command name.
  if (name.includes('|')) return undefined;
  const def = c.server.commands.get(name);
  const sub = argv[1]?.toString('latin1').toLowerCase();
  if (def?.subcommands === undefined || sub === undefined) return def;
  return sub.includes('|') ? undefined : c.server.commands.get(`${name}|${sub}`);
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

export function writeDocs(out: ReplyWriter, def: CommandDef): void {
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

/** The lowercase command names from argument `first` on. */
export function namesFrom(c: CommandContext, first: number): string[] {
  const names: string[] = [];
  for (let i = first; i < c.args.argc; i++) names.push(c.args.argString(i).toLowerCase());
  return names;
}
