import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { base, writeInfo } from './command/_shared.js';
import { COMMAND_COUNT } from './command/COUNT.js';
import { COMMAND_DOCS } from './command/DOCS.js';
import { COMMAND_INFO } from './command/INFO.js';
import { COMMAND_LIST } from './command/LIST.js';

const HELP_LINES = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  'HELP',
  '    Print this help.',
];

const HELP = helpSubcommand('command', 'server', HELP_LINES);

export const COMMAND = command(
  {
    ...base,
    name: 'command',
    summary: 'Returns details about all commands.',
    since: '2.8.13',
    complexity: 'O(N) where N is the total number of commands',
    arity: -1,
    flags: ['loading', 'stale'],
    arguments: [],
    reply: {
      resp2: 'Array of command details (see COMMAND INFO).',
      resp3: 'Array of command details (see COMMAND INFO).',
    },
    example: ['> COMMAND', '1) 1) "append"', '   ...'],
  },
  (c) => {
    c.out.arrayHeader(c.server.commands.all.length);
    for (const def of c.server.commands.all) writeInfo(c.out, def);
  },
  [COMMAND_COUNT, COMMAND_DOCS, HELP, COMMAND_INFO, COMMAND_LIST],
);
