import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { base, writeInfo } from './command/_shared.js';
import { COMMAND_COUNT } from './command/COUNT.js';
import { COMMAND_DOCS } from './command/DOCS.js';
import { COMMAND_GETKEYS } from './command/GETKEYS.js';
import { COMMAND_GETKEYSANDFLAGS } from './command/GETKEYSANDFLAGS.js';
import { COMMAND_INFO } from './command/INFO.js';
import { COMMAND_LIST } from './command/LIST.js';

/** As redis-server 7.0 prints them. */
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
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
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
  [COMMAND_COUNT, COMMAND_DOCS, COMMAND_GETKEYS, COMMAND_GETKEYSANDFLAGS, HELP, COMMAND_INFO, COMMAND_LIST],
);
