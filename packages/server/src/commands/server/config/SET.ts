import {
  ConfigError,
  findSetting,
  type SettingSpec,
  type SettingValue,
  validateSetting,
} from '../../../config/index.js';
import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const CONFIG_SET = command(
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
    errors: ['syntax', 'configUnknown', 'configImmutable', 'configInvalid'],
    example: ['> CONFIG SET maxclients 5000', 'OK'],
  },
  (c) => {
    const a = c.args;
    // As redis-server 7.0: a name without its value is a syntax error; then every name is checked (the
    // first unknown, immutable or repeated one is the error, named as sent), and only then the values, in
    // order (a bad one named as the setting is called).
    if ((a.argc - 2) % 2 !== 0) {
      c.out.error(errorReply('syntax'));
      return;
    }
    const specs: SettingSpec[] = [];
    for (let i = 2; i < a.argc; i += 2) {
      const spec = findSetting(a.argString(i));
      if (spec === undefined) {
        c.out.error(errorReply('configUnknown', a.argString(i)));
        return;
      }
      if (!spec.live) {
        c.out.error(errorReply('configImmutable', a.argString(i)));
        return;
      }
      if (specs.includes(spec)) {
        c.out.error(errorReply('configInvalid', a.argString(i), 'duplicate parameter'));
        return;
      }
      specs.push(spec);
    }
    const changes: [string, SettingValue][] = [];
    for (const [n, spec] of specs.entries()) {
      try {
        const current = (c.server.config as Readonly<Record<string, SettingValue>>)[spec.name];
        changes.push([spec.name, validateSetting(spec.name, [a.argString(3 + 2 * n)], current)]);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        c.out.error(errorReply('configInvalid', spec.name, err.problem));
        return;
      }
    }
    c.server.setConfig(changes);
    c.out.ok();
  },
);
