import type { CommandDef } from '../spec.js';
import { COMMAND } from './COMMAND.js';
import { CONFIG } from './CONFIG.js';
import { DBSIZE } from './DBSIZE.js';
import { FLUSHALL } from './FLUSHALL.js';
import { FLUSHDB } from './FLUSHDB.js';
import { INFO } from './INFO.js';
import { MONITOR } from './MONITOR.js';
import { SHUTDOWN } from './SHUTDOWN.js';
import { SLOWLOG } from './SLOWLOG.js';
import { SWAPDB } from './SWAPDB.js';
import { TIME } from './TIME.js';

/** The server family (Redis's `server` group): introspection, settings, databases and the server's life. */
export const serverCommands: readonly CommandDef[] = [
  COMMAND,
  CONFIG,
  DBSIZE,
  FLUSHALL,
  FLUSHDB,
  INFO,
  MONITOR,
  SHUTDOWN,
  SLOWLOG,
  SWAPDB,
  TIME,
];
