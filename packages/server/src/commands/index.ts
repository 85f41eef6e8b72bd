import { bitmapCommands } from './bitmap/index.js';
import { clusterCommands } from './cluster/index.js';
import { connectionCommands } from './connection/index.js';
import { genericCommands } from './generic/index.js';
import { geoCommands } from './geo/index.js';
import { hashCommands } from './hash/index.js';
import { hyperloglogCommands } from './hyperloglog/index.js';
import { listCommands } from './list/index.js';
import { pubsubCommands } from './pubsub/index.js';
import { scriptingCommands } from './scripting/index.js';
import { serverCommands } from './server/index.js';
import { setCommands } from './set/index.js';
import { sluiceCommands } from './sluice/index.js';
import { sortedSetCommands } from './sortedset/index.js';
import type { CommandDef } from './spec.js';
import { streamCommands } from './stream/index.js';
import { stringCommands } from './string/index.js';
import { transactionsCommands } from './transactions/index.js';

/**
 * Every command the server knows, family by family, each family's index listing its folder's commands
 * in name order. The command table, COMMAND and the docs site are built from this list.
 */
export const allCommands: readonly CommandDef[] = [
  ...bitmapCommands,
  ...clusterCommands,
  ...connectionCommands,
  ...genericCommands,
  ...geoCommands,
  ...hashCommands,
  ...hyperloglogCommands,
  ...listCommands,
  ...pubsubCommands,
  ...scriptingCommands,
  ...serverCommands,
  ...setCommands,
  ...sluiceCommands,
  ...sortedSetCommands,
  ...streamCommands,
  ...stringCommands,
  ...transactionsCommands,
];
