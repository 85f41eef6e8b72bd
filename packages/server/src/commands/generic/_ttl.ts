import { expiryOf } from '../../keyspace/encoding.js';
import { LLONG_MAX, recordAt } from '../_args.js';
import type { CommandContext } from '../context.js';

/**
 * An expiry time as redis-server's long long. Records keep it as a double, which cannot hold LLONG_MAX:
 * PEXPIREAT 9223372036854775807 is stored as 2^63, and read back clamped to LLONG_MAX so that it
 * round-trips exactly. Other times past 2^53 ms keep only a double's precision (compatibility page).
 */
function expiryMs(at: number): bigint {
  const ms = BigInt(at);
  return ms > LLONG_MAX ? LLONG_MAX : ms;
}

/**
 * TTL, PTTL, EXPIRETIME and PEXPIRETIME, as redis-server's ttlGenericCommand: -2 for a missing key, -1 for
 * no expiry, else the time left (`absolute`: the time of expiry), never below 0; in seconds rounded to
 * the nearest, (ms + 500) / 1000.
 */
export function replyTtl(c: CommandContext, milliseconds: boolean, absolute = false): void {
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
  let ms = expiryMs(expiresAt);
  if (!absolute) ms -= BigInt(c.now);
  if (ms < 0n) ms = 0n;
  // redis-server's (ttl + 500) / 1000 cannot overflow for ttl ≥ 0 (it is computed unsigned).
  c.out.integer(milliseconds ? ms : (ms + 500n) / 1000n);
}
