import type { CommandDef } from '../spec.js';
import { ASKING } from './ASKING.js';
import { CLUSTER } from './CLUSTER.js';
import { READONLY } from './READONLY.js';
import { READWRITE } from './READWRITE.js';

/** The cluster family (Redis's `cluster` group): the topology, hash slots, and reads of standby copies. */
export const clusterCommands: readonly CommandDef[] = [ASKING, CLUSTER, READONLY, READWRITE];
