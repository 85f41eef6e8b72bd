import { command } from '../spec.js';
import { runFunction, SCRIPT_ARGS } from './_shared.js';

export const FCALL = command(
  {
    name: 'fcall',
    group: 'scripting',
    summary: 'Runs a function of a loaded library (FUNCTION LOAD) atomically, with its keys and arguments.',
    since: '7.0.0',
    complexity: 'Depends on the function.',
    arity: -3,
    flags: ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'],
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
      'diskRefusedScript',
      'masterDownScript',
      'scriptNoCluster',
    ],
    example: [
      "> FUNCTION LOAD \"#!lua name=counters\\nredis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)\"",
      '"counters"',
      '> FCALL bump 1 visits',
      '(integer) 1',
    ],
  },
  (c) => runFunction(c, false),
);
