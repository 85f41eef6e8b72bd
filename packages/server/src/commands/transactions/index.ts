import type { CommandDef } from '../spec.js';
import { DISCARD } from './DISCARD.js';
import { EXEC } from './EXEC.js';
import { MULTI } from './MULTI.js';
import { UNWATCH } from './UNWATCH.js';
import { WATCH } from './WATCH.js';

/** The transactions family (Redis's `transactions` group): MULTI, EXEC and WATCH. */
export const transactionsCommands: readonly CommandDef[] = [DISCARD, EXEC, MULTI, UNWATCH, WATCH];
