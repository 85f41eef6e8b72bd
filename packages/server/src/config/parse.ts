/**
 * Reading the configuration the way redis-server does: a redis.conf-style file, then `--name value`
 * options from the command line, each value checked and converted by the type its setting has in
 * `SETTINGS`. Problem texts follow redis-server's wording so that messages look familiar.
 */

import { readFileSync } from 'node:fs';
import { splitInlineArgs } from '@sluice/protocol';
import { ConfigError } from './error.js';

export { ConfigError };

import { formatKeyspaceEvents, INVALID_CLASS, parseKeyspaceEvents } from '../pubsub/notify.js';
import { checkKafkaSettings } from './kafka.js';
import {
  type BooleanSpec,
  findSetting,
  type IntegerSpec,
  type MemorySpec,
  SETTINGS,
  type SettingSpec,
} from './settings.js';

type Setting = (typeof SETTINGS)[number];

/** The name of a setting, as in redis.conf. */
export type SettingName = Setting['name'];

type ValueOf<S> = S extends { type: 'integer' | 'memory' | 'keyspace-events' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : string;

/** Every setting's value: numbers for integers and byte counts, booleans for yes/no, strings otherwise. */
export type Config = { [S in Setting as S['name']]: ValueOf<S> };

export type SettingValue = Config[SettingName];

/** A line of a config file, split into its arguments. */
export interface Directive {
  /** Lowercased, as redis-server does. */
  name: string;
  args: string[];
  /** 1-based. */
  line: number;
  file: string;
  /** The line as written, trimmed; for error messages. */
  text: string;
}

/** A `--name value…` option from the command line. */
export interface Override {
  /** Lowercased. */
  name: string;
  args: string[];
}

export interface ParsedArgs {
  configFile?: string;
  overrides: Override[];
  /** `--help` or `-h` was given. */
  help: boolean;
  /** `--version` or `-v` was given. */
  version: boolean;
}

/** How deep `include` may nest, counting the file named on the command line as depth 0. */
export const MAX_INCLUDE_DEPTH = 16;

const WRONG_ARITY = 'wrong number of arguments';
const BAD_DIRECTIVE = 'Bad directive or wrong number of arguments';

/**
 * Splits a line into arguments like redis-server's `sdssplitargs` (the same splitting as inline commands'):
 * blanks separate arguments; inside double quotes `\n \r \t \b \a`, `\xHH` and `\c` (for any other c)
 * are escapes; inside single quotes only `\'` is; a closing quote must be followed by a blank or the end
 * of the line. Returns null on unbalanced quotes. Works on the UTF-8 bytes, as Redis does; each argument
 * is decoded back as UTF-8.
 */
export function splitConfigArgs(line: string): string[] | null {
  const src = Buffer.from(line, 'utf8');
  const split = splitInlineArgs(src, 0, src.length);
  if (split === null) return null;
  const args: string[] = [];
  for (let i = 0; i < split.offsets.length; i += 2) {
    args.push(split.buffer.toString('utf8', split.offsets[i], split.offsets[i + 1]));
  }
  return args;
}

// ---------------------------------------------------------------------------------------------------------
// Checking and converting values.

function fail(spec: SettingSpec, problem: string): never {
  throw new ConfigError(problem, { setting: spec.name });
}

/** redis-server's string2ll: an optional '-', then digits without a leading zero (or just "0"). */
function parseInteger(spec: IntegerSpec, arg: string): number {
  if (!/^(?:0|-?[1-9][0-9]*)$/.test(arg)) fail(spec, "argument couldn't be parsed into an integer");
  const n = BigInt(arg);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) fail(spec, "argument couldn't be parsed into an integer");
  return checkBounds(spec, n);
}

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n ** 2n,
  mb: 1024n ** 2n,
  g: 1000n ** 3n,
  gb: 1024n ** 3n,
};

/**
 * redis-server's memtoull, then its cast to `long long`: digits (fewer than 128), then an optional unit (b,
 * k, kb, m, mb, g, gb; any case). As there, no digits at all reads as 0 (`kb` is 0 bytes); digits beyond
 * 2^64 - 1 read as 2^64 - 1 (strtoull), and the product with the unit wraps around 2^64 and is then read
 * as signed, so `99999999999999999999` is -1 and `20000000000gb` is 3028092406290448384. The bounds then
 * judge the result.
 */
