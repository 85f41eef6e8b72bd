import type { CommandDef } from '../spec.js';
import { PFADD } from './PFADD.js';
import { PFCOUNT } from './PFCOUNT.js';
import { PFDEBUG } from './PFDEBUG.js';
import { PFMERGE } from './PFMERGE.js';
import { PFSELFTEST } from './PFSELFTEST.js';

/**
 * The HyperLogLog family (Redis's `hyperloglog` group): probabilistic distinct counters kept in string
 * values, byte for byte as redis-server keeps them (see _hll.ts).
 */
export const hyperloglogCommands: readonly CommandDef[] = [PFADD, PFCOUNT, PFDEBUG, PFMERGE, PFSELFTEST];
