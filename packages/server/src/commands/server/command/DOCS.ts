import type { CommandDef } from '../../spec.js';
import { command } from '../../spec.js';
import { base, namesFrom, writeDocs } from './_shared.js';

export const COMMAND_DOCS = command(
  {
    ...base,
    name: 'command|docs',
    summary: 'Returns documentation about commands (all of them when none is named).',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of commands to look up',
    arity: -2,
    flags: ['loading', 'stale'],
    arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Array of alternating command names and their documentation (each a flat array of fields).',
      resp3: 'Map of command names to their documentation maps.',
    },
    example: [
      '> COMMAND DOCS get',
      '1) "get"',
      '2) 1) "summary"',
      '   2) "Returns the string value of a key."',
      '   ...',
    ],
  },
  (c) => {
    const names = namesFrom(c, 2);
    const defs = (names.length ? names.map((n) => c.server.commands.get(n)) : c.server.commands.all).filter(
      (d): d is CommandDef => d !== undefined,
    );
    c.out.mapHeader(defs.length);
    for (const def of defs) {
      c.out.bulkString(def.spec.name);
      writeDocs(c.out, def);
    }
  },
);
