import { errorReply } from '../../errors.js';
import { expiryOf, FLAG_RAW } from '../../keyspace/encoding.js';
import { stringAt } from '../_args.js';
import { isCToken, namedRaw } from '../bitmap/_shared.js';
import type { CommandContext } from '../context.js';
import { command } from '../spec.js';
import { putKey, valueStart } from '../string/_shared.js';
import { DENSE, decode, denseGet, HEADER, HLL_REGISTERS, HllValue, isHll, SPARSE } from './_hll.js';

/** Stores `hll` as the key at argument 2: raw, as redis-server leaves it, expiry kept. */
function store(c: CommandContext, hll: HllValue, expiresAt: number): void {
  putKey(c, 2, hll.buf, 0, hll.len, expiresAt, FLAG_RAW);
}

export const PFDEBUG = command(
  {
    name: 'pfdebug',
    group: 'hyperloglog',
    summary:
      "Shows a HyperLogLog's registers (GETREG), sparse opcodes (DECODE) or encoding (ENCODING), or converts it to the dense encoding (TODENSE); for debugging.",
    since: '2.8.9',
    complexity: 'O(16384) for GETREG and TODENSE; O(N) in the length of the value for DECODE.',
    arity: 3,
    flags: ['write', 'denyoom', 'admin'],
    keys: { first: 2, last: 2, step: 1 },
    arguments: [
      { name: 'subcommand', type: 'string' },
      { name: 'key', type: 'key' },
    ],
    reply: {
      resp2:
        'GETREG: an array of the 16384 register values, as integers (a sparse value is converted to dense first). DECODE: a bulk string of the opcodes (`z:<zeros>`, `Z:<zeros>`, `v:<value>,<registers>`). ENCODING: simple string dense or sparse. TODENSE: integer 1 when it converted the value, 0 when it was dense already.',
      resp3:
        'GETREG: an array of the 16384 register values, as integers (a sparse value is converted to dense first). DECODE: a bulk string of the opcodes (`z:<zeros>`, `Z:<zeros>`, `v:<value>,<registers>`). ENCODING: simple string dense or sparse. TODENSE: integer 1 when it converted the value, 0 when it was dense already.',
    },
    errors: [
      'pfdebugNoKey',
      'wrongType',
      'hllWrongType',
      'hllCorrupted',
      'pfdebugNotSparse',
      'pfdebugUnknown',
    ],
    example: [
      '> PFADD h a',
      '(integer) 1',
      '> PFDEBUG ENCODING h',
      'sparse',
      '> PFDEBUG DECODE h',
      '"Z:12711 v:2,1 Z:3672"',
      '> PFDEBUG TODENSE h',
      '(integer) 1',
    ],
  },
  (c) => {
    const record = stringAt(c, 2);
    if (record === null) return;
    if (record === undefined) {
      c.out.error(errorReply('pfdebugNoKey'));
      return;
    }
    const start = valueStart(record);
    if (!isHll(record, start, record.length)) {
      c.out.error(errorReply('hllWrongType'));
      return;
    }
    const expiresAt = expiryOf(record);
    const encoding = record[start + 4] as number;
    // redis-server makes the value raw before anything else (dbUnshareStringValue).
    if (!namedRaw(record)) putKey(c, 2, record, start, record.length, expiresAt, FLAG_RAW);
    if (isCToken(c, 1, 'getreg') || isCToken(c, 1, 'todense')) {
      const getreg = isCToken(c, 1, 'getreg');
      const hll = HllValue.copy(record, start, record.length);
      if (encoding === SPARSE) {
        if (!hll.toDense()) {
          c.out.error(errorReply('hllCorrupted'));
          return;
        }
        store(c, hll, expiresAt);
      }
      if (!getreg) {
        c.out.integer(encoding === SPARSE ? 1 : 0);
        return;
      }
      c.out.arrayHeader(HLL_REGISTERS);
      for (let i = 0; i < HLL_REGISTERS; i++) c.out.integer(denseGet(hll.buf, HEADER, i));
    } else if (isCToken(c, 1, 'decode')) {
      if (encoding !== SPARSE) {
        c.out.error(errorReply('pfdebugNotSparse'));
        return;
      }
      c.out.bulkString(decode(record, start, record.length));
    } else if (isCToken(c, 1, 'encoding')) {
      c.out.simple(encoding === DENSE ? 'dense' : 'sparse');
    } else {
      const name = c.args.argString(1);
      const nul = name.indexOf('\0');
      c.out.error(errorReply('pfdebugUnknown', nul === -1 ? name : name.slice(0, nul)));
    }
  },
);
