import type { CommandDef } from '../spec.js';
import { SLUICE } from './SLUICE.js';

/** Sluice's own commands (log mode), in name order. */
export const sluiceCommands: readonly CommandDef[] = [SLUICE];
