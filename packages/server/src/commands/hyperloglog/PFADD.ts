import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { stringAt } from '../_args.js';
import { NOTIFY_STRING, notify } from '../_notify.js';
import { namedRaw } from '../bitmap/_shared.js';
import { command } from '../spec.js';
import { putKey, valueStart } from '../string/_shared.js';
import { DENSE, denseGet, HEADER, HllValue, isHll, pattern } from './_hll.js';

export const PFADD = command(
  {
    name: 'pfadd',
    group: 'hyperloglog',
    summary:
      'Adds elements to the HyperLogLog at a key, creating it when missing, so that PFCOUNT estimates how many distinct elements it has seen.',
    since: '2.8.9',
    complexity:
      'O(1) for each element; a write copies the value (at most 12 KiB), and a sparse value is searched from its start.',
    arity: -2,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'element', type: 'string', optional: true, multiple: true },
    ],
    reply: {
      resp2:
        'Integer: 1 when the estimate may have changed (a register grew, or the key was created), 0 otherwise.',
      resp3:
        'Integer: 1 when the estimate may have changed (a register grew, or the key was created), 0 otherwise.',
    },
    errors: ['wrongType', 'hllWrongType', 'hllCorrupted'],
    example: [
      '> PFADD visitors alice bob carol',
      '(integer) 1',
      '> PFADD visitors bob',
      '(integer) 0',
      '> PFCOUNT visitors',
      '(integer) 3',
    ],
  },
  (c) => {
    const a = c.args;
    const argc = a.argc;
    const sparseMax = c.server.config['hll-sparse-max-bytes'];
    const record = stringAt(c, 1);
    if (record === null) return;
    let hll: HllValue;
    let updated = 0;
    let expiresAt = 0;
    let unshared = false;
    let j = 2;
    if (record === undefined) {
      hll = HllValue.empty();
      updated = 1;
    } else {
      const start = valueStart(record);
      if (!isHll(record, start, record.length)) {
        c.out.error(errorReply('hllWrongType'));
        return;
      }
      expiresAt = expiryOf(record);
      if (record[start + 4] === DENSE) {
        // Dense (never named other than raw): copy only once an element raises a register.
        for (; j < argc; j++) {
          const p = pattern(a.buffer, a.argStart(j), a.argEnd(j));
          if ((p & 63) > denseGet(record, start + HEADER, p >>> 6)) break;
        }
        if (j === argc) {
          c.out.integer(0);
          return;
        }
      } else {
        // redis-server makes the value raw even when nothing changes.
        unshared = !namedRaw(record);
      }
      hll = HllValue.copy(record, start, record.length);
    }
    for (; j < argc; j++) {
      const result = hll.add(a.buffer, a.argStart(j), a.argEnd(j), sparseMax);
      if (result === 1) updated++;
      else if (result === -1) {
        // The registers raised before the corruption was met stay raised, as in redis-server.
        if (updated > 0 || unshared) putKey(c, 1, hll.buf, 0, hll.len, expiresAt, FLAG_RAW);
        c.out.error(errorReply('hllCorrupted'));
        return;
      }
    }
    if (updated > 0) hll.invalidate();
    if (updated > 0 || unshared) putKey(c, 1, hll.buf, 0, hll.len, expiresAt, FLAG_RAW);
    if (updated > 0) notify(c, NOTIFY_STRING, 'pfadd', 1);
    c.out.integer(updated > 0 ? 1 : 0);
  },
);
