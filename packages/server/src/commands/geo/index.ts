import type { CommandDef } from '../spec.js';
import { GEOADD } from './GEOADD.js';
import { GEODIST } from './GEODIST.js';
import { GEOHASH } from './GEOHASH.js';
import { GEOPOS } from './GEOPOS.js';
import { GEORADIUS } from './GEORADIUS.js';
import { GEORADIUS_RO } from './GEORADIUS_RO.js';
import { GEORADIUSBYMEMBER } from './GEORADIUSBYMEMBER.js';
import { GEORADIUSBYMEMBER_RO } from './GEORADIUSBYMEMBER_RO.js';
import { GEOSEARCH } from './GEOSEARCH.js';
import { GEOSEARCHSTORE } from './GEOSEARCHSTORE.js';

/**
 * The geo family (Redis's `geo` group): positions stored in sorted sets, each member's score the 52-bit
 * geohash of its position, and searches that read the score ranges of the cells around an area.
 */
export const geoCommands: readonly CommandDef[] = [
  GEOADD,
  GEODIST,
  GEOHASH,
  GEOPOS,
  GEORADIUS,
  GEORADIUS_RO,
  GEORADIUSBYMEMBER,
  GEORADIUSBYMEMBER_RO,
  GEOSEARCH,
  GEOSEARCHSTORE,
];