function parseMemory(spec: MemorySpec, arg: string): number {
  const match = /^([0-9]*)([a-z]*)$/i.exec(arg);
  const unit = match ? MEMORY_UNITS[(match[2] as string).toLowerCase()] : undefined;
  const digits = match?.[1] ?? '';
  if (!match || unit === undefined || digits.length >= 128) fail(spec, 'argument must be a memory value');
  const read = BigInt(digits || '0');
  const saturated = read < 2n ** 64n ? read : 2n ** 64n - 1n;
  return checkBounds(spec, BigInt.asIntN(64, saturated * unit));
}

function checkBounds(spec: IntegerSpec | MemorySpec, n: bigint): number {
  if (n < BigInt(spec.min) || n > BigInt(spec.max)) {
    fail(spec, `argument must be between ${spec.min} and ${spec.max} inclusive`);
  }
  return Number(n);
}

function parseBoolean(spec: BooleanSpec, arg: string): boolean {
  const lower = arg.toLowerCase();
  if (lower !== 'yes' && lower !== 'no') fail(spec, "argument must be 'yes' or 'no'");
  const value = lower === 'yes';
  if (spec.unsupported && spec.unsupported.value === value) fail(spec, spec.unsupported.problem);
  return value;
}

/** redis-server's save: `""` clears; otherwise pairs of seconds (≥ 1) and changes (≥ 0). */
function parseSave(spec: SettingSpec, args: readonly string[]): string {
  if (args.length === 1 && args[0] === '') return '';
  if (args.length % 2 !== 0) fail(spec, 'Invalid save parameters');
  const numbers = args.map((arg, i) => {
    // strtoll with a check that it read everything: leading blanks and a sign are allowed.
    const match = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(arg);
    const n = match ? Number(match[1]) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < (i % 2 === 0 ? 1 : 0)) fail(spec, 'Invalid save parameters');
    return n;
  });
  return numbers.join(' ');
}

/** One client class's output buffer limit: bytes (0 = none) and seconds. */
export interface BufferLimit {
  readonly hard: number;
  readonly soft: number;
  readonly softSeconds: number;
}

/** client-output-buffer-limit's classes, in the order CONFIG GET lists them, by every name Redis accepts. */
const BUFFER_LIMIT_CLASSES = ['normal', 'slave', 'pubsub'] as const;
const BUFFER_LIMIT_CLASS_NAMES: Readonly<Record<string, (typeof BUFFER_LIMIT_CLASSES)[number]>> = {
  normal: 'normal',
  slave: 'slave',
  replica: 'slave',
  pubsub: 'pubsub',
};

/**
 * redis-server 7.0's client-output-buffer-limit: groups of four, `<class> <hard> <soft> <seconds>`, all
 * checked before any applies. A single argument (CONFIG SET's value) is split at every space, as
 * redis-server's sdssplitlen does (two spaces make an empty argument, and "" no argument at all). hard and
 * soft are memtoull's byte counts, unsigned (saturated at 2^64 - 1, wrapping with the unit); seconds is
 * strtoll's, taken whole and then cut to a C int, which must not be negative. The classes named replace
 * theirs in `current`; the result is normalized as CONFIG GET shows it.
 */
