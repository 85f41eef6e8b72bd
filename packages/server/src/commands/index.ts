import { AUTH } from './connection/AUTH.js';
import { CLIENT } from './connection/CLIENT.js';
import { ECHO } from './connection/ECHO.js';
import { HELLO } from './connection/HELLO.js';
import { PING } from './connection/PING.js';
import { QUIT } from './connection/QUIT.js';
import { RESET } from './connection/RESET.js';
import { SELECT } from './connection/SELECT.js';
import { COPY } from './generic/COPY.js';
import { DEL } from './generic/DEL.js';
import { EXISTS } from './generic/EXISTS.js';
import { EXPIRE } from './generic/EXPIRE.js';
import { EXPIREAT } from './generic/EXPIREAT.js';
import { EXPIRETIME } from './generic/EXPIRETIME.js';
import { KEYS } from './generic/KEYS.js';
import { MOVE } from './generic/MOVE.js';
import { OBJECT } from './generic/OBJECT.js';
import { PERSIST } from './generic/PERSIST.js';
import { PEXPIRE } from './generic/PEXPIRE.js';
import { PEXPIREAT } from './generic/PEXPIREAT.js';
import { PEXPIRETIME } from './generic/PEXPIRETIME.js';
import { PTTL } from './generic/PTTL.js';
import { RANDOMKEY } from './generic/RANDOMKEY.js';
import { RENAME } from './generic/RENAME.js';
import { RENAMENX } from './generic/RENAMENX.js';
import { SCAN } from './generic/SCAN.js';
import { SWAPDB } from './generic/SWAPDB.js';
import { TOUCH } from './generic/TOUCH.js';
import { TTL } from './generic/TTL.js';
import { TYPE } from './generic/TYPE.js';
import { UNLINK } from './generic/UNLINK.js';
import { COMMAND } from './server/COMMAND.js';
import { CONFIG } from './server/CONFIG.js';
import { DBSIZE } from './server/DBSIZE.js';
import { FLUSHALL } from './server/FLUSHALL.js';
import { FLUSHDB } from './server/FLUSHDB.js';
import { INFO } from './server/INFO.js';
import { MONITOR } from './server/MONITOR.js';
import { SHUTDOWN } from './server/SHUTDOWN.js';
import { SLOWLOG } from './server/SLOWLOG.js';
import { TIME } from './server/TIME.js';
import type { CommandDef } from './spec.js';
import { stringCommands } from './string/index.js';
import { DISCARD } from './transactions/DISCARD.js';
import { EXEC } from './transactions/EXEC.js';
import { MULTI } from './transactions/MULTI.js';
import { UNWATCH } from './transactions/UNWATCH.js';
import { WATCH } from './transactions/WATCH.js';

/** Every command the server knows. The command table, COMMAND and the docs site are built from this list. */
export const allCommands: readonly CommandDef[] = [
  AUTH,
  COPY,
  EXPIRE,
  EXPIREAT,
  EXPIRETIME,
  MOVE,
  OBJECT,
  PERSIST,
  PEXPIRE,
  PEXPIREAT,
  PEXPIRETIME,
  RANDOMKEY,
  RENAME,
  RENAMENX,
  SWAPDB,
  TOUCH,
  UNLINK,
  DISCARD,
  EXEC,
  MONITOR,
  MULTI,
  SLOWLOG,
  UNWATCH,
  WATCH,
  CLIENT,
  COMMAND,
  CONFIG,
  DBSIZE,
  DEL,
  ECHO,
  EXISTS,
  FLUSHALL,
  FLUSHDB,
  HELLO,
  INFO,
  KEYS,
  PING,
  PTTL,
  QUIT,
  RESET,
  SCAN,
  SELECT,
  SHUTDOWN,
  TIME,
  TTL,
  TYPE,
  ...stringCommands,
];
