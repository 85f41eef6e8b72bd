import { command } from '../../spec.js';
import { base } from './_shared.js';

export const SCRIPT_EXISTS = command(
  {
    ...base,
    name: 'script|exists',
    summary: 'Says, for each SHA1, whether the script cache holds that script.',
    since: '2.6.0',
    complexity: 'O(N) with N the number of SHA1s.',
    arity: -3,
    flags: ['noscript'],
    arguments: [{ name: 'sha1', type: 'string', multiple: true }],
    reply: {
      resp2: 'Array of integers: 1 for a cached script, 0 otherwise, in the order asked.',
      resp3: 'Array of integers: 1 for a cached script, 0 otherwise, in the order asked.',
    },
    example: ['> SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '1) (integer) 1'],
  },
  (c) => {
    const { args, out } = c;
    out.arrayHeader(args.argc - 2);
    for (let i = 2; i < args.argc; i++) out.integer(c.server.scripts.has(args.argString(i)) ? 1 : 0);
  },
);
