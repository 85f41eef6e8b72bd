import { errorReply } from '../../errors.js';
import { TYPE_NAMES, typeOf } from '../../keyspace/collections.js';
import { expiryOf } from '../../keyspace/encoding.js';
import { globMatch } from '../../keyspace/glob.js';
import { integerArg, isToken } from '../_args.js';
import { command } from '../spec.js';

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * A cursor as redis-server 7.0's parseScanCursorOrReply reads it with strtoul: no leading space, an
 * optional sign (a negative cursor wraps around: -1 is 2^64 - 1), decimal digits up to 2^64 - 1, and
 * nothing after them until the end of the C string (a NUL byte ends it). Without any digit the cursor
 * is 0 if the C string is empty, else invalid. Null when invalid.
 */
export function scanCursor(text: string): bigint | null {
  const nul = text.indexOf('\0');
  const m = /^([+-]?)([0-9]*)$/.exec(nul < 0 ? text : text.slice(0, nul));
  if (m === null) return null;
  const [, sign, digits] = m as unknown as [string, string, string];
  if (digits === '') return sign === '' ? 0n : null;
  const n = BigInt(digits);
  if (n > ULONG_MAX) return null;
  return sign === '-' ? (ULONG_MAX + 1n - n) % (ULONG_MAX + 1n) : n;
}

export const SCAN = command(
  {
    name: 'scan',
    group: 'generic',
    summary: 'Iterates over the key names in the database.',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration.',
    arity: -2,
    flags: ['readonly'],
    arguments: [
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'type', type: 'string', token: 'TYPE', optional: true },
    ],
    reply: {
      resp2:
        'Array of two: the next cursor as a bulk string ("0" when the scan is complete), and an array of keys.',
      resp3:
        'Array of two: the next cursor as a bulk string ("0" when the scan is complete), and an array of keys.',
    },
    errors: ['invalidCursor', 'syntax', 'notInteger'],
    example: ['> SCAN 0 MATCH user:* COUNT 100', '1) "0"', '2) 1) "user:1"', '   2) "user:2"'],
    barrier: true,
  },
  (c) => {
    const a = c.args;
    const cursor = scanCursor(a.argString(1, 'latin1'));
    if (cursor === null) {
      c.out.error(errorReply('invalidCursor'));
      return;
    }
    let pattern: Buffer | null = null;
    let count = 10;
    let type: string | null = null;
    for (let j = 2; j < a.argc; j += 2) {
      if (j + 1 >= a.argc) {
        c.out.error(errorReply('syntax'));
        return;
      }
      if (isToken(c, j, 'match')) {
        pattern = a.argCopy(j + 1);
      } else if (isToken(c, j, 'count')) {
        const n = integerArg(c, j + 1);
        if (n === null) {
          c.out.error(errorReply('notInteger'));
          return;
        }
        if (n < 1) {
          c.out.error(errorReply('syntax'));
          return;
        }
        count = n;
      } else if (isToken(c, j, 'type')) {
        type = a.argString(j + 1).toLowerCase();
      } else {
        c.out.error(errorReply('syntax'));
        return;
      }
    }
    const cursors = c.server.cursors;
    // Cursors handed out are small integers: any other one is unknown, and the scan starts over.
    const after =
      cursor === 0n || cursor > BigInt(Number.MAX_SAFE_INTEGER)
        ? undefined
        : cursors.resolve(c.db.index, Number(cursor));
    const keys: Buffer[] = [];
    let examined = 0;
    let last: Buffer | undefined;
    let more = false;
    for (const entry of c.db.entries(after)) {
      if (examined === count) {
        more = true;
        break;
      }
      examined++;
      last = entry.stored;
      const expiresAt = expiryOf(entry.record);
      if (expiresAt !== 0 && expiresAt <= c.now) continue;
      if (type !== null && type !== TYPE_NAMES[typeOf(entry.record)]) continue;
      if (pattern !== null && !globMatch(pattern, entry.key)) continue;
      keys.push(entry.key);
    }
    c.out.arrayHeader(2);
    c.out.bulkString(more && last !== undefined ? String(cursors.issue(c.db.index, Buffer.from(last))) : '0');
    c.out.arrayHeader(keys.length);
    for (const k of keys) c.out.bulk(k);
  },
);
