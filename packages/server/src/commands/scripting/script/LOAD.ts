import { command } from '../../spec.js';
import { base } from './_shared.js';

export const SCRIPT_LOAD = command(
  {
    ...base,
    name: 'script|load',
    summary: 'Compiles a Lua script and caches it, without running it; EVALSHA runs it by its SHA1.',
    since: '2.6.0',
    complexity: 'O(N) with N the length of the script.',
    arity: 3,
    flags: ['noscript', 'stale'],
    arguments: [{ name: 'script', type: 'string' }],
    errors: [
      'invalidShebang',
      'invalidShebangEngine',
      'unexpectedShebangEngine',
      'unexpectedShebangFlag',
      'unknownShebangOption',
    ],
    reply: { resp2: "Bulk string: the script's SHA1.", resp3: "Bulk string: the script's SHA1." },
    example: ['> SCRIPT LOAD "return 1"', '"e0e1f9fabfc9d4800c877a703b823ac0578ff8db"'],
  },
  (c) => {
    const loaded = c.server.scripts.load(c.args.arg(2));
    if ('error' in loaded) c.out.error(loaded.error);
    else c.out.bulkString(loaded.sha);
  },
);
