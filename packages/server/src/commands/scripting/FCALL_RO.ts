import { command } from '../spec.js';
import { runFunction, SCRIPT_ARGS } from './_shared.js';

export const FCALL_RO = command(
  {
    name: 'fcall_ro',
    group: 'scripting',
    summary: 'Runs a function registered with the no-writes flag; its calls may not write.',
    since: '7.0.0',
    complexity: 'Depends on the function.',
    arity: -3,
    flags: ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'],
    arguments: [{ name: 'function', type: 'string' }, ...SCRIPT_ARGS],
    reply: {
      resp2:
        'What the function returns, converted by the Lua-to-RESP rules (an error reply if it raised one).',
      resp3:
        'What the function returns, converted by the Lua-to-RESP rules, with RESP3 types once it called redis.setresp(3).',
    },
    errors: [
      'functionNotFound',
      'badNumKeys',
      'negativeKeys',
      'tooManyKeys',
      'crossPartition',
      'scriptWriteFlagReadOnly',
      'masterDownScript',
      'scriptNoCluster',
    ],
    example: [
      "> FUNCTION LOAD \"#!lua name=reads\\nredis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}\"",
      '"reads"',
      '> FCALL_RO peek 1 visits',
      '"1"',
    ],
  },
  (c) => runFunction(c, true),
);
