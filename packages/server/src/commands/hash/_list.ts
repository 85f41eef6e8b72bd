import { TYPE_HASH } from '../../keyspace/collections.js';
import { allElements, openAt } from '../_collection.js';
import type { CommandContext } from '../context.js';

/** HGETALL, HKEYS and HVALS: every field and/or value, in Redis's order (insertion order while small). */
export function listHash(c: CommandContext, fields: boolean, values: boolean): void {
  const coll = openAt(c, 1, TYPE_HASH);
  if (coll === undefined) return;
  const elements = coll === null ? [] : allElements(c, coll);
  const out = c.out;
  if (fields && values) out.mapHeader(elements.length);
  else out.arrayHeader(elements.length);
  for (const e of elements) {
    if (fields) out.bulk(e.name);
    if (values) out.bulk(e.value);
  }
}
