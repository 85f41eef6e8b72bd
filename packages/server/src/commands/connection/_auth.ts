import { createHash, timingSafeEqual } from 'node:crypto';
import type { CommandContext } from '../context.js';

const digest = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

/**
 * Whether `password` is the configured password, compared in constant time (both sides hashed first so
 * that their lengths match). With no password configured, the default user accepts any password.
 */
export function checkPassword(c: CommandContext, password: Uint8Array): boolean {
  const configured = c.server.config.requirepass;
  if (configured === '') return true;
  return timingSafeEqual(digest(password), digest(configured));
}

/** Redis's only user without ACLs is `default`. */
export function isDefaultUser(user: Buffer): boolean {
  return user.toString('latin1') === 'default';
}

/** Client names: printable ASCII without spaces, as redis-server requires. */
export function validClientName(name: Uint8Array): boolean {
  for (const b of name) if (b < 0x21 || b > 0x7e) return false;
  return true;
}
