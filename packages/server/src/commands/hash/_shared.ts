import { errorReply } from '../../errors.js';
import { TYPE_HASH } from '../../keyspace/collections.js';
import {
  collectionWritesAllowed,
  elementValue,
  getElement,
  type OpenCollection,
  openOrCreateAt,
  putElement,
} from '../_collection.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from '../spec.js';

/** What the hash commands share. */
export const base = {
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
} as const satisfies Partial<CommandSpec>;

/**
 * Redis converts a hash from listpack to hashtable, for good, when a field or value is longer than
 * hash-max-listpack-value or it has more than hash-max-listpack-entries fields.
 */
export function convertIfLarge(c: CommandContext, coll: OpenCollection, longest: number): void {
  if (coll.large) return;
  const config = c.server.config;
  if (longest > config['hash-max-listpack-value'] || coll.count > config['hash-max-listpack-entries']) {
    coll.large = true;
  }
}

/**
 * The hash at argument 1 for a write, created when missing, or undefined once an error has been
 * replied (WRONGTYPE, or log mode).
 */
export function hashForWrite(c: CommandContext): OpenCollection | undefined {
  if (!collectionWritesAllowed(c)) return undefined;
  return openOrCreateAt(c, 1, TYPE_HASH);
}

/**
 * Sets field argument f to `value`; returns whether it is new. `value` may be a view of the arguments:
 * the element's entry is a copy.
 */
export function setField(c: CommandContext, coll: OpenCollection, f: number, value: Uint8Array): boolean {
  // A view: the element's stored key and entry copy the name.
  const field = c.args.arg(f);
  const isNew = putElement(c, coll, field, value);
  convertIfLarge(c, coll, Math.max(field.length, value.length));
  return isNew;
}

/** A field's value (copied), or undefined. */
export function fieldValue(c: CommandContext, coll: OpenCollection, f: number): Buffer | undefined {
  const a = c.args;
  const record = getElement(c, coll, a.buffer, a.argStart(f), a.argEnd(f));
  return record === undefined ? undefined : Buffer.from(elementValue(record));
}

export const notHashInteger = (): string => errorReply('hashValueNotInteger');
