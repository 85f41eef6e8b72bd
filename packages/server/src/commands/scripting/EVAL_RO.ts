import { command } from '../spec.js';
import { runScript, SCRIPT_ARGS } from './_shared.js';

export const EVAL_RO = command(
  {
    name: 'eval_ro',
    group: 'scripting',
    summary: 'Runs a read-only Lua script, given as its source; its calls may not write.',
    since: '7.0.0',
    complexity: 'Depends on the script.',
    arity: -3,
    flags: ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'readonly', 'movablekeys'],
    arguments: [{ name: 'script', type: 'string' }, ...SCRIPT_ARGS],
    reply: {
      resp2: 'What the script returns, converted by the Lua-to-RESP rules (an error reply if it raised one).',
      resp3:
        'What the script returns, converted by the Lua-to-RESP rules, with RESP3 types once it called redis.setresp(3).',
    },
    errors: [
      'notInteger',
      'negativeKeys',
      'tooManyKeys',
      'crossPartition',
      'scriptWriteFlagReadOnly',
      'invalidShebang',
      'invalidShebangEngine',
      'unexpectedShebangEngine',
      'unexpectedShebangFlag',
      'unknownShebangOption',
      'diskRefusedScript',
      'masterDownScript',
      'scriptNoCluster',
      'masterDown',
    ],
    example: ['> EVAL_RO "return redis.call(\'GET\', KEYS[1])" 1 counter', '"1"'],
  },
  (c) => runScript(c, false, true),
);
