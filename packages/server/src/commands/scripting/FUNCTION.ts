import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { FUNCTION_DELETE } from './function/DELETE.js';
import { FUNCTION_DUMP } from './function/DUMP.js';
import { FUNCTION_FLUSH } from './function/FLUSH.js';
import { FUNCTION_KILL } from './function/KILL.js';
import { FUNCTION_LIST } from './function/LIST.js';
import { FUNCTION_LOAD } from './function/LOAD.js';
import { FUNCTION_RESTORE } from './function/RESTORE.js';
import { FUNCTION_STATS } from './function/STATS.js';

const HELP_LINES = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

const HELP = helpSubcommand('function', 'scripting', HELP_LINES);

export const FUNCTION = command({
  name: 'function',
  group: 'scripting',
  summary: 'A container for function commands: libraries of Lua functions that FCALL runs.',
  since: '7.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> FUNCTION LIST', '(empty array)'],
}, () => {}, [
  FUNCTION_DELETE,
  FUNCTION_DUMP,
  FUNCTION_FLUSH,
  HELP,
  FUNCTION_KILL,
  FUNCTION_LIST,
  FUNCTION_LOAD,
  FUNCTION_RESTORE,
  FUNCTION_STATS,
]);
