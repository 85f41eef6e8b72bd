import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_LOAD = command(
  {
    ...base,
    name: 'function|load',
    summary:
      'Loads a library of functions: its code, starting with `#!lua name=<library>`, runs once and registers them with redis.register_function. Stored with the data: it survives a restart.',
    complexity: 'O(1) (considering compilation time is redundant)',
    arity: -3,
    flags: ['write', 'denyoom', 'noscript'],
    arguments: [
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
      { name: 'function-code', type: 'string' },
    ],
    reply: { resp2: "Bulk string: the library's name.", resp3: "Bulk string: the library's name." },
    errors: [
      'functionLoadOption',
      'functionCodeMissing',
      'libraryMetadataMissing',
      'libraryMetadataInvalid',
      'libraryMetadataValue',
      'libraryNameRepeated',
      'libraryNameMissing',
      'libraryNameInvalid',
      'engineNotFound',
      'libraryExists',
      'functionCompile',
      'functionRegister',
      'noFunctionsRegistered',
      'functionExists',
    ],
    example: [
      "> FUNCTION LOAD \"#!lua name=mylib\\nredis.register_function('hello', function() return 'hi' end)\"",
      '"mylib"',
    ],
  },
  (c) => {
    const { args, out } = c;
    let replace = false;
    let i = 2;
    for (; i < args.argc - 1; i++) {
      const option = args.argString(i);
      if (option.toLowerCase() !== 'replace') {
        out.error(errorReply('functionLoadOption', option));
        return;
      }
      replace = true;
    }
    if (i >= args.argc) {
      out.error(errorReply('functionCodeMissing'));
      return;
    }
    const loaded = c.server.scripts.loadLibrary(args.arg(i), replace);
    if ('error' in loaded) {
      out.error(loaded.error);
      return;
    }
    c.server.saveFunctions();
    out.bulkString(loaded.name);
  },
);
