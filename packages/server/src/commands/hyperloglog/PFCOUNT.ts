import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { stringAt } from '../_args.js';
import { namedRaw } from '../bitmap/_shared.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import { putKey, valueStart } from '../string/_shared.js';
import {
  cachedCount,
  cardinalityReply,
  count,
  countRegisters,
  HLL_REGISTERS,
  isHll,
  mergeInto,
  setCachedCount,
} from './_hll.js';

const registers = new Uint8Array(HLL_REGISTERS);

/**
 * Rewrites the value at key argument 1 as raw, as redis-server's dbUnshareStringValue leaves it (OBJECT
 * ENCODING), unless the disk refuses writes: PFCOUNT is a read.
 */
function unshare(c: CommandContext, record: Buffer, start: number): void {
  if (!c.server.keyspace.writesRefused)
    putKey(c, 1, record, start, record.length, expiryOf(record), FLAG_RAW);
}

export const PFCOUNT = command(
  {
    name: 'pfcount',
    group: 'hyperloglog',
    summary:
      'Estimates the number of distinct elements added to a HyperLogLog, or to the union of several (standard error 0.81%).',
    since: '2.8.9',
    complexity:
      'O(1) for one key whose estimate is cached; O(16384) to compute one, or for each key of several.',
    arity: -2,
    flags: ['readonly', 'may_replicate'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    reply: {
      resp2:
        'Integer: the estimate; 0 for missing keys. With one key, a stale cached estimate is computed and stored in the value (the key is written, as in redis-server); several keys are merged into a temporary HyperLogLog that is not stored.',
      resp3:
        'Integer: the estimate; 0 for missing keys. With one key, a stale cached estimate is computed and stored in the value (the key is written, as in redis-server); several keys are merged into a temporary HyperLogLog that is not stored.',
    },
    errors: ['wrongType', 'hllWrongType', 'hllCorrupted'],
    example: [
      '> PFADD a 1 2 3',
      '(integer) 1',
      '> PFADD b 3 4',
      '(integer) 1',
      '> PFCOUNT a',
      '(integer) 3',
      '> PFCOUNT a b missing',
      '(integer) 4',
    ],
  },
  (c) => {
    const argc = c.args.argc;
    if (argc > 2) {
      registers.fill(0);
      for (let j = 1; j < argc; j++) {
        const record = stringAt(c, j);
        if (record === null) return;
        if (record === undefined) continue;
        const start = valueStart(record);
        if (!isHll(record, start, record.length)) {
          c.out.error(errorReply('hllWrongType'));
          return;
        }
        if (!mergeInto(registers, record, start, record.length)) {
          c.out.error(errorReply('hllCorrupted'));
          return;
        }
      }
      c.out.integer(cardinalityReply(countRegisters(registers)));
      return;
    }
    const record = stringAt(c, 1);
    if (record === null) return;
    if (record === undefined) {
      c.out.integer(0);
      return;
    }
    const start = valueStart(record);
    if (!isHll(record, start, record.length)) {
      c.out.error(errorReply('hllWrongType'));
      return;
    }
    const cached = cachedCount(record, start);
    if (cached !== -1) {
      // redis-server makes the value raw (dbUnshareStringValue) even when it only reads the cache.
      if (!namedRaw(record)) unshare(c, record, start);
      c.out.integer(cardinalityReply(cached));
      return;
    }
    const n = count(record, start, record.length);
    if (n === -1) {
      if (!namedRaw(record)) unshare(c, record, start);
      c.out.error(errorReply('hllCorrupted'));
      return;
    }
    // The estimate is cached in the value's header: the key is written, as redis-server writes it;
    // except while the disk refuses writes, which a read must not fail on (the cache stays stale).
    if (!c.server.keyspace.writesRefused) {
      const value = Buffer.from(record.subarray(start));
      setCachedCount(value, 0, n);
      putKey(c, 1, value, 0, value.length, expiryOf(record), FLAG_RAW);
    }
    c.out.integer(cardinalityReply(n));
  },
);
