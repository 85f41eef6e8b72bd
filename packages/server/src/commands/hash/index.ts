import type { CommandDef } from '../spec.js';
import { HDEL } from './HDEL.js';
import { HEXISTS } from './HEXISTS.js';
import { HGET } from './HGET.js';
import { HGETALL } from './HGETALL.js';
import { HINCRBY } from './HINCRBY.js';
import { HINCRBYFLOAT } from './HINCRBYFLOAT.js';
import { HKEYS } from './HKEYS.js';
import { HLEN } from './HLEN.js';
import { HMGET } from './HMGET.js';
import { HMSET } from './HMSET.js';
import { HRANDFIELD } from './HRANDFIELD.js';
import { HSCAN } from './HSCAN.js';
import { HSET } from './HSET.js';
import { HSETNX } from './HSETNX.js';
import { HSTRLEN } from './HSTRLEN.js';
import { HVALS } from './HVALS.js';

/** The hash family (Redis's `hash` group): fields and values under one key, one LMDB entry per field. */
export const hashCommands: readonly CommandDef[] = [
  HDEL,
  HEXISTS,
  HGET,
  HGETALL,
  HINCRBY,
  HINCRBYFLOAT,
  HKEYS,
  HLEN,
  HMGET,
  HMSET,
  HRANDFIELD,
  HSCAN,
  HSET,
  HSETNX,
  HSTRLEN,
  HVALS,
];
