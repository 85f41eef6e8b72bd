import { command } from '../spec.js';
import { runScript, SCRIPT_ARGS } from './_shared.js';

export const EVALSHA = command(
  {
    name: 'evalsha',
    group: 'scripting',
    summary: 'Runs a Lua script cached by SCRIPT LOAD or an earlier EVAL, named by its SHA1.',
    since: '2.6.0',
    complexity: 'Depends on the script.',
    arity: -3,
    flags: ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'],
    arguments: [{ name: 'sha1', type: 'string' }, ...SCRIPT_ARGS],
    reply: {
      resp2: 'What the script returns, converted by the Lua-to-RESP rules (an error reply if it raised one).',
      resp3:
        'What the script returns, converted by the Lua-to-RESP rules, with RESP3 types once it called redis.setresp(3).',
    },
    errors: [
      'notInteger',
      'negativeKeys',
      'tooManyKeys',
      'noScript',
      'crossPartition',
      'diskRefusedScript',
      'masterDownScript',
      'scriptNoCluster',
      'masterDown',
    ],
    example: [
      '> SCRIPT LOAD "return ARGV[1]"',
      '"4a2267357833227dd98abdedb8cf24b15a986445"',
      '> EVALSHA 4a2267357833227dd98abdedb8cf24b15a986445 0 hello',
      '"hello"',
    ],
  },
  (c) => runScript(c, true, false),
);
