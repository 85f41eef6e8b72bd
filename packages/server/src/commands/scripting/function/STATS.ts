import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_STATS = command(
  {
    ...base,
    name: 'function|stats',
    summary:
      'Returns the function running past busy-reply-threshold (name, command, duration) and the number of libraries and functions.',
    complexity: 'O(1)',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    arguments: [],
    reply: {
      resp2:
        'Array: running_script (null, or name, command, duration_ms) and engines (LUA: libraries_count, functions_count), as pairs.',
      resp3:
        'Map: running_script (null, or a map of name, command, duration_ms) and engines (a map of LUA to its counts).',
    },
    errors: ['busyScript'],
    example: [
      '> FUNCTION STATS',
      '1) "running_script"',
      '2) (nil)',
      '3) "engines"',
      '4) 1) "LUA"',
      '   2) 1) "libraries_count"',
      '      2) (integer) 1',
      '      3) "functions_count"',
      '      4) (integer) 1',
    ],
  },
  (c) => {
    const { out } = c;
    const engine = c.server.scripts;
    const running = engine.busyRun;
    if (running?.kind === 'eval') {
      out.error(errorReply('busyScript'));
      return;
    }
    out.mapHeader(2);
    out.bulkString('running_script');
    if (running === null) {
      out.nullBulk();
    } else {
      out.mapHeader(3);
      out.bulkString('name');
      out.bulkString(running.name);
      out.bulkString('command');
      out.arrayHeader(running.command.length);
      for (const arg of running.command) out.bulk(arg);
      out.bulkString('duration_ms');
      out.integer(Date.now() - running.startedAt);
    }
    out.bulkString('engines');
    out.mapHeader(1);
    out.bulkString('LUA');
    out.mapHeader(2);
    out.bulkString('libraries_count');
    out.integer(engine.libraries.size);
    out.bulkString('functions_count');
    out.integer(engine.functionCount);
  },
);
