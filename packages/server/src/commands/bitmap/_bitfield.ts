/**
 * BITFIELD and BITFIELD_RO (redis-server's bitfieldGeneric): every operation is read and checked first,
 * then they run in order against one copy of the value, written once at the end.
 */
import { errorReply } from '../../errors.js';
import { bigintArg, stringAt } from '../_args.js';
import { NOTIFY_NEW, NOTIFY_STRING, notify } from '../_notify.js';
import type { CommandContext } from '../context.js';
import { valueStart } from '../string/_shared.js';
import {
  type BitTarget,
  bitfieldTypeOrReply,
  bitOffsetOrReply,
  bitTarget,
  getUnsigned,
  isCToken,
  putBitmap,
  setUnsigned,
} from './_shared.js';

const GET = 0;
const SET = 1;
const INCRBY = 2;

const WRAP = 0;
const SAT = 1;
const FAIL = 2;

const INT64_MAX = 2n ** 63n - 1n;

interface Operation {
  readonly opcode: number;
  readonly offset: number;
  readonly signed: boolean;
  readonly bits: number;
  /** SET's value or INCRBY's increment. */
  readonly value: bigint;
  readonly overflow: number;
}

/** What an overflow check found: 1 above the range, -1 below, 0 neither; `limit` then holds what to store. */
let limit = 0n;

/**
 * checkUnsignedBitfieldOverflow: `value` (a uint64) plus `incr` (an int64) against a `bits`-wide unsigned
 * range, with redis-server's 64-bit wrapping of the bounds it compares with.
 */
function unsignedOverflow(value: bigint, incr: bigint, bits: number, overflow: number): number {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncr = BigInt.asIntN(64, max - value);
  const minIncr = BigInt.asIntN(64, -value);
  let result = 0;
  if (value > max || (incr > 0n && incr > maxIncr)) result = 1;
  else if (incr < 0n && incr < minIncr) result = -1;
  if (result !== 0) {
    if (overflow === WRAP) limit = BigInt.asUintN(bits, value + incr);
    else if (overflow === SAT) limit = result === 1 ? max : 0n;
  }
  return result;
}

/** checkSignedBitfieldOverflow, likewise, for a `bits`-wide signed range. */
function signedOverflow(value: bigint, incr: bigint, bits: number, overflow: number): number {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncr = BigInt.asIntN(64, max - value);
  const minIncr = BigInt.asIntN(64, min - value);
  let result = 0;
  if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) {
    result = 1;
  } else if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) {
    result = -1;
  }
  if (result !== 0) {
    if (overflow === WRAP) limit = BigInt.asIntN(bits, value + incr);
    else if (overflow === SAT) limit = result === 1 ? max : min;
  }
  return result;
}

/** Reads the operations from argument 2 on; replies the first error and returns null. */
function parse(c: CommandContext): { ops: Operation[]; writes: boolean; highest: number } | null {
  const argc = c.args.argc;
  const ops: Operation[] = [];
  let overflow = WRAP;
  let writes = false;
  let highest = 0;
  for (let j = 2; j < argc; j++) {
    const left = argc - j - 1;
    let opcode: number;
    if (isCToken(c, j, 'get') && left >= 2) opcode = GET;
    else if (isCToken(c, j, 'set') && left >= 3) opcode = SET;
    else if (isCToken(c, j, 'incrby') && left >= 3) opcode = INCRBY;
    else if (isCToken(c, j, 'overflow') && left >= 1) {
      j++;
      if (isCToken(c, j, 'wrap')) overflow = WRAP;
      else if (isCToken(c, j, 'sat')) overflow = SAT;
      else if (isCToken(c, j, 'fail')) overflow = FAIL;
      else {
        c.out.error(errorReply('bitfieldOverflow'));
        return null;
      }
      continue;
    } else {
      c.out.error(errorReply('syntax'));
      return null;
    }
    const type = bitfieldTypeOrReply(c, j + 1);
    if (type === null) return null;
    const offset = bitOffsetOrReply(c, j + 2, type.bits);
    if (offset < 0) return null;
    let value = 0n;
    if (opcode !== GET) {
      writes = true;
      highest = Math.max(highest, offset + type.bits - 1);
      const n = bigintArg(c, j + 3);
      if (n === null) {
        c.out.error(errorReply('notInteger'));
        return null;
      }
      value = n;
    }
    ops.push({ opcode, offset, signed: type.signed, bits: type.bits, value, overflow });
    j += opcode === GET ? 2 : 3;
  }
  return { ops, writes, highest };
}

/**
 * Runs one SET or INCRBY on `target`, replies, and tells whether it changed the value; null when it
 * failed (OVERFLOW FAIL).
 */
function write(c: CommandContext, op: Operation, target: BitTarget): boolean | null {
  const buf = target.value;
  const raw = getUnsigned(buf, op.offset, op.bits);
  const old = op.signed ? BigInt.asIntN(op.bits, raw) : raw;
  let next: bigint;
  let reply: bigint;
  let over: number;
  if (op.opcode === INCRBY) {
    over = op.signed
      ? signedOverflow(old, op.value, op.bits, op.overflow)
      : unsignedOverflow(old, op.value, op.bits, op.overflow);
    next = over !== 0 ? limit : op.signed ? old + op.value : BigInt.asUintN(64, old + op.value);
    reply = next;
  } else {
    next = op.signed ? op.value : BigInt.asUintN(64, op.value);
    over = op.signed
      ? signedOverflow(next, 0n, op.bits, op.overflow)
      : unsignedOverflow(next, 0n, op.bits, op.overflow);
    if (over !== 0) next = limit;
    reply = old;
  }
  if (over !== 0 && op.overflow === FAIL) {
    c.out.nullBulk();
    return null;
  }
  c.out.integer(reply);
  setUnsigned(buf, op.offset, op.bits, next);
  return old !== next;
}

/** BITFIELD, or BITFIELD_RO (`readOnly`: only GET is allowed). */
export function bitfield(c: CommandContext, readOnly: boolean): void {
  const parsed = parse(c);
  if (parsed === null) return;
  const { ops, writes, highest } = parsed;
  let source: Buffer | undefined;
  let target: BitTarget | undefined;
  if (!writes) {
    const record = stringAt(c, 1);
    if (record === null) return;
    source = record?.subarray(valueStart(record));
  } else {
    if (readOnly) {
      c.out.error(errorReply('bitfieldReadOnly'));
      return;
    }
    const record = stringAt(c, 1);
    if (record === null) return;
    target = bitTarget(record, Math.floor(highest / 8) + 1);
    source = target.value;
    // redis-server creates the key before the operations reply: its `new` comes first.
    if (record === undefined && c.server.keyspace.notifier.wants(NOTIFY_NEW)) putBitmap(c, target);
  }
  c.out.arrayHeader(ops.length);
  let changes = 0;
  let applied = 0;
  for (const op of ops) {
    if (op.opcode !== GET) {
      const changed = write(c, op, target as BitTarget);
      if (changed !== null) applied++;
      if (changed) changes++;
      continue;
    }
    const raw = source === undefined ? 0n : getUnsigned(source, op.offset, op.bits);
    c.out.integer(op.signed ? BigInt.asIntN(op.bits, raw) : raw);
  }
  // redis-server created or grew the value before running the operations, and made it raw: the key
  // stays so even when every write failed.
  if (target !== undefined && (changes > 0 || target.grown || target.unshared)) putBitmap(c, target);
  if (applied > 0) notify(c, NOTIFY_STRING, 'setbit', 1);
}
