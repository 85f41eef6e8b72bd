/**
 * Reading the settings: `--name value` (or `--name=value`) on the command line, else `SLUICE_BRIDGE_NAME`
 * in the environment, else the default. Every problem is collected, so one failed start names them all.
 */

import { type KafkaSecurity, securityProblems } from '../kafka/security.js';
import {
  ENV_PREFIX,
  envName,
  findSetting,
  type IntegerSpec,
  SETTINGS,
  type Setting,
  type SettingName,
  type SettingSpec,
} from './settings.js';

type ValueOf<S> = S extends { type: 'integer' }
  ? number
  : S extends { type: 'brokers' }
    ? string[]
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : string;

/** Settings that may be left unset: not required, no default, no computed default. */
type Unset<S> = S extends { required: true }
  ? never
  : S extends { default: unknown }
    ? never
    : S extends { defaultText: string }
      ? never
      : S;

/** Every setting's value; a setting with neither a default nor `required` may be `undefined` (off). */
export type Config = {
  [S in Setting as S['name']]: S extends Unset<S> ? ValueOf<S> | undefined : ValueOf<S>;
};

/** One or more settings are missing or invalid; `problems` has one line per setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export interface ParsedArgs {
  /** `--name` → raw value, for the names given. */
  values: Map<string, string>;
  help: boolean;
  version: boolean;
  problems: string[];
}

/** Split the command line into `--name value` pairs; unknown names and missing values are problems. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const problems: string[] = [];
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version' || arg === '-v') {
      version = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}: settings are given as --name value`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).toLowerCase();
    const spec = findSetting(name);
    if (spec === undefined) {
      problems.push(`--${name}: unknown setting${suggest(name)}`);
      if (eq < 0 && i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) i++;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) {
      problems.push(`${label(spec)}: a value is required`);
      continue;
    }
    values.set(name, value);
  }
  return { values, help, version, problems };
}

/**
 * The configuration from the command line and the environment. Throws `ConfigError` naming every missing
 * or invalid setting. `hostname` fills in the default group id.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  hostname: string,
): Config {
  const args = parseArgs(argv);
  const problems = [...args.problems];
  const result: Record<string, unknown> = {};
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const fromArgs = args.values.get(spec.name);
    const fromEnv = env[envName(spec.name)];
    const raw = fromArgs ?? fromEnv;
    if (raw === undefined) {
      if (spec.required) problems.push(`${label(spec)} is required`);
      else if ('default' in spec) result[spec.name] = spec.default;
      continue;
    }
    const where = fromArgs === undefined ? envName(spec.name) : `--${spec.name}`;
    const checked = validate(spec, raw);
    if (typeof checked === 'object' && checked !== null && 'problem' in checked) {
      const shown = spec.sensitive ? '' : ` ${JSON.stringify(raw)}`;
      problems.push(`${where}${shown}: ${checked.problem}`);
    } else {
      result[spec.name] = checked;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = result as Config;
  config['group-id'] ??= `sluice-bridge.${config.topic}.${hostname}`;
  const conflicts = securityProblems(securityOf(config));
  if (config['retry-max-ms'] < config['retry-initial-ms']) {
    conflicts.push(
      `--retry-max-ms (${config['retry-max-ms']}) must not be below --retry-initial-ms (${config['retry-initial-ms']})`,
    );
  }
  if (conflicts.length > 0) throw new ConfigError(conflicts);
  return config;
}

/** The Kafka security settings of a configuration. */
export function securityOf(config: Config): KafkaSecurity {
  return {
    tls: config['kafka-tls'] === 'yes',
    tlsCaFile: config['kafka-tls-ca-file'],
    tlsCertFile: config['kafka-tls-cert-file'],
    tlsKeyFile: config['kafka-tls-key-file'],
    saslMechanism: config['kafka-sasl-mechanism'],
    saslUsername: config['kafka-sasl-username'],
    saslPassword: config['kafka-sasl-password'],
  };
}

/** `SLUICE_BRIDGE_*` variables that name no setting (probably typos), for a warning at start. */
export function unknownEnvNames(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set(SETTINGS.map((s) => envName(s.name)));
  return Object.keys(env).filter((key) => key.startsWith(ENV_PREFIX) && !known.has(key));
}

type Checked = { problem: string } | string | number | string[];

/** Check and convert one raw value; the value as `Config` holds it, or the problem. */
export function validate(spec: SettingSpec, raw: string): Checked {
  switch (spec.type) {
    case 'integer':
      return integer(spec, raw);
    case 'string':
      return raw === '' && !spec.allowEmpty ? { problem: 'must not be empty' } : raw;
    case 'enum': {
      const value = raw.toLowerCase();
      return spec.values.includes(value) ? value : { problem: `must be one of ${spec.values.join(', ')}` };
    }
    case 'brokers':
      return brokers(raw);
    case 'topic':
      return topic(raw);
    case 'url':
      return targetUrl(raw);
  }
}

function integer(spec: IntegerSpec, raw: string): Checked {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return { problem: 'must be an integer' };
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    return { problem: `must be between ${spec.min} and ${spec.max}` };
  }
  return value;
}

function brokers(raw: string): Checked {
  const list = raw
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (list.length === 0) return { problem: 'must name at least one broker as host:port' };
  for (const broker of list) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(broker);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65_535) {
      return { problem: `${JSON.stringify(broker)} is not host:port` };
    }
  }
  return list;
}

const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

function topic(raw: string): Checked {
  if (!TOPIC.test(raw) || raw === '.' || raw === '..') {
    return { problem: 'is not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)' };
  }
  return raw;
}

function targetUrl(raw: string): Checked {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not a URL like redis://127.0.0.1:6379' };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return { problem: `must start with redis:// or rediss:// (not ${url.protocol}//)` };
  }
  if (url.hostname === '') return { problem: 'has no host' };
  if (url.search !== '' || url.hash !== '') return { problem: 'must not have a query or a fragment' };
  if (!/^(\/(\d+)?)?$/.test(url.pathname)) {
    return { problem: 'the path must be empty or a database number, like /0' };
  }
  return raw;
}

/** `--http-port (SLUICE_BRIDGE_HTTP_PORT)` */
function label(spec: SettingSpec): string {
  return `--${spec.name} (${envName(spec.name)})`;
}

/** ` (did you mean --x?)` for a name one edit away from a known one, else ''. */
function suggest(name: string): string {
  const near = SETTINGS.map((s) => s.name as string).find((known) => distance(known, name) <= 2);
  return near === undefined ? '' : ` (did you mean --${near}?)`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The names of every setting, for tests and docs. */
export const SETTING_NAMES: readonly SettingName[] = SETTINGS.map((s) => s.name);
