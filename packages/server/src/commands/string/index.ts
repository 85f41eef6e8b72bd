import type { CommandDef } from '../spec.js';
import { APPEND } from './APPEND.js';
import { DECR } from './DECR.js';
import { DECRBY } from './DECRBY.js';
import { GET } from './GET.js';
import { GETDEL } from './GETDEL.js';
import { GETEX } from './GETEX.js';
import { GETRANGE } from './GETRANGE.js';
import { GETSET } from './GETSET.js';
import { INCR } from './INCR.js';
import { INCRBY } from './INCRBY.js';
import { INCRBYFLOAT } from './INCRBYFLOAT.js';
import { LCS } from './LCS.js';
import { MGET } from './MGET.js';
import { MSET } from './MSET.js';
import { MSETNX } from './MSETNX.js';
import { PSETEX } from './PSETEX.js';
import { SET } from './SET.js';
import { SETEX } from './SETEX.js';
import { SETNX } from './SETNX.js';
import { SETRANGE } from './SETRANGE.js';
import { STRLEN } from './STRLEN.js';
import { SUBSTR } from './SUBSTR.js';

/** The string family (Redis's `string` group): every command that reads or writes a string value. */
export const stringCommands: readonly CommandDef[] = [
  APPEND,
  DECR,
  DECRBY,
  GET,
  GETDEL,
  GETEX,
  GETRANGE,
  GETSET,
  INCR,
  INCRBY,
  INCRBYFLOAT,
  LCS,
  MGET,
  MSET,
  MSETNX,
  PSETEX,
  SET,
  SETEX,
  SETNX,
  SETRANGE,
  STRLEN,
  SUBSTR,
];
