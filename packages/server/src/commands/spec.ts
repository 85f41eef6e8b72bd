import type { ErrorName } from '../errors.js';
import type { CommandContext } from './context.js';

/** Redis's command groups, as COMMAND DOCS reports them and as the docs site groups its pages. */
export type CommandGroup =
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'hash'
  | 'set'
  | 'list'
  | 'sorted_set'
  | 'stream'
  | 'geo'
  | 'generic'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'transactions'
  | 'pubsub'
  | 'cluster'
  | 'sluice';

/** Redis's command flags (COMMAND INFO). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_multi'
  | 'allow_busy'
  | 'no_mandatory_keys'
  /** Where the keys are depends on the arguments (EVAL's numkeys): no fixed key positions. */
  | 'movablekeys';

export type ArgType =
  | 'string'
  | 'integer'
  | 'double'
  | 'key'
  | 'pattern'
  | 'unix-time'
  | 'pure-token'
  | 'oneof'
  | 'block';

/** One argument as COMMAND DOCS describes it. */
export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  /** The literal word before the value (`EX` in `EX seconds`), or the word itself for pure tokens. */
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  /** Alternatives (`oneof`) or parts (`block`). */
  readonly arguments?: readonly ArgSpec[];
}

/** The flags of a key specification, in the order COMMAND INFO lists them. */
export const KEY_SPEC_FLAGS = [
  'RO',
  'RW',
  'OW',
  'RM',
  'access',
  'update',
  'insert',
  'delete',
  'not_key',
  'incomplete',
  'variable_flags',
] as const;

export type KeySpecFlag = (typeof KEY_SPEC_FLAGS)[number];

/** Where a key specification starts looking: at an argument index, or after a keyword. */
export type BeginSearch =
  | { readonly type: 'index'; readonly index: number }
  /** The keyword is searched from argument `startfrom` on (from the end when negative). */
  | { readonly type: 'keyword'; readonly keyword: string; readonly startfrom: number }
  | { readonly type: 'unknown' };

/** How a key specification finds its keys from where it starts. */
export type FindKeys =
  /** `lastkey` relative to the start (negative: from the end); `limit` > 1: only the first 1/limit of what is left. */
  | { readonly type: 'range'; readonly lastkey: number; readonly keystep: number; readonly limit: number }
  /** The number of keys is the argument at `keynumidx` (relative to the start); the keys start at `firstkey`. */
  | {
      readonly type: 'keynum';
      readonly keynumidx: number;
      readonly firstkey: number;
      readonly keystep: number;
    }
  | { readonly type: 'unknown' };

/** A key specification, as redis-server 7 describes where a command's keys are and how it uses them. */
export interface KeySpec {
  readonly notes?: string;
  readonly flags: readonly KeySpecFlag[];
  readonly beginSearch: BeginSearch;
  readonly findKeys: FindKeys;
}

/**
 * What COMMAND INFO tells of a command beyond its spec: ACL categories (`@read`, …), tips
 * (`nondeterministic_output`, `request_policy:all_shards`, …) and key specifications, all in redis-server's
 * order. Taken from redis-server (redis-command-info.generated.ts); see command-info.ts.
 */
export interface CommandInfo {
  readonly categories: readonly string[];
  readonly tips: readonly string[];
  readonly keySpecs: readonly KeySpec[];
}

/** A command's metadata, as data: dispatch, COMMAND INFO/DOCS and the docs site all read it. */
export interface CommandSpec {
  /** Lowercase; a subcommand is named `container|sub` (`client|setname`). */
  readonly name: string;
  readonly group: CommandGroup;
  readonly summary: string;
  /** The Redis version that introduced the command. */
  readonly since: string;
  readonly complexity: string;
  /** Number of arguments including the name; negative: at least that many. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /**
   * Key positions (first, last, step); last -1 means the last argument. Absent: no keys. The command
   * table checks they are what redis-server derives from the command's key specifications.
   */
  readonly keys?: { readonly first: number; readonly last: number; readonly step: number };
  readonly arguments: readonly ArgSpec[];
  /** What the reply is, in words, per protocol. */
  readonly reply: { readonly resp2: string; readonly resp3: string };
  /** Error replies this command can give beyond the generic ones (arity, NOAUTH). */
  readonly errors: readonly ErrorName[];
  /** A short redis-cli session: lines starting with `> ` are commands, the rest replies. */
  readonly example: readonly string[];
  /**
   * Sluice: reads the whole keyspace from LMDB, so the writes executed before it are committed first
   * (KEYS, SCAN, DBSIZE, …).
   */
  readonly barrier?: boolean;
}

/** A command's code: it reads its arguments from the context and writes its reply there. */
export type Handler = (c: CommandContext) => void;

/** Counters for INFO commandstats (the only mutable part of a command definition). */
export interface CommandStats {
  calls: number;
  /** Microseconds spent running the command. */
  usec: number;
  /** Refused before running (arity, NOAUTH, unknown subcommand). */
  rejected: number;
  /** Ran and replied with an error. */
  failed: number;
}

export interface CommandDef {
  readonly spec: CommandSpec;
  readonly run: Handler;
  /** For container commands (CLIENT, CONFIG, COMMAND): their subcommands. */
  readonly subcommands: readonly CommandDef[] | undefined;
  readonly stats: CommandStats;
  /** Has the `write` flag: CLIENT PAUSE WRITE holds it back. */
  readonly writes: boolean;
}

export function command(spec: CommandSpec, run: Handler, subcommands?: readonly CommandDef[]): CommandDef {
  const stats = { calls: 0, usec: 0, rejected: 0, failed: 0 };
  // One object shape for every command, so that the server's hot path stays monomorphic.
  return { spec, run, subcommands, stats, writes: spec.flags.includes('write') };
}

/**
 * The argument indexes of a command's keys, from its spec's key positions (`first`, `last`, `step`;
 * a negative `last` counts from the end).
 */
export function keyIndexes(spec: CommandSpec, argc: number): number[] {
  const keys = spec.keys;
  if (keys === undefined) return [];
  const last = keys.last < 0 ? argc + keys.last : keys.last;
  const out: number[] = [];
  for (let i = keys.first; i <= last && i < argc; i += keys.step) out.push(i);
  return out;
}
