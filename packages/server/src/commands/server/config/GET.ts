import {
  type Config,
  findSetting,
  formatSettingValue,
  SETTINGS,
  type SettingSpec,
  type SettingValue,
} from '../../../config/index.js';
import { globMatch } from '../../../keyspace/glob.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CONFIG_GET = command(
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
    // By name: the name to answer (an exact name as it was sent, else the setting's or its alias) and its value. As
    // in redis-server, a name already answered is not answered again, whatever its case.
    // Keyed by the name (an alias is listed on its own, as redis-server 7 lists `lua-time-limit`).
    const found = new Map<string, [string, string]>();
    const value = (s: SettingSpec) =>
      formatSettingValue(s.name, c.server.config[s.name as keyof Config] as SettingValue);
    for (let i = 2; i < a.argc; i++) {
      const asSent = a.argString(i);
      // Without *, ? or [ a name is looked up as it is (a backslash makes no pattern), as redis-server does.
      if (!/[*?[]/.test(asSent)) {
        const exact = findSetting(asSent);
        const key = asSent.toLowerCase();
        if (exact !== undefined && !exact.sensitive && !found.has(key))
          found.set(key, [asSent, value(exact)]);
        continue;
      }
      const pattern = Buffer.from(asSent, 'latin1');
      for (const s of SETTINGS as readonly SettingSpec[]) {
        if (s.sensitive) continue;
        for (const name of s.alias === undefined ? [s.name] : [s.name, s.alias]) {
          if (found.has(name)) continue;
          if (globMatch(pattern, Buffer.from(name, 'latin1'), true)) found.set(name, [name, value(s)]);
        }
      }
    }
    c.out.mapHeader(found.size);
    for (const [name, value] of found.values()) {
      c.out.bulkString(name);
      c.out.bulkString(value);
    }
  },
);
