import { errorReply } from '../../errors.js';
import { integerArg } from '../_args.js';
import { helpSubcommand } from '../_help.js';
import { type CommandSpec, command } from '../spec.js';

const base = {
  group: 'server',
  errors: [],
  flags: ['admin', 'loading', 'stale'],
} as const satisfies Partial<CommandSpec>;

const GET = command(
  {
    ...base,
    name: 'slowlog|get',
    summary: 'Returns the newest entries of the slow log (10 unless a count is given; -1 for all).',
    since: '2.2.12',
    complexity: 'O(N) where N is the number of entries returned',
    arity: -2,
    arguments: [{ name: 'count', type: 'integer', optional: true }],
    reply: {
      resp2:
        'Array of entries: id, Unix time, duration in microseconds, arguments, client address, client name.',
      resp3:
        'Array of entries: id, Unix time, duration in microseconds, arguments, client address, client name.',
    },
    errors: ['slowlogCount', 'subcommandSyntax'],
    example: [
      '> SLOWLOG GET 1',
      '1) 1) (integer) 14',
      '   2) (integer) 1795291382',
      '   3) (integer) 12051',
      '   ...',
    ],
  },
  (c) => {
    let count = 10;
    if (c.args.argc === 3) {
      const n = integerArg(c, 2);
      if (n === null || n < -1) {
        c.out.error(errorReply('slowlogCount'));
        return;
      }
      count = n;
    } else if (c.args.argc > 3) {
      // redis-server 7.0's slowlogCommand takes GET with at most a count; the subcommand is named as sent.
      c.out.error(errorReply('subcommandSyntax', c.args.argString(1), 'SLOWLOG'));
      return;
    }
    c.server.slowlog.write(c.out, count);
  },
);

const LEN = command(
  {
    ...base,
    name: 'slowlog|len',
    summary: 'Returns the number of entries in the slow log.',
    since: '2.2.12',
    complexity: 'O(1)',
    arity: 2,
    arguments: [],
    reply: { resp2: 'Integer.', resp3: 'Integer.' },
    example: ['> SLOWLOG LEN', '(integer) 3'],
  },
  (c) => c.out.integer(c.server.slowlog.length),
);

const RESET = command(
  {
    ...base,
    name: 'slowlog|reset',
    summary: 'Empties the slow log.',
    since: '2.2.12',
    complexity: 'O(N) where N is the number of entries in the slowlog',
    arity: 2,
    arguments: [],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    example: ['> SLOWLOG RESET', 'OK'],
  },
  (c) => {
    c.server.slowlog.reset();
    c.out.ok();
  },
);

const HELP = helpSubcommand('slowlog', 'server', [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Print this help.',
]);

export const SLOWLOG = command({
  ...base,
  name: 'slowlog',
  summary: 'A container for slow log commands.',
  since: '2.2.12',
  complexity: 'Depends on subcommand.',
  arity: -2,
  flags: [],
  arguments: [],
  reply: { resp2: 'Depends on subcommand.', resp3: 'Depends on subcommand.' },
  example: ['> SLOWLOG LEN', '(integer) 0'],
}, () => {}, [GET, HELP, LEN, RESET]);
