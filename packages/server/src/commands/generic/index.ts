import type { CommandDef } from '../spec.js';
import { COPY } from './COPY.js';
import { DEL } from './DEL.js';
import { DUMP } from './DUMP.js';
import { EXISTS } from './EXISTS.js';
import { EXPIRE } from './EXPIRE.js';
import { EXPIREAT } from './EXPIREAT.js';
import { EXPIRETIME } from './EXPIRETIME.js';
import { KEYS } from './KEYS.js';
import { MOVE } from './MOVE.js';
import { OBJECT } from './OBJECT.js';
import { PERSIST } from './PERSIST.js';
import { PEXPIRE } from './PEXPIRE.js';
import { PEXPIREAT } from './PEXPIREAT.js';
import { PEXPIRETIME } from './PEXPIRETIME.js';
import { PTTL } from './PTTL.js';
import { RANDOMKEY } from './RANDOMKEY.js';
import { RENAME } from './RENAME.js';
import { RENAMENX } from './RENAMENX.js';
import { RESTORE } from './RESTORE.js';
import { SCAN } from './SCAN.js';
import { SORT } from './SORT.js';
import { SORT_RO } from './SORT_RO.js';
import { TOUCH } from './TOUCH.js';
import { TTL } from './TTL.js';
import { TYPE } from './TYPE.js';
import { UNLINK } from './UNLINK.js';

/** The generic family (Redis's `generic` group): commands on keys of any type. */
export const genericCommands: readonly CommandDef[] = [
  COPY,
  DEL,
  DUMP,
  EXISTS,
  EXPIRE,
  EXPIREAT,
  EXPIRETIME,
  KEYS,
  MOVE,
  OBJECT,
  PERSIST,
  PEXPIRE,
  PEXPIREAT,
  PEXPIRETIME,
  PTTL,
  RANDOMKEY,
  RENAME,
  RENAMENX,
  RESTORE,
  SCAN,
  SORT,
  SORT_RO,
  TOUCH,
  TTL,
  TYPE,
  UNLINK,
];
