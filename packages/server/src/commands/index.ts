import { AUTH } from './connection/AUTH.js';
import { CLIENT } from './connection/CLIENT.js';
import { ECHO } from './connection/ECHO.js';
import { HELLO } from './connection/HELLO.js';
import { PING } from './connection/PING.js';
import { QUIT } from './connection/QUIT.js';
import { RESET } from './connection/RESET.js';
import { SELECT } from './connection/SELECT.js';
import { DEL } from './generic/DEL.js';
import { EXISTS } from './generic/EXISTS.js';
import { KEYS } from './generic/KEYS.js';
import { PTTL } from './generic/PTTL.js';
import { SCAN } from './generic/SCAN.js';
import { TTL } from './generic/TTL.js';
import { TYPE } from './generic/TYPE.js';
import { COMMAND } from './server/COMMAND.js';
import { CONFIG } from './server/CONFIG.js';
import { DBSIZE } from './server/DBSIZE.js';
import { FLUSHALL } from './server/FLUSHALL.js';
import { FLUSHDB } from './server/FLUSHDB.js';
import { INFO } from './server/INFO.js';
import { SHUTDOWN } from './server/SHUTDOWN.js';
import { TIME } from './server/TIME.js';
import type { CommandDef } from './spec.js';
import { GET } from './string/GET.js';
import { MGET } from './string/MGET.js';
import { MSET } from './string/MSET.js';
import { SET } from './string/SET.js';

/** Every command the server knows. The command table, COMMAND and the docs site are built from this list. */
export const allCommands: readonly CommandDef[] = [
  AUTH,
  CLIENT,
  COMMAND,
  CONFIG,
  DBSIZE,
  DEL,
  ECHO,
  EXISTS,
  FLUSHALL,
  FLUSHDB,
  GET,
  HELLO,
  INFO,
  KEYS,
  MGET,
  MSET,
  PING,
  PTTL,
  QUIT,
  RESET,
  SCAN,
  SELECT,
  SET,
  SHUTDOWN,
  TIME,
  TTL,
  TYPE,
];
