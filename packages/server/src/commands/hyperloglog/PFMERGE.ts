import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { recordAt, stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { command } from '../spec.js';
import { putKey, valueStart } from '../string/_shared.js';
import { DENSE, HLL_REGISTERS, HllValue, isHll, mergeInto } from './_hll.js';

const registers = new Uint8Array(HLL_REGISTERS);

export const PFMERGE = command(
  {
    name: 'pfmerge',
    group: 'hyperloglog',
    summary:
      'Merges HyperLogLogs into the one at the destination key (itself included), creating it when missing, so that it counts the union of their elements.',
    since: '2.8.9',
    complexity: 'O(N) to merge N HyperLogLogs, each 16384 registers.',
    arity: -2,
    flags: ['write', 'denyoom'],
    keys: { first: 1, last: -1, step: 1 },
    arguments: [
      { name: 'destkey', type: 'key' },
      { name: 'sourcekey', type: 'key', optional: true, multiple: true },
    ],
    reply: {
      resp2: 'Simple string OK.',
      resp3: 'Simple string OK.',
    },
    errors: ['wrongType', 'hllWrongType', 'hllCorrupted'],
    example: [
      '> PFADD a x y',
      '(integer) 1',
      '> PFADD b y z',
      '(integer) 1',
      '> PFMERGE all a b',
      'OK',
      '> PFCOUNT all',
      '(integer) 3',
    ],
  },
  (c) => {
    const argc = c.args.argc;
    registers.fill(0);
    let dense = false;
    // Every key, the destination first, merged register by register (missing keys are empty).
    for (let j = 1; j < argc; j++) {
      const record = stringAt(c, j);
      if (record === null) return;
      if (record === undefined) continue;
      const start = valueStart(record);
      if (!isHll(record, start, record.length)) {
        c.out.error(errorReply('hllWrongType'));
        return;
      }
      if (record[start + 4] === DENSE) dense = true;
      if (!mergeInto(registers, record, start, record.length)) {
        c.out.error(errorReply('hllCorrupted'));
        return;
      }
    }
    // Checked above: a HyperLogLog, or missing.
    const record = recordAt(c, 1);
    const expiresAt = record === undefined ? 0 : expiryOf(record);
    const hll =
      record === undefined ? HllValue.empty() : HllValue.copy(record, valueStart(record), record.length);
    // A dense source makes the destination dense; else it stays sparse as long as it can.
    if (dense && !hll.toDense()) {
      c.out.error(errorReply('hllCorrupted'));
      return;
    }
    const sparseMax = c.server.config['hll-sparse-max-bytes'];
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = registers[i] as number;
      if (value !== 0) hll.set(i, value, sparseMax);
    }
    hll.invalidate();
    putKey(c, 1, hll.buf, 0, hll.len, expiresAt, FLAG_RAW);
    notify(c, NOTIFY_STRING, 'pfadd', 1);
    c.out.ok();
  },
);
