import type { CommandDef } from '../spec.js';
import { BZMPOP } from './BZMPOP.js';
import { BZPOPMAX } from './BZPOPMAX.js';
import { BZPOPMIN } from './BZPOPMIN.js';
import { ZADD } from './ZADD.js';
import { ZCARD } from './ZCARD.js';
import { ZCOUNT } from './ZCOUNT.js';
import { ZDIFF } from './ZDIFF.js';
import { ZDIFFSTORE } from './ZDIFFSTORE.js';
import { ZINCRBY } from './ZINCRBY.js';
import { ZINTER } from './ZINTER.js';
import { ZINTERCARD } from './ZINTERCARD.js';
import { ZINTERSTORE } from './ZINTERSTORE.js';
import { ZLEXCOUNT } from './ZLEXCOUNT.js';
import { ZMPOP } from './ZMPOP.js';
import { ZMSCORE } from './ZMSCORE.js';
import { ZPOPMAX } from './ZPOPMAX.js';
import { ZPOPMIN } from './ZPOPMIN.js';
import { ZRANDMEMBER } from './ZRANDMEMBER.js';
import { ZRANGE } from './ZRANGE.js';
import { ZRANGEBYLEX } from './ZRANGEBYLEX.js';
import { ZRANGEBYSCORE } from './ZRANGEBYSCORE.js';
import { ZRANGESTORE } from './ZRANGESTORE.js';
import { ZRANK } from './ZRANK.js';
import { ZREM } from './ZREM.js';
import { ZREMRANGEBYLEX } from './ZREMRANGEBYLEX.js';
import { ZREMRANGEBYRANK } from './ZREMRANGEBYRANK.js';
import { ZREMRANGEBYSCORE } from './ZREMRANGEBYSCORE.js';
import { ZREVRANGE } from './ZREVRANGE.js';
import { ZREVRANGEBYLEX } from './ZREVRANGEBYLEX.js';
import { ZREVRANGEBYSCORE } from './ZREVRANGEBYSCORE.js';
import { ZREVRANK } from './ZREVRANK.js';
import { ZSCAN } from './ZSCAN.js';
import { ZSCORE } from './ZSCORE.js';
import { ZUNION } from './ZUNION.js';
import { ZUNIONSTORE } from './ZUNIONSTORE.js';

/**
 * The sorted-set family (Redis's `sorted_set` group): members ordered by score, each member one LMDB
 * entry holding its score, their order a B+tree counted by subtree.
 */
export const sortedSetCommands: readonly CommandDef[] = [
  BZMPOP,
  BZPOPMAX,
  BZPOPMIN,
  ZADD,
  ZCARD,
  ZCOUNT,
  ZINCRBY,
  ZLEXCOUNT,
  ZMPOP,
  ZMSCORE,
  ZPOPMAX,
  ZPOPMIN,
  ZRANDMEMBER,
  ZRANGE,
  ZRANGEBYLEX,
  ZRANGEBYSCORE,
  ZRANGESTORE,
  ZRANK,
  ZREM,
  ZREMRANGEBYLEX,
  ZREMRANGEBYRANK,
  ZREMRANGEBYSCORE,
  ZREVRANGE,
  ZREVRANGEBYLEX,
  ZREVRANGEBYSCORE,
  ZREVRANK,
  ZSCAN,
  ZSCORE,
  ZDIFF,
  ZDIFFSTORE,
  ZINTER,
  ZINTERCARD,
  ZINTERSTORE,
  ZUNION,
  ZUNIONSTORE,
];
