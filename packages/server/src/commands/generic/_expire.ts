import { errorReply } from '../../errors.js';
import { expiryOf, withExpiry } from '../../keyspace/encoding.js';
import { bigintArg, isToken, LLONG_MAX, LLONG_MIN } from '../_args.js';
import { NOTIFY_GENERIC, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import type { ArgSpec } from '../spec.js';

export const expireConditionArg: ArgSpec = {
  name: 'condition',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'nx', type: 'pure-token', token: 'NX' },
    { name: 'xx', type: 'pure-token', token: 'XX' },
    { name: 'gt', type: 'pure-token', token: 'GT' },
    { name: 'lt', type: 'pure-token', token: 'LT' },
  ],
};

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT, as redis-server's expireGenericCommand: options NX, XX, GT,
 * LT (a key without expiry counts as expiring never); a time already past deletes the key.
 */
export function expireGeneric(
  c: CommandContext,
  name: string,
  unitSeconds: boolean,
  relative: boolean,
): void {
  const a = c.args;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let j = 3; j < a.argc; j++) {
    if (isToken(c, j, 'nx')) nx = true;
    else if (isToken(c, j, 'xx')) xx = true;
    else if (isToken(c, j, 'gt')) gt = true;
    else if (isToken(c, j, 'lt')) lt = true;
    else {
      c.out.error(errorReply('unsupportedOption', a.argString(j)));
      return;
    }
  }
  if (nx && (xx || gt || lt)) {
    c.out.error(errorReply('nxAndOthers'));
    return;
  }
  if (gt && lt) {
    c.out.error(errorReply('gtAndLt'));
    return;
  }
  let when = bigintArg(c, 2);
  if (when === null) {
    c.out.error(errorReply('notInteger'));
    return;
  }
  if (unitSeconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) {
      c.out.error(errorReply('invalidExpire', name));
      return;
    }
    when *= 1000n;
  }
  if (relative) {
    if (when > LLONG_MAX - BigInt(c.now)) {
      c.out.error(errorReply('invalidExpire', name));
      return;
    }
    when += BigInt(c.now);
  }
  const s = a.argStart(1);
  const e = a.argEnd(1);
  const record = c.db.get(a.buffer, s, e, c.now);
  if (record === undefined) {
    c.out.integer(0);
    return;
  }
  const current = expiryOf(record);
  const at = Number(when);
  if (
    (nx && current !== 0) ||
    (xx && current === 0) ||
    (gt && (current === 0 || at <= current)) ||
    (lt && current !== 0 && at >= current)
  ) {
    c.out.integer(0);
    return;
  }
  if (at <= c.now) {
    c.db.delete(a.buffer, s, e);
    notify(c, NOTIFY_GENERIC, 'del', 1);
  } else {
    c.db.put(a.buffer, s, e, withExpiry(record, at));
    c.out.integer(1);
    notify(c, NOTIFY_GENERIC, 'expire', 1);
    return;
  }
  c.out.integer(1);
}
