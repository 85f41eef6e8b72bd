import { errorReply } from '../../../errors.js';
import { globMatch } from '../../../keyspace/glob.js';
import { SCRIPT_FLAGS } from '../../../scripting/shebang.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_LIST = command(
  {
    ...base,
    name: 'function|list',
    summary:
      'Returns the loaded libraries: name, engine, functions (name, description, flags), and with WITHCODE the code.',
    complexity: 'O(N) where N is the number of functions',
    arity: -2,
    flags: ['noscript'],
    arguments: [
      { name: 'library-name-pattern', type: 'string', token: 'LIBRARYNAME', optional: true },
      { name: 'withcode', type: 'pure-token', token: 'WITHCODE', optional: true },
    ],
    reply: {
      resp2:
        'Array of libraries, each an array of pairs: library_name, engine, functions, library_code (WITHCODE).',
      resp3:
        'Array of maps: library_name, engine, functions (maps of name, description, flags as a set), library_code (WITHCODE).',
    },
    errors: ['functionListNameMissing', 'functionListArgument'],
    example: [
      '> FUNCTION LIST',
      '1) 1) "library_name"',
      '   2) "mylib"',
      '   3) "engine"',
      '   4) "LUA"',
      '   5) "functions"',
      '   6) 1) 1) "name"',
      '         2) "hello"',
      '         3) "description"',
      '         4) (nil)',
      '         5) "flags"',
      '         6) (empty array)',
    ],
  },
  (c) => {
    const { args, out } = c;
    let withCode = false;
    let pattern: Buffer | null = null;
    for (let i = 2; i < args.argc; i++) {
      const option = args.argString(i).toLowerCase();
      if (!withCode && option === 'withcode') {
        withCode = true;
        continue;
      }
      if (pattern === null && option === 'libraryname') {
        if (i >= args.argc - 1) {
          out.error(errorReply('functionListNameMissing'));
          return;
        }
        pattern = args.arg(++i);
        continue;
      }
      out.error(errorReply('functionListArgument', args.argString(i)));
      return;
    }
    const libraries = [...c.server.scripts.libraries.values()].filter(
      (l) => pattern === null || globMatch(pattern, Buffer.from(l.name, 'latin1'), true),
    );
    out.arrayHeader(libraries.length);
    for (const library of libraries) {
      out.mapHeader(withCode ? 4 : 3);
      out.bulkString('library_name');
      out.bulkString(library.name);
      out.bulkString('engine');
      out.bulkString('LUA');
      out.bulkString('functions');
      out.arrayHeader(library.functions.size);
      for (const fn of library.functions.values()) {
        out.mapHeader(3);
        out.bulkString('name');
        out.bulkString(fn.name);
        out.bulkString('description');
        if (fn.description === null) out.nullBulk();
        else out.bulk(fn.description);
        out.bulkString('flags');
        const flags = SCRIPT_FLAGS.filter((f) => fn.flags.has(f));
        out.setHeader(flags.length);
        for (const flag of flags) out.simple(flag);
      }
      if (withCode) {
        out.bulkString('library_code');
        out.bulk(library.code);
      }
    }
  },
);
