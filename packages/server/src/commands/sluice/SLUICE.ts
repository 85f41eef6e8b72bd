import { helpSubcommand } from '../_help.js';
import { command } from '../spec.js';
import { base } from './sluice/_shared.js';
import { SLUICE_LAG } from './sluice/LAG.js';
import { SLUICE_POSITION } from './sluice/POSITION.js';
import { SLUICE_WAIT } from './sluice/WAIT.js';

const HELP_LINES = [
  'SLUICE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'POSITION',
  "    Return a token for the current connection's last write (log mode).",
  'WAIT <token> <timeout>',
  '    Wait until this node has applied everything up to <token>, at most <timeout> milliseconds (0: for ever).',
  'LAG',
  "    Return each partition's applied offset, end and lag (log mode).",
  'HELP',
  '    Print this help.',
];

export const SLUICE = command({
  ...base,
  name: 'sluice',
  summary: "A container for Sluice's own commands: log mode's positions and lag.",
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  errors: [],
  example: ['> SLUICE LAG', '1) 1) "partition"', '   ...'],
}, () => {}, [helpSubcommand('sluice', 'sluice', HELP_LINES), SLUICE_LAG, SLUICE_POSITION, SLUICE_WAIT]);
