import { errorReply } from '../../errors.js';
import { elementName, TYPE_HASH } from '../../keyspace/collections.js';
import { integerArg, isToken } from '../_args.js';
import { allElements, type Element, openAt } from '../_collection.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import { base } from './_shared.js';

/** LONG_MAX: the count's bounds are ±LONG_MAX, and ±LONG_MAX/2 with WITHVALUES. */
const LONG_MAX = 9223372036854775807n;

export const HRANDFIELD = command(
  {
    ...base,
    name: 'hrandfield',
    summary:
      'Returns random fields of a hash: one, or `count` distinct ones (a negative count allows repeats), with their values on WITHVALUES.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of fields returned (Sluice reads the whole hash for a count).',
    arity: -2,
    flags: ['readonly'],
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'options',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'count', type: 'integer' },
          { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true },
        ],
      },
    ],
    reply: {
      resp2:
        'Without count: a bulk string, or a null bulk string for a missing key. With count: an array of fields (fields and values alternating with WITHVALUES).',
      resp3:
        'Without count: a bulk string, or null for a missing key. With count: an array of fields, or with WITHVALUES of [field, value] pairs.',
    },
    errors: ['wrongType', 'notInteger', 'syntax', 'valueOutOfRange', 'longRange'],
    example: ['> HSET h a 1 b 2', '(integer) 2', '> HRANDFIELD h 5', '1) "a"', '2) "b"'],
  },
  (c) => {
    const a = c.args;
    const out = c.out;
    if (a.argc === 2) {
      const coll = openAt(c, 1, TYPE_HASH);
      if (coll === undefined) return;
      if (coll === null) return out.nullBulk();
      // Without reading every field, unless the keyspace cannot pick so (Keyspace.randomElement).
      const picked = c.server.keyspace.randomElement(coll.id, coll.count);
      if (picked !== undefined) return out.bulk(elementName(picked.stored, picked.record));
      const elements = allElements(c, coll);
      out.bulk((elements[Math.floor(Math.random() * elements.length)] as Element).name);
      return;
    }
    const n = integerArg(c, 2);
    if (n === null) {
      out.error(errorReply('notInteger'));
      return;
    }
    const count = BigInt(a.argString(2));
    if (count < -LONG_MAX || count > LONG_MAX) {
      out.error(errorReply('longRange'));
      return;
    }
    if (a.argc > 4 || (a.argc === 4 && !isToken(c, 3, 'withvalues'))) {
      out.error(errorReply('syntax'));
      return;
    }
    const withValues = a.argc === 4;
    if (withValues && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
      out.error(errorReply('valueOutOfRange'));
      return;
    }
    randomFields(c, count, withValues);
  },
);

function randomFields(c: CommandContext, count: bigint, withValues: boolean): void {
  const out = c.out;
  const coll = openAt(c, 1, TYPE_HASH);
  if (coll === undefined) return;
  if (coll === null || count === 0n) {
    out.arrayHeader(0);
    return;
  }
  const elements = allElements(c, coll);
  const pairs = withValues && out.protocol === 3;
  const write = (e: Element) => {
    if (pairs) out.arrayHeader(2);
    out.bulk(e.name);
    if (withValues) out.bulk(e.value);
  };
  const items = (n: number) => (withValues && !pairs ? n * 2 : n);
  if (count < 0n || count === 1n) {
    // Repeats allowed (a negative count), or a single field.
    const n = Number(count < 0n ? -count : count);
    out.arrayHeader(items(n));
    for (let i = 0; i < n; i++) write(elements[Math.floor(Math.random() * elements.length)] as Element);
    return;
  }
  if (count >= BigInt(elements.length)) {
    // The whole hash, in its order.
    out.arrayHeader(items(elements.length));
    for (const e of elements) write(e);
    return;
  }
  // `count` distinct fields: a partial shuffle.
  const n = Number(count);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (elements.length - i));
    [elements[i], elements[j]] = [elements[j] as Element, elements[i] as Element];
  }
  out.arrayHeader(items(n));
  for (let i = 0; i < n; i++) write(elements[i] as Element);
}
