import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_DUMP = command(
  {
    ...base,
    name: 'function|dump',
    summary:
      'Serializes every library as redis-server does (RDB records, RDB version 10 and a CRC-64), for FUNCTION RESTORE here or on redis-server 7.',
    complexity: 'O(N) where N is the number of functions',
    arity: 2,
    flags: ['noscript'],
    arguments: [],
    reply: { resp2: 'Bulk string: the payload.', resp3: 'Bulk string: the payload.' },
    errors: [],
    example: ['> FUNCTION DUMP', '"\\xf5\\xc3@X@]\\x1f#!lua name=mylib \\n ..."'],
  },
  (c) => {
    c.out.bulk(c.server.scripts.dumpLibraries());
  },
);
