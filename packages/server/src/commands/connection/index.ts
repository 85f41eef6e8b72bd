import type { CommandDef } from '../spec.js';
import { AUTH } from './AUTH.js';
import { CLIENT } from './CLIENT.js';
import { ECHO } from './ECHO.js';
import { HELLO } from './HELLO.js';
import { PING } from './PING.js';
import { QUIT } from './QUIT.js';
import { RESET } from './RESET.js';
import { SELECT } from './SELECT.js';

/** The connection family (Redis's `connection` group): the handshake, authentication and the state of a connection. */
export const connectionCommands: readonly CommandDef[] = [
  AUTH,
  CLIENT,
  ECHO,
  HELLO,
  PING,
  QUIT,
  RESET,
  SELECT,
];
