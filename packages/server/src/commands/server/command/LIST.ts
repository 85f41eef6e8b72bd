import { errorReply } from '../../../errors.js';
import { globMatch } from '../../../keyspace/glob.js';
import { isToken } from '../../_args.js';
import { command } from '../../spec.js';
import { base, categories } from './_shared.js';

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
    reply: { resp2: 'Array of command names.', resp3: 'Array of command names.' },
    errors: ['syntax'],
    example: ['> COMMAND LIST FILTERBY PATTERN get*', '1) "get"'],
  },
  (c) => {
    const a = c.args;
    let names = c.server.commands.all.map((d) => d.spec.name);
    if (a.argc === 5 && isToken(c, 2, 'filterby')) {
      const value = a.argString(4).toLowerCase();
      if (isToken(c, 3, 'module')) names = [];
      else if (isToken(c, 3, 'aclcat')) {
        names = c.server.commands.all
          .filter((d) => categories(d.spec).includes(`@${value}`))
          .map((d) => d.spec.name);
      } else if (isToken(c, 3, 'pattern')) {
        const pattern = Buffer.from(value, 'latin1');
        names = names.filter((n) => globMatch(pattern, Buffer.from(n, 'latin1')));
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    } else if (a.argc !== 2) {
      c.out.error(errorReply('syntax'));
      return;
    }
    c.out.arrayHeader(names.length);
    for (const n of names) c.out.bulkString(n);
  },
);
