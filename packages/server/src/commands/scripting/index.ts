import type { CommandDef } from '../spec.js';
import { EVAL } from './EVAL.js';
import { EVAL_RO } from './EVAL_RO.js';
import { EVALSHA } from './EVALSHA.js';
import { EVALSHA_RO } from './EVALSHA_RO.js';
import { FCALL } from './FCALL.js';
import { FCALL_RO } from './FCALL_RO.js';
import { FUNCTION } from './FUNCTION.js';
import { SCRIPT } from './SCRIPT.js';

/** The scripting family (Redis's `scripting` group): Lua scripts run atomically, and their cache. */
export const scriptingCommands: readonly CommandDef[] = [
  EVAL,
  EVAL_RO,
  EVALSHA,
  EVALSHA_RO,
  FCALL,
  FCALL_RO,
  FUNCTION,
  SCRIPT,
];
