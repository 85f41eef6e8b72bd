import type { CommandDef } from '../spec.js';
import { BITCOUNT } from './BITCOUNT.js';
import { BITFIELD } from './BITFIELD.js';
import { BITFIELD_RO } from './BITFIELD_RO.js';
import { BITOP } from './BITOP.js';
import { BITPOS } from './BITPOS.js';
import { GETBIT } from './GETBIT.js';
import { SETBIT } from './SETBIT.js';

/**
 * The bitmap family (Redis's `bitmap` group): commands that treat a string value as an array of bits or
 * of packed integers. The values are plain strings: GET, SET and the string commands see the same bytes.
 */
export const bitmapCommands: readonly CommandDef[] = [
  BITCOUNT,
  BITFIELD,
  BITFIELD_RO,
  BITOP,
  BITPOS,
  GETBIT,
  SETBIT,
];
