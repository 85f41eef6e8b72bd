import { errorReply } from '../../../errors.js';
import { globMatch } from '../../../keyspace/glob.js';
import { isToken } from '../../_args.js';
import { commandInfo } from '../../command-info.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const COMMAND_LIST = command(
  {
    ...base,
    name: 'command|list',
    summary: 'Returns the names of the commands, optionally filtered.',
    since: '7.0.0',
    complexity: 'O(N) where N is the total number of commands',
    arity: -2,
    flags: ['loading', 'stale'],
    arguments: [
      {
        name: 'filterby',
        type: 'oneof',
        token: 'FILTERBY',
        optional: true,
        arguments: [
          { name: 'module-name', type: 'string', token: 'MODULE' },
          { name: 'category', type: 'string', token: 'ACLCAT' },
          { name: 'pattern', type: 'pattern', token: 'PATTERN' },
        ],
      },
    ],
    reply: {
      resp2: 'Array of command names; subcommands follow their container, by their full names.',
      resp3: 'Array of command names; subcommands follow their container, by their full names.',
    },
    errors: ['syntax'],
    example: ['> COMMAND LIST FILTERBY PATTERN get*', '1) "get"'],
  },
  (c) => {
    const a = c.args;
    // Every command and, after a container, its subcommands (`config|get`), as redis-server lists them.
    let defs = c.server.commands.all.flatMap((d) => [d, ...(d.subcommands ?? [])]);
    if (a.argc === 5 && isToken(c, 2, 'filterby')) {
      const value = a.argString(4);
      if (isToken(c, 3, 'module')) defs = [];
      else if (isToken(c, 3, 'aclcat')) {
        const category = `@${value.toLowerCase()}`;
        defs = defs.filter((d) => commandInfo(d.spec).categories.includes(category));
      } else if (isToken(c, 3, 'pattern')) {
        const pattern = Buffer.from(value, 'latin1');
        defs = defs.filter((d) => globMatch(pattern, Buffer.from(d.spec.name, 'latin1'), true));
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    } else if (a.argc !== 2) {
      c.out.error(errorReply('syntax'));
      return;
    }
    c.out.arrayHeader(defs.length);
    for (const d of defs) c.out.bulkString(d.spec.name);
  },
);
