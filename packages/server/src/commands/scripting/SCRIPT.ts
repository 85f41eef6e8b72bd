import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { SCRIPT_EXISTS } from './script/EXISTS.js';
import { SCRIPT_FLUSH } from './script/FLUSH.js';
import { SCRIPT_KILL } from './script/KILL.js';
import { SCRIPT_LOAD } from './script/LOAD.js';

const HELP_LINES = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];

const HELP = helpSubcommand('script', 'scripting', HELP_LINES);

export const SCRIPT = command({
  name: 'script',
  group: 'scripting',
  summary: 'A container for Lua script cache commands.',
  since: '2.6.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> SCRIPT LOAD "return 1"', '"e0e1f9fabfc9d4800c877a703b823ac0578ff8db"'],
}, () => {}, [SCRIPT_EXISTS, SCRIPT_FLUSH, HELP, SCRIPT_KILL, SCRIPT_LOAD]);
