import { ConfigError, findSetting, type SettingValue, validateSetting } from '../../../config/index.js';
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
    c.server.setConfig(changes);
    c.out.ok();
  },
);
