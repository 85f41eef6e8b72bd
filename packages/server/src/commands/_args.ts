import { parseLength } from '@sluice/protocol';
import type { Client } from '../client.js';
import type { Database } from '../keyspace/keyspace.js';

const tokens = new Map<string, Buffer>();

/** Whether argument i is `word` (lowercase), ignoring case. */
export function isToken(c: Client, i: number, word: string): boolean {
  let bytes = tokens.get(word);
  if (bytes === undefined) {
    bytes = Buffer.from(word, 'latin1');
    tokens.set(word, bytes);
  }
  return c.args.argEqualsIgnoreCase(i, bytes);
}

/**
 * Argument i as a 64-bit integer, parsed as redis-server's string2ll does (no sign but '-', no spaces,
 * no leading zeros), or null. Values past 2^53 keep their magnitude but not every digit.
 */
export function integerArg(c: Client, i: number): number | null {
  const a = c.args;
  const start = a.offsets[2 * i] as number;
  const end = a.offsets[2 * i + 1] as number;
  const n = parseLength(a.buffer, start, end);
  if (!Number.isNaN(n)) return n;
  // parseLength stops at 2^63, where doubles cannot tell LLONG_MAX apart: check those few exactly.
  if (end - start < 19 || end - start > 20) return null;
  const text = a.buffer.toString('latin1', start, end);
  if (!/^-?[1-9][0-9]*$/.test(text)) return null;
  const big = BigInt(text);
  return big >= -(2n ** 63n) && big <= 2n ** 63n - 1n ? Number(big) : null;
}

const LLONG_MIN = -(2n ** 63n);
const LLONG_MAX = 2n ** 63n - 1n;

/** Argument i as an exact 64-bit integer (string2ll rules), or null. */
export function bigintArg(c: Client, i: number): bigint | null {
  if (integerArg(c, i) === null) return null;
  const n = BigInt(c.args.argString(i, 'latin1'));
  return n < LLONG_MIN || n > LLONG_MAX ? null : n;
}

/**
 * The record of the key at argument i (in `db`, by default the selected database), or undefined.
 * It may be lmdb-js's shared read buffer: use it before the next read.
 */
export function recordAt(c: Client, i: number, db: Database = c.db): Buffer | undefined {
  const a = c.args;
  return db.get(a.buffer, a.offsets[2 * i] as number, a.offsets[2 * i + 1] as number, c.now);
}

/** The key at argument i as its bounds in `c.args.buffer`. */
export function keyStart(c: Client, i: number): number {
  return c.args.offsets[2 * i] as number;
}

export function keyEnd(c: Client, i: number): number {
  return c.args.offsets[2 * i + 1] as number;
}
