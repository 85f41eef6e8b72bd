import type { Args } from '@sluice/protocol';
import { commandInfo } from './command-info.js';
import { hasMovableKeys, legacyKeyRange } from './key-specs.js';
import type { CommandDef } from './spec.js';

const MAX_NAME = 64;

/** Case-insensitive hash of a command name's bytes (ASCII letters folded to lowercase). */
function nameHash(buf: Uint8Array, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) {
    let c = buf[i] as number;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return h;
}

interface Entry {
  readonly def: CommandDef;
  readonly name: Buffer;
}

/**
 * The command table: looks commands up by the bytes of their name without allocating, and checks at
 * start-up that every spec is complete and consistent.
 */
export class CommandTable {
  readonly all: readonly CommandDef[];
  private readonly byHash = new Map<number, Entry[]>();
  private readonly byName = new Map<string, CommandDef>();
  /** Container commands' subcommands, each with the bytes of its name after `container|`. */
  private readonly subcommands = new Map<CommandDef, Entry[]>();

  constructor(defs: readonly CommandDef[]) {
    this.all = [...defs].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
    for (const def of this.all) {
      validate(def);
      const name = Buffer.from(def.spec.name, 'latin1');
      const h = nameHash(name, 0, name.length);
      const list = this.byHash.get(h) ?? [];
      list.push({ def, name });
      this.byHash.set(h, list);
      this.byName.set(def.spec.name, def);
      if (def.subcommands !== undefined) {
        const prefix = def.spec.name.length + 1;
        const subs = def.subcommands.map((sub) => ({
          def: sub,
          name: Buffer.from(sub.spec.name.slice(prefix)),
        }));
        this.subcommands.set(def, subs);
      }
    }
  }

  /** The command named by argument 0 of the decoder's current command. */
  lookup(args: Args): CommandDef | undefined {
    return this.lookupArg(args, 0);
  }

  lookupArg(args: Args, i: number): CommandDef | undefined {
    const start = args.argStart(i);
    const end = args.argEnd(i);
    if (end - start > MAX_NAME) return undefined;
    const list = this.byHash.get(nameHash(args.buffer, start, end));
    if (list === undefined) return undefined;
    for (const e of list) if (args.argEqualsIgnoreCase(i, e.name)) return e.def;
    return undefined;
  }

  /** The subcommand of container `def` named by argument 1, or undefined. */
  lookupSubcommand(def: CommandDef, args: Args): CommandDef | undefined {
    const subs = this.subcommands.get(def);
    if (subs !== undefined) for (const e of subs) if (args.argEqualsIgnoreCase(1, e.name)) return e.def;
    return undefined;
  }

  /** By lowercase name, `container|sub` for subcommands. */
  get(name: string): CommandDef | undefined {
    const [parent, sub] = name.toLowerCase().split('|');
    const def = this.byName.get(parent as string);
    if (sub === undefined || def === undefined) return def;
    return def.subcommands?.find((s) => s.spec.name === `${parent}|${sub}`);
  }

  get size(): number {
    return this.all.length;
  }
}

/**
 * Arity holds every argument the spec declares, key positions agree with the key specifications, and
 * every spec carries its documentation.
 */
function validate(def: CommandDef, parent?: CommandDef): void {
  const s = def.spec;
  const where = `command table: '${s.name}'`;
  if (s.name !== s.name.toLowerCase()) throw new Error(`${where}: name must be lowercase`);
  if (parent && !s.name.startsWith(`${parent.spec.name}|`))
    throw new Error(`${where}: subcommand name must be 'parent|sub'`);
  if (!parent && s.name.includes('|')) throw new Error(`${where}: only subcommands have '|'`);
  if (s.arity === 0) throw new Error(`${where}: arity 0`);
  if (!s.summary || !s.since || !s.complexity)
    throw new Error(`${where}: summary, since and complexity are required`);
  if (!s.reply.resp2 || !s.reply.resp3) throw new Error(`${where}: reply description missing`);
  if (s.example.length === 0) throw new Error(`${where}: example missing`);
  if (s.flags.includes('write') && s.flags.includes('readonly')) {
    throw new Error(`${where}: a command is not both write and readonly`);
  }
  // COMMAND INFO's first/last/step and movablekeys come from the spec; the key specifications
  // (redis-server's, command-info.ts) must say the same.
  const keySpecs = commandInfo(s).keySpecs;
  // Positions whose specs are all `not_key` (SPUBLISH's shard channel: a name hashed to a slot, not a
  // key) come with a plain string argument.
  const keyPositions = s.keys !== undefined && !keySpecs.every((k) => k.flags.includes('not_key'));
  const hasKeyArg = JSON.stringify(s.arguments).includes('"type":"key"');
  if (hasKeyArg !== (keyPositions || s.flags.includes('movablekeys')))
    throw new Error(`${where}: key arguments and key positions disagree`);
  const range = legacyKeyRange(keySpecs);
  const k = s.keys;
  const agree =
    range === undefined
      ? k === undefined
      : k !== undefined && k.first === range.first && k.last === range.last && k.step === range.step;
  if (!agree) throw new Error(`${where}: key positions disagree with the key specifications`);
  if (hasMovableKeys(keySpecs) !== s.flags.includes('movablekeys'))
    throw new Error(`${where}: the movablekeys flag disagrees with the key specifications`);
  if (def.subcommands) {
    for (const sub of def.subcommands) validate(sub, def);
  }
}
