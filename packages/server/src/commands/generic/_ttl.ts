import { expiryOf } from '../../keyspace/encoding.js';
import { recordAt } from '../_args.js';
import type { CommandContext } from '../context.js';

/** TTL and PTTL: -2 for a missing key, -1 for no expiry, else the time left. */
export function replyTtl(c: CommandContext, milliseconds: boolean): void {
  const record = recordAt(c, 1);
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
