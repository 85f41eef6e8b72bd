import { command } from '../spec.js';
import { runScript, SCRIPT_ARGS } from './_shared.js';

export const EVAL = command(
  {
    name: 'eval',
    group: 'scripting',
    summary: 'Runs a Lua script, given as its source, atomically.',
    since: '2.6.0',
    complexity: 'Depends on the script.',
    arity: -3,
    flags: ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'],
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
    example: ['> EVAL "return redis.call(\'INCR\', KEYS[1])" 1 counter', '(integer) 1'],
  },
  (c) => runScript(c, false, false),
);
