import type { CommandDef } from '../spec.js';
import { XADD } from './XADD.js';
import { XDEL } from './XDEL.js';
import { XLEN } from './XLEN.js';
import { XRANGE } from './XRANGE.js';
import { XREAD } from './XREAD.js';
import { XREVRANGE } from './XREVRANGE.js';
import { XSETID } from './XSETID.js';
import { XTRIM } from './XTRIM.js';

/**
 * The stream family (Redis's `stream` group): entries keyed by id under one key, one LMDB entry per
 * entry, so that appends and range reads cost a seek whatever the length.
 */
export const streamCommands: readonly CommandDef[] = [
  XADD,
  XDEL,
  XLEN,
  XRANGE,
  XREAD,
  XREVRANGE,
  XSETID,
  XTRIM,
];
