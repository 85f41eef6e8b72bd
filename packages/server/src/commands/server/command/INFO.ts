import { command } from '../../spec.js';
import { base, namesFrom, writeInfo } from './_shared.js';

export const COMMAND_INFO = command(
  {
    ...base,
    name: 'command|info',
    summary: 'Returns information about commands (all of them when none is named).',
    since: '2.8.13',
    complexity: 'O(N) where N is the number of commands to look up',
    arity: -2,
    flags: ['loading', 'stale'],
    arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Array: per command, its details, or a null bulk string for an unknown name.',
      resp3: 'Array: per command, its details, or null for an unknown name.',
    },
    example: ['> COMMAND INFO get', '1) 1) "get"', '   2) (integer) 2', '   ...'],
  },
  (c) => {
    const names = namesFrom(c, 2);
    const defs = names.length ? names.map((n) => c.server.commands.get(n)) : c.server.commands.all;
    c.out.arrayHeader(defs.length);
    for (const def of defs) {
      if (def === undefined) c.out.nullBulk();
      else writeInfo(c.out, def);
    }
  },
);
