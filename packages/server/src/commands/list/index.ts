import type { CommandDef } from '../spec.js';
import { BLMOVE } from './BLMOVE.js';
import { BLMPOP } from './BLMPOP.js';
import { BLPOP } from './BLPOP.js';
import { BRPOP } from './BRPOP.js';
import { BRPOPLPUSH } from './BRPOPLPUSH.js';
import { LINDEX } from './LINDEX.js';
import { LINSERT } from './LINSERT.js';
import { LLEN } from './LLEN.js';
import { LMOVE } from './LMOVE.js';
import { LMPOP } from './LMPOP.js';
import { LPOP } from './LPOP.js';
import { LPOS } from './LPOS.js';
import { LPUSH } from './LPUSH.js';
import { LPUSHX } from './LPUSHX.js';
import { LRANGE } from './LRANGE.js';
import { LREM } from './LREM.js';
import { LSET } from './LSET.js';
import { LTRIM } from './LTRIM.js';
import { RPOP } from './RPOP.js';
import { RPOPLPUSH } from './RPOPLPUSH.js';
import { RPUSH } from './RPUSH.js';
import { RPUSHX } from './RPUSHX.js';

/** The list family (Redis's `list` group): elements in order under one key, one LMDB entry per element. */
export const listCommands: readonly CommandDef[] = [
  BLMOVE,
  BLMPOP,
  BLPOP,
  BRPOP,
  BRPOPLPUSH,
  LINDEX,
  LINSERT,
  LLEN,
  LMOVE,
  LMPOP,
  LPOP,
  LPOS,
  LPUSH,
  LPUSHX,
  LRANGE,
  LREM,
  LSET,
  LTRIM,
  RPOP,
  RPOPLPUSH,
  RPUSH,
  RPUSHX,
];
