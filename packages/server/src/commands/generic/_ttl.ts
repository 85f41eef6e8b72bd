import { expiryOf } from '../../keyspace/encoding.js';
import type { CommandContext } from '../context.js';

/** TTL and PTTL: -2 for a missing key, -1 for no expiry, else the time left. */
export function replyTtl(c: CommandContext, milliseconds: boolean): void {
  const a = c.args;
  const record = c.db.get(a.buffer, a.offsets[2] as number, a.offsets[3] as number, c.now);
  if (record === undefined) {
    c.out.integer(-2);
    return;
  }
  const expiresAt = expiryOf(record);
  if (expiresAt === 0) {
    c.out.integer(-1);
    return;
  }
  const ttl = Math.max(0, expiresAt - c.now);
  c.out.integer(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
}
