/**
 * How a command announces its writes (keyspace notifications, pubsub/notify.ts): `notify(c, class,
 * event, key)` once the write is done, in the order redis-server announces them. It costs one test
 * while notify-keyspace-events is empty.
 */
import type { Database } from '../keyspace/keyspace.js';
import {
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_LIST,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
} from '../pubsub/notify.js';
import type { CommandContext } from './context.js';

/** The classes commands announce their events in. */
export {
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_LIST,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
};

/**
 * Announces `event` (of class `type`) on a key of `db` (the selected database by default): the key at
 * argument `key`, or the key's bytes.
 */
export function notify(
  c: CommandContext,
  type: number,
  event: string,
  key: number | Uint8Array,
  db: Database = c.db,
): void {
  const notifier = c.server.keyspace.notifier;
  if ((notifier.flags & type) === 0) return;
  notifier.notify(type, event, typeof key === 'number' ? c.args.arg(key) : key, db.index);
}

/**
 * Before a command stores `key` of `db` as a new key, replacing what it held (RENAME, COPY REPLACE,
 * RESTORE REPLACE): redis-server deletes the old key and adds the new one, so it announces `new` even
 * when the key existed (the keyspace announces it by itself when the key did not exist).
 */
export function announceReplacing(c: CommandContext, key: Uint8Array, db: Database = c.db): void {
  const notifier = c.server.keyspace.notifier;
  if (!notifier.wants(NOTIFY_NEW)) return;
  if (db.get(key, 0, key.length, c.now) !== undefined) notifier.notify(NOTIFY_NEW, 'new', key, db.index);
}

/**
 * After a write to a collection stored back with `saveAt`: announces `event`, then `del` when the
 * collection became empty and its key went with it, as redis-server does.
 */
export function notifyCollection(
  c: CommandContext,
  type: number,
  event: string,
  key: number | Uint8Array,
  coll: { readonly count: number; readonly created: boolean },
  db: Database = c.db,
): void {
  if ((c.server.keyspace.notifier.flags & (type | NOTIFY_GENERIC)) === 0) return;
  notify(c, type, event, key, db);
  if (coll.count === 0 && !coll.created) notify(c, NOTIFY_GENERIC, 'del', key, db);
}
