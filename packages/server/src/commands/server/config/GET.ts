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
