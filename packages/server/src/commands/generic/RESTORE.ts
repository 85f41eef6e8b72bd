import { errorReply } from '../../errors.js';
import { TYPE_HASH, TYPE_LIST, TYPE_SET, TYPE_ZSET } from '../../keyspace/collections.js';
import { encodeRecord } from '../../keyspace/encoding.js';
import { verifiedBody } from '../../rdb.js';
import { bigintArg, deleteAt, isToken, recordAt } from '../_args.js';
import { newCollection, putElement, saveAt } from '../_collection.js';
import { announceReplacing, NOTIFY_GENERIC, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { push, saveListAt } from '../list/_shared.js';
import { wouldBeIntset } from '../set/_shared.js';
import { insertElements, saveZset } from '../sortedset/_shared.js';
import { command } from '../spec.js';
import { restoreStream } from '../stream/_dump.js';
import { type DumpedValue, deserialize } from './_dump.js';

export const RESTORE = command(
  {
    name: 'restore',
    group: 'generic',
    summary:
      "Creates a key from a DUMP payload (Sluice's or redis-server's: strings, hashes, sets, lists, sorted sets and streams, in their plain and compact encodings).",
    since: '2.6.0',
    complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value.',
    arity: -4,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'ttl', type: 'integer' },
      { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', optional: true },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', optional: true },
      { name: 'frequency', type: 'integer', token: 'FREQ', optional: true },
    ],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: [
      'syntax',
      'notInteger',
      'busyKey',
      'invalidTtl',
      'invalidIdletime',
      'invalidFreq',
      'badDumpPayload',
      'badDataFormat',
    ],
    example: ['> RESTORE k2 0 "\\x00\\xc0\\n\\n\\x00n\\x9fWE\\x0e\\xaec\\xbb"', 'OK', '> GET k2', '"10"'],
  },
  (c) => {
    const a = c.args;
    let replace = false;
    let absTtl = false;
    let idle = false;
    let freq = false;
    for (let j = 4; j < a.argc; j++) {
      const more = a.argc - j - 1;
      if (isToken(c, j, 'replace')) replace = true;
      else if (isToken(c, j, 'absttl')) absTtl = true;
      else if (isToken(c, j, 'idletime') && more >= 1 && !freq) {
        const n = bigintArg(c, j + 1);
        if (n === null) return c.out.error(errorReply('notInteger'));
        if (n < 0n) return c.out.error(errorReply('invalidIdletime'));
        idle = true;
        j++;
      } else if (isToken(c, j, 'freq') && more >= 1 && !idle) {
        const n = bigintArg(c, j + 1);
        if (n === null) return c.out.error(errorReply('notInteger'));
        if (n < 0n || n > 255n) return c.out.error(errorReply('invalidFreq'));
        freq = true;
        j++;
      } else {
        return c.out.error(errorReply('syntax'));
      }
    }
    const exists = recordAt(c, 1) !== undefined;
    if (!replace && exists) return c.out.error(errorReply('busyKey'));
    const ttl = bigintArg(c, 2);
    if (ttl === null) return c.out.error(errorReply('notInteger'));
    if (ttl < 0n) return c.out.error(errorReply('invalidTtl'));
    const payload = a.arg(3);
    if (verifiedBody(payload) === null) return c.out.error(errorReply('badDumpPayload'));
    // Read as redis-server reads it: a value cut short goes on into the version and checksum bytes.
    const value = deserialize(payload);
    if (value === null) return c.out.error(errorReply('badDataFormat'));
    const expiresAt = ttl === 0n ? 0 : Number(absTtl ? ttl : ttl + BigInt(c.now));
    if (expiresAt !== 0 && expiresAt <= c.now) {
      // Already expired: the key is not created (and a replaced one is gone), as in redis-server.
      if (exists) {
        deleteAt(c, 1);
        notify(c, NOTIFY_GENERIC, 'del', 1);
      }
      return c.out.ok();
    }
    if (exists) announceReplacing(c, a.arg(1));
    restoreValue(c, value, expiresAt);
    notify(c, NOTIFY_GENERIC, 'restore', 1);
    c.out.ok();
  },
);

/**
 * Creates the key at argument 1 (of `c.db`) holding `value`, with Redis's encoding rules for what it
 * loads. Log mode also restores each collection record applied from the topic with it (log/values.ts).
 */
export function restoreValue(c: CommandContext, value: DumpedValue, expiresAt: number): void {
  const a = c.args;
  if (value.type === 'string') {
    const ks = a.argStart(1);
    const ke = a.argEnd(1);
    c.db.put(a.buffer, ks, ke, encodeRecord(a.buffer, ks, ke, value.value, 0, value.value.length, expiresAt));
    return;
  }
  const config = c.server.config;
  if (value.type === 'stream') {
    restoreStream(c, value, expiresAt);
    return;
  }
  if (value.type === 'list') {
    const list = newCollection(c, TYPE_LIST);
    for (const item of value.items) push(c, list, item, false);
    list.expiresAt = expiresAt;
    saveListAt(c, 1, list);
    return;
  }
  if (value.type === 'hash') {
    const coll = newCollection(c, TYPE_HASH);
    let longest = 0;
    for (const [field, v] of value.pairs) {
      putElement(c, coll, field, v);
      longest = Math.max(longest, field.length, v.length);
    }
    coll.large =
      coll.count > config['hash-max-listpack-entries'] ||
      (value.encoding === 'plain' && longest > config['hash-max-listpack-value']);
    coll.expiresAt = expiresAt;
    saveAt(c, 1, coll);
    return;
  }
  if (value.type === 'zset') {
    // As rdbLoadObject converts what it loads: members with text or binary scores make a listpack when
    // few and short enough; a listpack or ziplist stays one unless it has too many members.
    const z = newCollection(c, TYPE_ZSET);
    const n = value.elements.length;
    const longest = value.elements.reduce((max, e) => Math.max(max, e.member.length), 0);
    z.large =
      n > config['zset-max-listpack-entries'] ||
      (value.encoding === 'plain' && longest > config['zset-max-listpack-value']);
    insertElements(c, z, value.elements, { convert: false, signedZero: value.encoding === 'listpack' });
    z.expiresAt = expiresAt;
    saveZset(c, 1, z);
    return;
  }
  const coll = newCollection(c, TYPE_SET);
  for (const member of value.members) putElement(c, coll, member);
  coll.large = !wouldBeIntset(c, value.members);
  coll.expiresAt = expiresAt;
  saveAt(c, 1, coll);
}
