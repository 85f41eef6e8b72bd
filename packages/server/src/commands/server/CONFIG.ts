import type { Client } from '../../client.js';
import {
  type Config,
  ConfigError,
  findSetting,
  formatSettingValue,
  SETTINGS,
  type SettingSpec,
  type SettingValue,
  validateSetting,
} from '../../config/index.js';
import { errorReply } from '../../errors.js';
import { globMatch } from '../../keyspace/glob.js';
import { helpSubcommand } from '../_help.js';
import { type CommandSpec, command } from '../spec.js';

const base = { group: 'server', errors: [] } as const satisfies Partial<CommandSpec>;

const GET = command(
  {
    ...base,
    name: 'config|get',
    summary: 'Returns the values of the settings that match the patterns.',
    since: '2.0.0',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    arity: -3,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [{ name: 'parameter', type: 'string', multiple: true }],
    reply: {
      resp2: 'Array of alternating setting names and values. Passwords are never shown.',
      resp3: 'Map of setting names to values. Passwords are never shown.',
    },
    example: ['> CONFIG GET appendfsync', '1) "appendfsync"', '2) "everysec"'],
  },
  (c) => {
    const a = c.args;
    const found = new Map<string, string>();
    const value = (s: SettingSpec) =>
      formatSettingValue(s.name, c.server.config[s.name as keyof Config] as SettingValue);
    for (let i = 2; i < a.argc; i++) {
      const asSent = a.argString(i);
      const exact = findSetting(asSent);
      if (!/[*?[\\]/.test(asSent) && exact !== undefined) {
        // An exact name comes back as it was sent, as redis-server does it.
        if (!exact.sensitive) found.set(asSent, value(exact));
        continue;
      }
      const pattern = Buffer.from(asSent, 'latin1');
      for (const s of SETTINGS as readonly SettingSpec[]) {
        if (s.sensitive || found.has(s.name)) continue;
        if (globMatch(pattern, Buffer.from(s.name, 'latin1'), true)) found.set(s.name, value(s));
      }
    }
    c.out.mapHeader(found.size);
    for (const [name, value] of found) {
      c.out.bulkString(name);
      c.out.bulkString(value);
    }
  },
);

const SET = command(
  {
    ...base,
    name: 'config|set',
    summary: 'Changes settings while the server runs; all or none of the pairs are applied.',
    since: '2.0.0',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    arity: -4,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [
      {
        name: 'data',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'parameter', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['configUnknown', 'configImmutable', 'configInvalid', 'wrongArity'],
    example: ['> CONFIG SET maxclients 5000', 'OK'],
  },
  (c) => {
    const a = c.args;
    if ((a.argc - 2) % 2 !== 0) {
      c.out.error(errorReply('wrongArity', 'config|set'));
      return;
    }
    const changes: [string, SettingValue][] = [];
    for (let i = 2; i < a.argc; i += 2) {
      const name = a.argString(i).toLowerCase();
      const spec = findSetting(name);
      if (spec === undefined) {
        c.out.error(errorReply('configUnknown', a.argString(i)));
        return;
      }
      if (!spec.live) {
        c.out.error(errorReply('configImmutable', spec.name));
        return;
      }
      try {
        changes.push([spec.name, validateSetting(spec.name, [a.argString(i + 1)])]);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        c.out.error(errorReply('configInvalid', spec.name, err.problem));
        return;
      }
    }
    for (const [name, value] of changes) applySetting(c, name, value);
    c.out.ok();
  },
);

/** Makes a live setting take effect. */
function applySetting(c: Client, name: string, value: SettingValue): void {
  const server = c.server;
  (server.config as Record<string, SettingValue>)[name] = value;
  if (name === 'appendfsync') server.keyspace.durability = value as Config['appendfsync'];
  if (name === 'loglevel') server.setLogLevel(value as Config['loglevel']);
  if (name === 'proto-max-bulk-len') {
    for (const k of server.clients.values()) k.decoder.maxBulkLength = value as number;
  }
}

const RESETSTAT = command(
  {
    ...base,
    name: 'config|resetstat',
    summary: 'Resets the statistics that INFO reports.',
    since: '2.0.0',
    complexity: 'O(1)',
    arity: 2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> CONFIG RESETSTAT', 'OK'],
  },
  (c) => {
    c.server.resetStats();
    c.out.ok();
  },
);

const HELP_LINES = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'HELP',
  '    Print this help.',
];

const HELP = helpSubcommand('config', 'server', HELP_LINES);

export const CONFIG = command({
  ...base,
  name: 'config',
  summary: 'A container for server configuration commands.',
  since: '2.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  example: ['> CONFIG GET port', '1) "port"', '2) "6379"'],
}, () => {}, [GET, HELP, RESETSTAT, SET]);
