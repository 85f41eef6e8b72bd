import type { CommandDef } from '../spec.js';
import { SADD } from './SADD.js';
import { SCARD } from './SCARD.js';
import { SDIFF } from './SDIFF.js';
import { SDIFFSTORE } from './SDIFFSTORE.js';
import { SINTER } from './SINTER.js';
import { SINTERCARD } from './SINTERCARD.js';
import { SINTERSTORE } from './SINTERSTORE.js';
import { SISMEMBER } from './SISMEMBER.js';
import { SMEMBERS } from './SMEMBERS.js';
import { SMISMEMBER } from './SMISMEMBER.js';
import { SMOVE } from './SMOVE.js';
import { SPOP } from './SPOP.js';
import { SRANDMEMBER } from './SRANDMEMBER.js';
import { SREM } from './SREM.js';
import { SSCAN } from './SSCAN.js';
import { SUNION } from './SUNION.js';
import { SUNIONSTORE } from './SUNIONSTORE.js';

/** The set family (Redis's `set` group): distinct members under one key, one LMDB entry per member. */
export const setCommands: readonly CommandDef[] = [
  SADD,
  SCARD,
  SDIFF,
  SDIFFSTORE,
  SINTER,
  SINTERCARD,
  SINTERSTORE,
  SISMEMBER,
  SMEMBERS,
  SMISMEMBER,
  SMOVE,
  SPOP,
  SRANDMEMBER,
  SREM,
  SSCAN,
  SUNION,
  SUNIONSTORE,
];