function parseBufferLimits(spec: SettingSpec, args: readonly string[], current: string): string {
  const split = args.length === 1 ? (args[0] === '' ? [] : (args[0] as string).split(' ')) : args;
  if (split.length % 4 !== 0) fail(spec, 'Wrong number of arguments in buffer limit configuration.');
  const values = new Map(
    BUFFER_LIMIT_CLASSES.map((cls) => [
      cls,
      new RegExp(`\\b${cls} (\\S+ \\S+ \\S+)`).exec(current)?.[1] ?? '0 0 0',
    ]),
  );
  for (let j = 0; j < split.length; j += 4) {
    const cls = BUFFER_LIMIT_CLASS_NAMES[(split[j] as string).toLowerCase()];
    if (cls === undefined) fail(spec, 'Invalid client class specified in buffer limit configuration.');
    const hard = memtoull(split[j + 1] as string);
    const soft = memtoull(split[j + 2] as string);
    const seconds = /^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(split[j + 3] as string)
      ? BigInt.asIntN(32, clampToLongLong(BigInt((split[j + 3] as string).trim())))
      : null;
    if (hard === null || soft === null || seconds === null || seconds < 0n) {
      fail(spec, 'Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    }
    values.set(cls, `${hard} ${soft} ${seconds}`);
  }
  return BUFFER_LIMIT_CLASSES.map((cls) => `${cls} ${values.get(cls)}`).join(' ');
}

/** memtoull: digits (fewer than 128) and an optional unit, as an unsigned 64-bit count; null if invalid. */
function memtoull(arg: string): bigint | null {
  const match = /^([0-9]*)([a-z]*)$/i.exec(arg);
  const unit = match ? MEMORY_UNITS[(match[2] as string).toLowerCase()] : undefined;
  const digits = match?.[1] ?? '';
  if (!match || unit === undefined || digits.length >= 128) return null;
  const read = BigInt(digits || '0');
  return BigInt.asUintN(64, (read < 2n ** 64n ? read : 2n ** 64n - 1n) * unit);
}

/** strtoll's saturation at the bounds of a long long. */
function clampToLongLong(n: bigint): bigint {
  return n > 2n ** 63n - 1n ? 2n ** 63n - 1n : n < -(2n ** 63n) ? -(2n ** 63n) : n;
}

/** A client class's limit, read from the normalized client-output-buffer-limit value. */
export function bufferLimit(config: Readonly<Config>, cls: 'normal' | 'slave' | 'pubsub'): BufferLimit {
  const match = new RegExp(`\\b${cls} (\\d+) (\\d+) (\\d+)`).exec(config['client-output-buffer-limit']);
  return {
    hard: Number(match?.[1] ?? 0),
    soft: Number(match?.[2] ?? 0),
    softSeconds: Number(match?.[3] ?? 0),
  };
}

/**
 * A setting that takes several arguments but got one (`--save "3600 1 300 100"`, `--bind "a b"`) has it
 * split again, as redis-server does, unless it is empty (`--save ""`).
 */
function resplit(spec: SettingSpec, args: readonly string[]): readonly string[] {
  const [only] = args;
  if (args.length !== 1 || only === undefined || only === '') return args;
  const split = splitConfigArgs(only);
  if (split === null) fail(spec, 'Unbalanced quotes in argument');
  return split;
}

function convert(spec: SettingSpec, args: readonly string[], current?: SettingValue): SettingValue {
  if (spec.type === 'buffer-limits') return parseBufferLimits(spec, args, String(current ?? spec.default));
  if (spec.type === 'save') return parseSave(spec, resplit(spec, args));
  if (spec.type === 'keyspace-events') {
    const [text] = args;
    if (args.length !== 1 || text === undefined) fail(spec, WRONG_ARITY);
    const flags = parseKeyspaceEvents(text);
    if (flags === null) fail(spec, INVALID_CLASS);
    return flags;
  }
  if (spec.type === 'string' && spec.multiArg) {
    const split = resplit(spec, args);
    if (split.length === 0 || (split.length === 1 && split[0] === '')) fail(spec, WRONG_ARITY);
    if (spec.maxArgs !== undefined && split.length > spec.maxArgs) {
      fail(spec, spec.tooManyArgs ?? WRONG_ARITY);
    }
    return split.join(' ');
  }
  const [arg] = args;
  if (args.length !== 1 || arg === undefined) fail(spec, WRONG_ARITY);
  switch (spec.type) {
    case 'integer':
      return parseInteger(spec, arg);
    case 'memory':
      return parseMemory(spec, arg);
    case 'boolean':
      return parseBoolean(spec, arg);
    case 'enum': {
      const lower = arg.toLowerCase();
      if (!spec.values.includes(lower)) {
        fail(spec, `argument(s) must be one of the following: ${spec.values.join(', ')}`);
      }
      return lower as SettingValue;
    }
    case 'string':
      return arg;
  }
}

/**
 * Checks `args` for setting `name` (case-insensitive) and converts them to the setting's value. Throws a
 * ConfigError whose `problem` suits CONFIG SET's error reply; an unknown name gives `unknown setting 'x'`.
 * `current` is the value now, for a setting whose value only changes part of it (client-output-buffer-limit).
 */
export function validateSetting<N extends SettingName>(
  name: N,
  args: readonly string[],
  current?: Config[N],
): Config[N];
export function validateSetting(name: string, args: readonly string[], current?: SettingValue): SettingValue;
export function validateSetting(name: string, args: readonly string[], current?: SettingValue): SettingValue {
  const spec = findSetting(name);
  if (!spec) throw new ConfigError(`unknown setting '${name}'`, { setting: name });
  return convert(spec, args, current);
}

/**
 * A value as CONFIG GET shows it: byte counts as plain numbers, booleans as yes/no, the rest as they are.
 * A number beyond 2^53 is written out in full (`3028092406290448384`, not `3028092406290448400`).
 */
export function formatSettingValue<N extends SettingName>(name: N, value: Config[N]): string;
export function formatSettingValue(name: string, value: SettingValue): string;
export function formatSettingValue(name: string, value: SettingValue): string {
  const spec = findSetting(name);
  if (!spec) throw new ConfigError(`unknown setting '${name}'`, { setting: name });
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (spec.type === 'keyspace-events') return formatKeyspaceEvents(value as number);
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  return String(value);
}

/** A fresh Config holding every setting's default. */
export function defaultConfig(): Config {
  return Object.fromEntries(SETTINGS.map((spec) => [spec.name, spec.default])) as Config;
}

// ---------------------------------------------------------------------------------------------------------
// The config file and the command line.

/** Trims like sdstrim(line, " \t\r\n"). */
function trimLine(line: string): string {
  return line.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** Arguments shown in messages, quoted when they would not read back as they are. */
function showArg(arg: string): string {
  return arg === '' || /[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg;
}

/** `text` as it may appear in a message: a sensitive setting's value is replaced. */
function redact(text: string): string {
  const words = text.split(/[ \t]+/).filter((word) => word !== '');
  const first = splitConfigArgs(text)?.[0] ?? words[0] ?? '';
  if (findSetting(first.replace(/^--/, ''))?.sensitive) return `${words[0]} (redacted)`;
  return text;
}

function fileWhere(file: string, line: number, text: string): string {
  return `config file ${file} line ${line}: '${redact(text)}'`;
}

function commandLineWhere(override: Override): string {
  return `command line '${redact([`--${override.name}`, ...override.args.map(showArg)].join(' '))}'`;
}

/**
 * Splits redis.conf-style text into directives, in order: one per line; blank lines and lines starting
 * with `#` are skipped (a `#` later in a line is an argument, as in Redis); names are lowercased.
 * Throws a ConfigError on unbalanced quotes. `include` lines are returned like any other.
 */
export function parseConfigFile(text: string, fileName: string): Directive[] {
  const directives: Directive[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = trimLine(lines[i] as string);
    if (line === '' || line.startsWith('#')) continue;
    const argv = splitConfigArgs(line);
    if (argv === null) {
      throw new ConfigError('Unbalanced quotes in configuration line', {
        where: fileWhere(fileName, i + 1, line),
      });
    }
    const [name, ...args] = argv;
    if (name === undefined) continue;
    directives.push({ name: name.toLowerCase(), args, line: i + 1, file: fileName, text: line });
  }
  return directives;
}

/**
 * Reads redis-server's command line: an optional first argument not starting with `-` names the config
 * file; then `--name value…` options, each taking the arguments up to the next one starting with `--`.
 * As in redis-server, the first value is taken whatever it looks like (`--requirepass --secret` works),
 * an option may come with its values in one argument (`"--port 6380"`), and `--save` with no value
 * means `--save ""`. `-h`/`--help` and `-v`/`--version` are reported as flags.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const result: ParsedArgs = { overrides: [], help: false, version: false };
  let j = 0;
  const first = argv[0];
  if (first === '-h' || first === '--help') return { ...result, help: true };
  if (first === '-v' || first === '--version') return { ...result, version: true };
  if (first !== undefined && !first.startsWith('-')) {
    result.configFile = first;
    j = 1;
  }

  let current: Override | undefined;
  const finish = (): void => {
    if (current === undefined || current.args.length > 0) return;
    if (current.name === 'save') {
      current.args.push('');
      return;
    }
    const problem = findSetting(current.name) ? WRONG_ARITY : `unknown setting '${current.name}'`;
    throw new ConfigError(problem, { setting: current.name, where: commandLineWhere(current) });
  };

  for (; j < argv.length; j++) {
    const arg = argv[j] as string;
    const takesValue = current !== undefined && current.args.length === 0 && current.name !== 'save';
    if (arg.startsWith('--') && !takesValue) {
      finish();
      current = undefined;
      const body = arg.slice(2);
      if (body === 'help') result.help = true;
      else if (body === 'version') result.version = true;
      else {
        const parts = splitConfigArgs(body);
        if (parts === null) {
          throw new ConfigError('Unbalanced quotes in configuration line', {
            where: `command line '${redact(arg)}'`,
          });
        }
        const [name, ...args] = parts;
        if (name === undefined) {
          throw new ConfigError('setting name missing', { where: `command line '${arg}'` });
        }
        current = { name: name.toLowerCase(), args };
        result.overrides.push(current);
      }
    } else if (current !== undefined) {
      current.args.push(arg);
    } else if (arg === '-') {
      throw new ConfigError('reading the configuration from standard input is not supported', {
        where: `command line '-'`,
      });
    } else {
      throw new ConfigError('expected an option starting with --', {
        where: `command line '${redact(arg)}'`,
      });
    }
  }
  finish();
  return result;
}

/**
 * Builds the configuration from a command line: defaults, then the config file's directives in order
 * (following `include`), then the command-line options, so the command line wins. As in redis-server,
 * `save` lines add up rather than replace each other, except that `save ""` clears the list.
 * Check `parseArgs(argv)` for `help`/`version` first; this ignores them.
 */
export function loadConfig(
  argv: readonly string[],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Config {
  const { configFile, overrides } = parseArgs(argv);
  const config = defaultConfig();
  const values = config as Record<string, SettingValue>;
  let saveSeen = false;

  const apply = (name: string, args: readonly string[], where: string): void => {
    let value: SettingValue;
    try {
      value = validateSetting(name, args, values[findSetting(name)?.name ?? name]);
    } catch (err) {
      throw err instanceof ConfigError ? err.at(where) : err;
    }
    if (name === 'save') {
      if (saveSeen && value !== '' && config.save !== '') value = `${config.save} ${value}`;
      saveSeen = true;
    }
    // Under the setting's own name, whichever name (or alias) the line used.
    values[findSetting(name)?.name ?? name] = value;
  };

  const loadFile = (path: string, depth: number, where: string | undefined): void => {
    if (depth > MAX_INCLUDE_DEPTH) {
      const problem = `include nested more than ${MAX_INCLUDE_DEPTH} deep (does a file include itself?)`;
      throw new ConfigError(problem, { where });
    }
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConfigError(`can't open config file '${path}': ${reason}`, { where });
    }
    for (const directive of parseConfigFile(text, path)) {
      const here = fileWhere(path, directive.line, directive.text);
      run(directive.name, directive.args, here, depth);
    }
  };

  const run = (name: string, args: readonly string[], where: string, depth: number): void => {
    if (name === 'include') {
      const [path] = args;
      if (args.length !== 1 || path === undefined) throw new ConfigError(BAD_DIRECTIVE, { where });
      loadFile(path, depth + 1, where);
    } else {
      apply(name, args, where);
    }
  };

  if (configFile !== undefined) loadFile(configFile, 0, undefined);
  for (const override of overrides) run(override.name, override.args, commandLineWhere(override), 0);
  checkKafkaSettings(config);
  return config;
}
