/**
 * Keyspace notifications, as redis-server 7.0's notify.c publishes them: a write announces itself on
 * `__keyspace@<db>__:<key>` (the message is the event's name) and on `__keyevent@<db>__:<event>` (the
 * message is the key), through Pub/Sub, when the `notify-keyspace-events` setting turns on the event's
 * class and at least one of the two channels (K, E).
 *
 * Commands announce their writes with `CommandContext.notify` once the write is done; the keyspace
 * announces the creation of a key (`new`), lazy and active expiry (`expired`) and the writes log mode
 * applies from Kafka. Everything costs one test of `flags` while the setting is empty.
 */

/** The classes, with redis-server's bit values (server.h's NOTIFY_*). */
export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_MODULE = 1 << 12; // d
export const NOTIFY_NEW = 1 << 13; // n
/** `A`: every class but key misses (m) and new keys (n). */
export const NOTIFY_ALL =
  NOTIFY_GENERIC |
  NOTIFY_STRING |
  NOTIFY_LIST |
  NOTIFY_SET |
  NOTIFY_HASH |
  NOTIFY_ZSET |
  NOTIFY_EXPIRED |
  NOTIFY_EVICTED |
  NOTIFY_STREAM |
  NOTIFY_MODULE;

/** Each class's character, in the order redis-server prints them (after `A`'s place). */
const CLASS_CHARS: readonly (readonly [string, number])[] = [
  ['g', NOTIFY_GENERIC],
  ['$', NOTIFY_STRING],
  ['l', NOTIFY_LIST],
  ['s', NOTIFY_SET],
  ['h', NOTIFY_HASH],
  ['z', NOTIFY_ZSET],
  ['x', NOTIFY_EXPIRED],
  ['e', NOTIFY_EVICTED],
  ['t', NOTIFY_STREAM],
  ['d', NOTIFY_MODULE],
  ['n', NOTIFY_NEW],
];

const BY_CHAR: ReadonlyMap<string, number> = new Map([
  ['A', NOTIFY_ALL],
  ...CLASS_CHARS,
  ['K', NOTIFY_KEYSPACE],
  ['E', NOTIFY_KEYEVENT],
  ['m', NOTIFY_KEY_MISS],
]);

/** The problem redis-server reports for a character that names no class. */
export const INVALID_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** keyspaceEventsStringToFlags: the classes `text` names, or null when a character names none. */
export function parseKeyspaceEvents(text: string): number | null {
  let flags = 0;
  for (const ch of text) {
    const flag = BY_CHAR.get(ch);
    if (flag === undefined) return null;
    flags |= flag;
  }
  return flags;
}

/**
 * keyspaceEventsFlagsToString: the classes as CONFIG GET shows them. `A` stands for all its classes and
 * then hides `n` (redis-server's own quirk: `KEAn` reads back as `AKE`, though new keys are announced).
 */
export function formatKeyspaceEvents(flags: number): string {
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) out = 'A';
  else for (const [ch, flag] of CLASS_CHARS) if (flags & flag) out += ch;
  if (flags & NOTIFY_KEYSPACE) out += 'K';
  if (flags & NOTIFY_KEYEVENT) out += 'E';
  if (flags & NOTIFY_KEY_MISS) out += 'm';
  return out;
}

/** Publishes on a channel, as PUBLISH does; `publisherId` names the connection whose command runs (0: none). */
export type Publish = (channel: Buffer, message: Buffer, publisherId: number) => void;

const KEYSPACE_PREFIX = '__keyspace@';
const KEYEVENT_PREFIX = '__keyevent@';

/**
 * The notifications' switch and their way into Pub/Sub. One per server, held by the keyspace so that
 * expiry and log mode reach it too.
 */
export class Notifier {
  /** The classes on (notify-keyspace-events); 0 turns everything off. */
  flags = 0;
  /**
   * The connection whose command runs now (0 between commands): a notification it receives itself goes
   * into its reply, before the command's reply, as redis-server does with a RESP3 subscriber.
   */
  publisherId = 0;
  /** The running command's time (ms), for the reads the keyspace makes to announce new keys. */
  now = 0;
  private publishFn: Publish = () => {};
  /** Event names as bytes, made once each. */
  private readonly names = new Map<string, Buffer>();

  /** Where notifications go (the server's Pub/Sub registry). */
  connect(publish: Publish): void {
    this.publishFn = publish;
  }

  /** Whether any of `type`'s classes would publish: check before work done only to notify. */
  wants(type: number): boolean {
    return (this.flags & type) !== 0 && (this.flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) !== 0;
  }

  /**
   * notifyKeyspaceEvent: announces `event` of class `type` on `key` of database `db`. `publisherId`
   * defaults to the connection whose command runs now.
   */
  notify(type: number, event: string, key: Uint8Array, db: number, publisherId = this.publisherId): void {
    const flags = this.flags;
    if ((flags & type) === 0) return;
    let name = this.names.get(event);
    if (name === undefined) {
      name = Buffer.from(event, 'latin1');
      this.names.set(event, name);
    }
    const keyBytes = Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    if (flags & NOTIFY_KEYSPACE) {
      const channel = Buffer.concat([Buffer.from(`${KEYSPACE_PREFIX}${db}__:`, 'latin1'), keyBytes]);
      this.publishFn(channel, name, publisherId);
    }
    if (flags & NOTIFY_KEYEVENT) {
      const channel = Buffer.from(`${KEYEVENT_PREFIX}${db}__:${event}`, 'latin1');
      this.publishFn(channel, keyBytes, publisherId);
    }
  }
}
