import type { ReplyWriter } from '@sluice/protocol';
import type { CommandContext } from '../../context.js';
import type { ArgSpec, CommandDef, CommandSpec } from '../../spec.js';

export const base = { group: 'server', errors: [] } as const satisfies Partial<CommandSpec>;

/** ACL categories derived from the group and flags, as redis-server assigns them. */
export function categories(s: CommandSpec): string[] {
  const out: string[] = [];
  if (s.flags.includes('write')) out.push('@write');
  if (s.flags.includes('readonly')) out.push('@read');
  out.push(`@${s.group === 'generic' ? 'keyspace' : s.group}`);
  if (s.flags.includes('admin')) out.push('@admin', '@dangerous');
  out.push(s.flags.includes('fast') ? '@fast' : '@slow');
  return out;
}

/** One COMMAND INFO entry: name, arity, flags, first key, last key, step, categories, tips, key specs, subcommands. */
export function writeInfo(out: ReplyWriter, def: CommandDef): void {
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
