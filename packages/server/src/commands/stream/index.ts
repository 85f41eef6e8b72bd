import type { CommandDef } from '../spec.js';
import { XACK } from './XACK.js';
import { XADD } from './XADD.js';
import { XAUTOCLAIM } from './XAUTOCLAIM.js';
import { XCLAIM } from './XCLAIM.js';
import { XDEL } from './XDEL.js';
import { XGROUP } from './XGROUP.js';
import { XINFO } from './XINFO.js';
import { XLEN } from './XLEN.js';
import { XPENDING } from './XPENDING.js';
import { XRANGE } from './XRANGE.js';
import { XREAD } from './XREAD.js';
import { XREADGROUP } from './XREADGROUP.js';
import { XREVRANGE } from './XREVRANGE.js';
import { XSETID } from './XSETID.js';
import { XTRIM } from './XTRIM.js';

/**
 * The stream family (Redis's `stream` group): entries keyed by id under one key, one LMDB entry per
 * entry, so that appends and range reads cost a seek whatever the length.
 */
export const streamCommands: readonly CommandDef[] = [
  XACK,
  XADD,
  XAUTOCLAIM,
  XCLAIM,
  XDEL,
  XGROUP,
  XINFO,
  XLEN,
  XPENDING,
  XRANGE,
  XREAD,
  XREADGROUP,
  XREVRANGE,
  XSETID,
  XTRIM,
];
