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
    // By setting: the name to answer (an exact name as it was sent, else the setting's) and its value. As
    // in redis-server, a setting already answered is not answered again, whatever the case of its name.
    const found = new Map<SettingSpec, [string, string]>();
    const value = (s: SettingSpec) =>
      formatSettingValue(s.name, c.server.config[s.name as keyof Config] as SettingValue);
    for (let i = 2; i < a.argc; i++) {
      const asSent = a.argString(i);
      // Without *, ? or [ a name is looked up as it is (a backslash makes no pattern), as redis-server does.
      if (!/[*?[]/.test(asSent)) {
        const exact = findSetting(asSent);
        if (exact !== undefined && !exact.sensitive && !found.has(exact))
          found.set(exact, [asSent, value(exact)]);
        continue;
      }
      const pattern = Buffer.from(asSent, 'latin1');
      for (const s of SETTINGS as readonly SettingSpec[]) {
        if (s.sensitive || found.has(s)) continue;
        if (globMatch(pattern, Buffer.from(s.name, 'latin1'), true)) found.set(s, [s.name, value(s)]);
      }
    }
    c.out.mapHeader(found.size);
    for (const [name, value] of found.values()) {
      c.out.bulkString(name);
      c.out.bulkString(value);
    }
  },
);
