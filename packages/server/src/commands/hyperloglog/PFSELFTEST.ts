import { errorReply } from '../../errors.js';
import { command } from '../spec.js';
import {
  count,
  DENSE_SIZE,
  denseGet,
  denseSet,
  HEADER,
  HLL_REGISTERS,
  HllValue,
  pattern,
  SPARSE,
} from './_hll.js';

const CYCLES = 1000;
const ELEMENTS = 10_000_000;

/** redis-server's pfselftestCommand: null when every check passed, else what failed. */
function selfTest(sparseMax: number): string | null {
  // 1: every register reads back what was written, whatever its neighbours hold.
  const dense = Buffer.alloc(DENSE_SIZE + 1);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < CYCLES; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = Math.floor(Math.random() * 64);
      expected[i] = r;
      denseSet(dense, HEADER, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(dense, HEADER, i);
      if (v !== expected[i]) return `Register ${i} should be ${expected[i]} but is ${v}`;
    }
  }
  // 2: distinct elements added to a dense and to a sparse HyperLogLog: both agree, sparse stays sparse
  // while small, and the estimate stays within six standard errors.
  dense.fill(0, HEADER);
  dense.write('HYLL', 0, 'latin1');
  const hll = HllValue.empty();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLo = Math.floor(Math.random() * 2 ** 32);
  const seedHi = Math.floor(Math.random() * 2 ** 32);
  const element = Buffer.alloc(8);
  element.writeUInt32LE(seedHi, 4);
  let checkpoint = 1;
  for (let j = 1; j <= ELEMENTS; j++) {
    element.writeUInt32LE((j ^ seedLo) >>> 0, 0);
    const p = pattern(element, 0, 8);
    const index = p >>> 6;
    if ((p & 63) > denseGet(dense, HEADER, index)) denseSet(dense, HEADER, index, p & 63);
    hll.set(index, p & 63, sparseMax);
    if (j !== checkpoint) continue;
    if (j < sparseMax / 2 && hll.encoding !== SPARSE) return 'sparse encoding not used';
    const card = count(dense, 0, DENSE_SIZE);
    if (card !== count(hll.buf, 0, hll.len)) return 'dense/sparse disagree';
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    const abserr = Math.abs(checkpoint - card);
    if (abserr > maxerr) return `Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}

export const PFSELFTEST = command(
  {
    name: 'pfselftest',
    group: 'hyperloglog',
    summary:
      'Checks the HyperLogLog implementation: register access, and the estimates of sparse and dense values over ten million elements; for debugging (it blocks the server for a second or two).',
    since: '2.8.9',
    complexity: 'N/A',
    arity: 1,
    flags: ['admin'],
    arguments: [],
    reply: {
      resp2: 'Simple string OK when every check passed.',
      resp3: 'Simple string OK when every check passed.',
    },
    errors: ['pfselftestFailed'],
    example: ['> PFSELFTEST', 'OK'],
  },
  (c) => {
    const failed = selfTest(c.server.config['hll-sparse-max-bytes']);
    if (failed === null) c.out.ok();
    else c.out.error(errorReply('pfselftestFailed', failed));
  },
);
