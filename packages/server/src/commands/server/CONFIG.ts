import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { base } from './config/_shared.js';
import { CONFIG_GET } from './config/GET.js';
import { CONFIG_RESETSTAT } from './config/RESETSTAT.js';
import { CONFIG_SET } from './config/SET.js';

const HELP_LINES = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'HELP',
  '    Print this help.',
];

const HELP = helpSubcommand('config', 'server', HELP_LINES);

export const CONFIG = command({
  ...base,
  name: 'config',
  summary: 'A container for server configuration commands.',
  since: '2.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  example: ['> CONFIG GET port', '1) "port"', '2) "6379"'],
}, () => {}, [CONFIG_GET, HELP, CONFIG_RESETSTAT, CONFIG_SET]);
