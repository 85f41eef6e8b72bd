/**
 * Bitmaps (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO) and HyperLogLogs (PFADD,
 * PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST) differentially: each case runs on redis-server 7 and on
 * sluice-server, in RESP2 and RESP3, and the raw reply bytes must be equal. GET steps compare the values
 * themselves, so HyperLogLogs must be built byte for byte as redis-server builds them (sparse and dense
 * encodings, the cached cardinality, the promotion past hll-sparse-max-bytes). Seeded random sequences
 * run on both servers step by step, and values are copied from one server to the other with GET and SET.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  connectRaw,
  type RawClient,
  type RunningServer,
  removeDir,
  startRedis,
  startSluice,
  tempDir,
} from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Random, random } from './differential.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

/** One step: a command; its reply is compared between the servers. */
type Step = readonly (string | Buffer)[];

const b = (bytes: number[] | string): Buffer =>
  typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);

/** A HyperLogLog header: `HYLL`, the encoding, three zero bytes, the cached cardinality (stale by default). */
const header = (encoding: number, card: number[] = [0, 0, 0, 0, 0, 0, 0, 0x80]): Buffer =>
  Buffer.concat([b('HYLL'), b([encoding, 0, 0, 0]), b(card)]);

/** Hand-made values that are, or nearly are, HyperLogLogs. */
const HLL_VALUES: Record<string, Buffer> = {
  tooShort: b('HYL'),
  headerOnly: header(1),
  badMagic: Buffer.concat([b('HYLX'), b([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]), b([0x7f, 0xff])]),
  badEncoding: Buffer.concat([header(2), b([0x7f, 0xff])]),
  denseTooShort: Buffer.concat([header(0), Buffer.alloc(100)]),
  denseAllOnes: Buffer.concat([header(0), Buffer.alloc(12288, 0xff)]),
  denseAllSame: Buffer.concat([header(0), Buffer.alloc(12288, 0x41)]),
  sparseTooMany: Buffer.concat([header(1), b([0x7f, 0xff, 0x00])]),
  sparseTooFew: Buffer.concat([header(1), b([0x7f, 0xfe])]),
  sparseValPastEnd: Buffer.concat([header(1), b([0x7f, 0xff, 0x80])]),
  sparseCached: Buffer.concat([header(1, [5, 0, 0, 0, 0, 0, 0, 0]), b([0x7f, 0xff])]),
  sparseHugeCache: Buffer.concat([
    header(1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    b([0x7f, 0xff]),
  ]),
  sparseVals: Buffer.concat([header(1), b([0x80, 0x80, 0x7f, 0xfd])]),
  xzeroOfOne: Buffer.concat([header(1), b([0x40, 0x00, 0x7f, 0xfe])]),
  integer: b('12345'),
};

/** Each hand-made value through every HyperLogLog command, and what each left behind. */
function hllValueSteps(): Step[] {
  const steps: Step[] = [];
  for (const [key, value] of Object.entries(HLL_VALUES)) {
    steps.push(
      ['SET', key, value],
      ['OBJECT', 'ENCODING', key],
      ['PFCOUNT', key],
      ['GET', key],
      ['OBJECT', 'ENCODING', key],
      ['PFCOUNT', key, 'missing'],
      ['PFADD', key, 'a', 'b', 'c', 'd'],
      ['GET', key],
      ['PFDEBUG', 'ENCODING', key],
      ['PFDEBUG', 'DECODE', key],
      ['SET', key, value],
      ['PFMERGE', 'dest', key],
      ['GET', 'dest'],
      ['PFMERGE', key, 'sparseCached'],
      ['GET', key],
      ['SET', key, value],
      ['PFDEBUG', 'TODENSE', key],
      ['GET', key],
      ['PFDEBUG', 'TODENSE', key],
      ['SET', key, value],
      ['PFDEBUG', 'GETREG', key],
      ['GET', key],
      ['SET', key, value],
      ['PFDEBUG', 'NOSUCH', key],
      ['OBJECT', 'ENCODING', key],
    );
  }
  return steps;
}

const CASES: Record<string, readonly Step[]> = {
  'SETBIT and GETBIT: growing, expiry kept, offsets and values checked': [
    ['SETBIT', 'k', '7', '1'],
    ['SETBIT', 'k', '7', '1'],
    ['SETBIT', 'k', '7', '0'],
    ['SETBIT', 'k', '100', '1'],
    ['GET', 'k'],
    ['STRLEN', 'k'],
    ['OBJECT', 'ENCODING', 'k'],
    ['GETBIT', 'k', '100'],
    ['GETBIT', 'k', '99'],
    ['GETBIT', 'k', '4294967295'],
    ['GETBIT', 'missing', '3'],
    ['SETBIT', 'k', '-1', '1'],
    ['SETBIT', 'k', '4294967296', '1'],
    ['SETBIT', 'k', '18446744073709551616', '1'],
    ['SETBIT', 'k', '1.5', '1'],
    ['SETBIT', 'k', 'x', '1'],
    ['SETBIT', 'k', '01', '1'],
    ['SETBIT', 'k', '1', '2'],
    ['SETBIT', 'k', '1', '-1'],
    ['SETBIT', 'k', '1', '01'],
    ['SETBIT', 'k', '1', ''],
    ['GETBIT', 'k', '4294967296'],
    ['GETBIT', 'k', '-1'],
    ['GETBIT', 'k', 'x'],
    ['SETBIT', 'zero', '0', '0'],
    ['GET', 'zero'],
    ['SET', 'ttl', 'a', 'EX', '1000'],
    ['SETBIT', 'ttl', '20', '1'],
    ['TTL', 'ttl'],
    ['GET', 'ttl'],
    ['SET', 'n', '123'],
    ['OBJECT', 'ENCODING', 'n'],
    ['GETBIT', 'n', '2'],
    ['SETBIT', 'n', '2', '1'],
    ['OBJECT', 'ENCODING', 'n'],
    ['SET', 'short', 'ab'],
    ['SETBIT', 'short', '1', '1'],
    ['OBJECT', 'ENCODING', 'short'],
    ['SET', 'short', 'ab'],
    ['SETBIT', 'short', '0', '0'],
    ['OBJECT', 'ENCODING', 'short'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'],
    ['SETBIT', 'k', '8388608', '1'],
    ['GETBIT', 'k', '8388607'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
    ['SETBIT', 'k'],
    ['GETBIT', 'k', '1', '2'],
  ],
  'BITCOUNT: bytes, bits, negative ranges, argument errors': [
    ['SET', 'f', 'foobar'],
    ['BITCOUNT', 'f'],
    ['BITCOUNT', 'f', '1', '1'],
    ['BITCOUNT', 'f', '0', '-1'],
    ['BITCOUNT', 'f', '-2', '-1'],
    ['BITCOUNT', 'f', '-1', '-2'],
    ['BITCOUNT', 'f', '-1', '-2', 'nosuch'],
    ['BITCOUNT', 'f', '5', '30', 'BIT'],
    ['BITCOUNT', 'f', '5', '30', 'bit'],
    ['BITCOUNT', 'f', '0', '100', 'BYTE'],
    ['BITCOUNT', 'f', '0', '-1', 'BIT'],
    ['BITCOUNT', 'f', '3', '3', 'BIT'],
    ['BITCOUNT', 'f', '9', '9', 'BIT'],
    ['BITCOUNT', 'f', '47', '47', 'BIT'],
    ['BITCOUNT', 'f', '40', '2', 'BIT'],
    ['BITCOUNT', 'f', '-9223372036854775808', '9223372036854775807', 'BIT'],
    ['BITCOUNT', 'f', '0', '100', 'BITS'],
    ['BITCOUNT', 'f', '1'],
    ['BITCOUNT', 'f', '1', '2', '3', '4'],
    ['BITCOUNT', 'f', 'a', 'b'],
    ['BITCOUNT', 'f', '1', 'b'],
    ['BITCOUNT', 'f', '9223372036854775808', '1'],
    ['BITCOUNT', 'missing'],
    ['BITCOUNT', 'missing', '1'],
    ['BITCOUNT', 'missing', 'a', 'b', 'c', 'd'],
    ['SET', 'n', '-12'],
    ['BITCOUNT', 'n'],
    ['SET', 'empty', ''],
    ['BITCOUNT', 'empty'],
    ['BITCOUNT', 'empty', '0', '-1', 'BIT'],
  ],
  'BITPOS: ones and zeros, ranges with and without an end, bits': [
    ['SET', 'p', b([0xff, 0xf0, 0x00])],
    ['BITPOS', 'p', '0'],
    ['BITPOS', 'p', '1'],
    ['BITPOS', 'p', '1', '2'],
    ['BITPOS', 'p', '0', '2'],
    ['BITPOS', 'p', '0', '0', '0'],
    ['BITPOS', 'p', '0', '0', '-1'],
    ['BITPOS', 'p', '0', '1', '1'],
    ['BITPOS', 'p', '1', '7', '15', 'BIT'],
    ['BITPOS', 'p', '0', '12', '23', 'BIT'],
    ['BITPOS', 'p', '0', '0', '11', 'BIT'],
    ['BITPOS', 'p', '0', '0', '11', 'byte'],
    ['BITPOS', 'p', '1', '13', '23', 'bit'],
    ['BITPOS', 'p', '1', '12', '12', 'BIT'],
    ['BITPOS', 'p', '0', '5', '3', 'BIT'],
    ['BITPOS', 'p', '1', '-5', '-1', 'BIT'],
    ['BITPOS', 'p', '0', '-9223372036854775808'],
    ['SET', 'ones', b([0xff, 0xff])],
    ['BITPOS', 'ones', '0'],
    ['BITPOS', 'ones', '0', '1'],
    ['BITPOS', 'ones', '0', '0', '-1'],
    ['BITPOS', 'ones', '0', '3', '14', 'BIT'],
    ['BITPOS', 'ones', '0', '3', '100', 'BIT'],
    ['SET', 'zeros', b([0, 0, 0])],
    ['BITPOS', 'zeros', '1'],
    ['BITPOS', 'zeros', '0', '1'],
    ['BITPOS', 'zeros', '1', '2', '20', 'BIT'],
    ['SET', 'long', Buffer.concat([Buffer.alloc(37), b([0x01]), Buffer.alloc(20, 0xff), b([0xfe])])],
    ['BITPOS', 'long', '1'],
    ['BITPOS', 'long', '0', '38'],
    ['BITPOS', 'long', '0', '38', '58'],
    ['BITPOS', 'long', '0', '38', '57'],
    ['BITPOS', 'long', '1', '3', '300', 'BIT'],
    ['BITPOS', 'long', '0', '305', '470', 'BIT'],
    ['BITPOS', 'p', '2'],
    ['BITPOS', 'p', '-1'],
    ['BITPOS', 'p', 'x'],
    ['BITPOS', 'missing', '1'],
    ['BITPOS', 'missing', '0'],
    ['BITPOS', 'missing', '0', 'a', 'b', 'c', 'd'],
    ['BITPOS', 'p', '1', 'a'],
    ['BITPOS', 'p', '1', '0', 'a'],
    ['BITPOS', 'p', '1', '0', '1', 'bits'],
    ['BITPOS', 'p', '1', 'a', '1', 'bits'],
    ['BITPOS', 'p', '1', '0', 'a', 'bits'],
    ['BITPOS', 'p', '1', '0', '1', 'bit', '5'],
  ],
  'BITOP: AND, OR, XOR, NOT, missing keys, lengths, the destination': [
    ['SET', 'a', b([0x0f])],
    ['SET', 'b', b([0xff, 0x01])],
    ['SET', 'c', 'a longer value than the others, over 32 bytes long'],
    ['BITOP', 'AND', 'dest', 'a', 'b'],
    ['GET', 'dest'],
    ['OBJECT', 'ENCODING', 'dest'],
    ['BITOP', 'or', 'dest', 'a', 'b', 'c'],
    ['GET', 'dest'],
    ['BITOP', 'Xor', 'dest', 'c', 'a', 'missing', 'b'],
    ['GET', 'dest'],
    ['BITOP', 'AND', 'dest', 'c', 'c', 'c'],
    ['GET', 'dest'],
    ['BITOP', 'AND', 'dest', 'c', 'missing'],
    ['GET', 'dest'],
    ['BITOP', 'AND', 'dest', 'missing', 'c'],
    ['GET', 'dest'],
    ['BITOP', 'NOT', 'dest', 'c'],
    ['GET', 'dest'],
    ['BITOP', 'NOT', 'dest', 'b'],
    ['GET', 'dest'],
    ['BITOP', 'NOT', 'dest', 'b', 'a'],
    ['BITOP', 'NAND', 'dest', 'a'],
    ['BITOP', 'AND', 'dest'],
    ['BITOP', 'AND', 'dest', 'missing'],
    ['EXISTS', 'dest'],
    ['BITOP', 'NOT', 'dest', 'missing'],
    ['EXISTS', 'dest'],
    ['SET', 'e', ''],
    ['BITOP', 'OR', 'dest', 'e', 'missing'],
    ['EXISTS', 'dest'],
    ['SET', 'dest', 'x', 'EX', '1000'],
    ['BITOP', 'OR', 'dest', 'a'],
    ['TTL', 'dest'],
    ['BITOP', 'OR', 'a', 'a', 'b'],
    ['GET', 'a'],
    ['SET', 'n', '99'],
    ['BITOP', 'XOR', 'dest', 'n', 'b'],
    ['GET', 'dest'],
  ],
  'BITFIELD: GET, SET and INCRBY of every width, # offsets, OVERFLOW WRAP, SAT and FAIL': [
    ['BITFIELD', 'bf'],
    ['BITFIELD', 'bf', 'GET', 'u8', '0'],
    ['EXISTS', 'bf'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', '255', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'],
    ['GET', 'bf'],
    ['OBJECT', 'ENCODING', 'bf'],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'SAT',
      'INCRBY',
      'u8',
      '0',
      '1000',
      'INCRBY',
      'u8',
      '0',
      '-1000',
      'OVERFLOW',
      'FAIL',
      'INCRBY',
      'u8',
      '0',
      '1',
    ],
    [
      'BITFIELD',
      'bf',
      'SET',
      'i8',
      '#1',
      '-128',
      'INCRBY',
      'i8',
      '#1',
      '-1',
      'OVERFLOW',
      'SAT',
      'INCRBY',
      'i8',
      '#1',
      '-1',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'WRAP',
      'SET',
      'i64',
      '0',
      '-9223372036854775808',
      'INCRBY',
      'i64',
      '0',
      '-1',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'SAT',
      'SET',
      'i64',
      '0',
      '9223372036854775807',
      'INCRBY',
      'i64',
      '0',
      '1',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'SAT',
      'INCRBY',
      'i64',
      '0',
      '-9223372036854775808',
      'INCRBY',
      'i64',
      '0',
      '-1',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'FAIL',
      'SET',
      'i64',
      '0',
      '9223372036854775807',
      'INCRBY',
      'i64',
      '0',
      '1',
    ],
    [
      'BITFIELD',
      'bf',
      'SET',
      'u63',
      '0',
      '9223372036854775807',
      'GET',
      'u63',
      '0',
      'INCRBY',
      'u63',
      '0',
      '1',
    ],
    ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '1', '9223372036854775807', 'GET', 'i64', '0'],
    ['BITFIELD', 'bf', 'SET', 'u1', '3', '1', 'GET', 'u1', '3', 'SET', 'i1', '3', '-1', 'GET', 'i1', '3'],
    ['BITFIELD', 'bf', 'INCRBY', 'i1', '3', '1', 'INCRBY', 'u1', '3', '1', 'GET', 'u2', '2'],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'SAT',
      'SET',
      'u8',
      '0',
      '-1',
      'SET',
      'i8',
      '8',
      '-9223372036854775808',
      'SET',
      'u4',
      '16',
      '16',
      'SET',
      'i4',
      '20',
      '8',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'WRAP',
      'SET',
      'u4',
      '24',
      '17',
      'SET',
      'i4',
      '28',
      '-9',
      'GET',
      'u32',
      '0',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'SAT',
      'INCRBY',
      'i8',
      '0',
      '-9223372036854775808',
      'INCRBY',
      'u8',
      '8',
      '-9223372036854775808',
    ],
    [
      'BITFIELD',
      'bf',
      'OVERFLOW',
      'WRAP',
      'INCRBY',
      'u8',
      '8',
      '-9223372036854775808',
      'INCRBY',
      'i8',
      '0',
      '9223372036854775807',
    ],
    ['BITFIELD', 'bf', 'get', 'u8', '0', 'set', 'u8', '0', '1', 'incrby', 'u8', '0', '1', 'overflow', 'fail'],
    ['BITFIELD', 'bf', 'GET', 'i64', '#9'],
    [
      'BITFIELD',
      'bf',
      'GET',
      'u37',
      '5',
      'GET',
      'i29',
      '#3',
      'SET',
      'i13',
      '#7',
      '-4000',
      'GET',
      'u13',
      '#7',
    ],
    ['GET', 'bf'],
    ['BITFIELD', 'bf', 'GET', 'u64', '0'],
    ['BITFIELD', 'bf', 'GET', 'i65', '0'],
    ['BITFIELD', 'bf', 'GET', 'i0', '0'],
    ['BITFIELD', 'bf', 'GET', 'u', '0'],
    ['BITFIELD', 'bf', 'GET', 'x8', '0'],
    ['BITFIELD', 'bf', 'GET', 'I8', '0'],
    ['BITFIELD', 'bf', 'GET', 'u08', '0'],
    ['BITFIELD', 'bf', 'GET', b('u8\0junk'), '0'],
    ['BITFIELD', 'bf', 'GET', 'u8', '-1'],
    ['BITFIELD', 'bf', 'GET', 'u8', '#-1'],
    ['BITFIELD', 'bf', 'GET', 'u8', '#'],
    ['BITFIELD', 'bf', 'GET', 'u8', '4294967295'],
    ['BITFIELD', 'bf', 'GET', 'u8', '4294967296'],
    ['BITFIELD', 'bf', 'GET', 'u8', '#536870911'],
    ['BITFIELD', 'bf', 'GET', 'u8', '#536870912'],
    ['BITFIELD', 'bf', 'GET', 'i64', '#9223372036854775807'],
    ['BITFIELD', 'bf', 'GET', 'u8'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0'],
    ['BITFIELD', 'bf', 'OVERFLOW'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'BAD', 'GET', 'u8', '0'],
    ['BITFIELD', 'bf', 'NOSUCH'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', 'x'],
    ['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '9223372036854775808'],
    ['BITFIELD', 'bf', 'GET', 'u8', '0', 'SET', 'x8', '0', '1'],
    ['BITFIELD', 'new', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '10'],
    ['GET', 'new'],
    ['BITFIELD', 'new2', 'SET', 'u8', '#3', '0'],
    ['GET', 'new2'],
    ['SET', 'e', 'ab'],
    ['BITFIELD', 'e', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000'],
    ['OBJECT', 'ENCODING', 'e'],
    ['SET', 'e', 'ab'],
    ['BITFIELD', 'e', 'GET', 'u8', '0'],
    ['OBJECT', 'ENCODING', 'e'],
    ['SET', 'ttl', 'v', 'EX', '1000'],
    ['BITFIELD', 'ttl', 'SET', 'u16', '8', '65535'],
    ['TTL', 'ttl'],
    ['GET', 'ttl'],
  ],
  'BITFIELD_RO: GET only': [
    ['SET', 'k', b([1, 2, 3])],
    ['BITFIELD_RO', 'k'],
    ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'GET', 'i4', '12', 'GET', 'u16', '#1', 'GET', 'i64', '20'],
    ['BITFIELD_RO', 'k', 'SET', 'u8', '0', '1'],
    ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'],
    ['BITFIELD_RO', 'k', 'OVERFLOW', 'WRAP'],
    ['BITFIELD_RO', 'k', 'OVERFLOW', 'BAD'],
    ['BITFIELD_RO', 'k', 'GET', 'x', '0', 'SET', 'u8', '0', '1'],
    ['BITFIELD_RO', 'k', 'NOSUCH'],
    ['BITFIELD_RO', 'missing', 'GET', 'u8', '0'],
    ['EXISTS', 'missing'],
    ['GET', 'k'],
  ],
  'bitmap commands on other types': [
    ['HSET', 'h', 'f', 'v'],
    ['SETBIT', 'h', '1', '1'],
    ['GETBIT', 'h', '1'],
    ['GETBIT', 'h', 'x'],
    ['BITCOUNT', 'h'],
    ['BITPOS', 'h', '1'],
    ['BITPOS', 'h', '2'],
    ['BITOP', 'AND', 'dest', 'h'],
    ['BITOP', 'AND', 'dest', 'missing', 'h'],
    ['BITFIELD', 'h', 'GET', 'u8', '0'],
    ['BITFIELD', 'h', 'SET', 'u8', '0', '1'],
    ['BITFIELD_RO', 'h', 'GET', 'u8', '0'],
    ['BITOP', 'NOT', 'h', 'missing'],
    ['EXISTS', 'h'],
    ['HSET', 'h', 'f', 'v'],
    ['SET', 'a', 'x'],
    ['BITOP', 'OR', 'h', 'a'],
    ['TYPE', 'h'],
    ['GET', 'h'],
  ],
  'PFADD, PFCOUNT and PFMERGE: sparse, cached cardinality, the union': [
    ['PFADD', 'h'],
    ['GET', 'h'],
    ['OBJECT', 'ENCODING', 'h'],
    ['PFADD', 'h'],
    ['PFADD', 'h', 'a', 'b', 'c'],
    ['GET', 'h'],
    ['PFADD', 'h', 'a'],
    ['PFCOUNT', 'h'],
    ['GET', 'h'],
    ['PFCOUNT', 'h'],
    ['PFDEBUG', 'ENCODING', 'h'],
    ['PFDEBUG', 'DECODE', 'h'],
    ['PFADD', 'h2', 'c', 'd', 'e', ''],
    ['PFCOUNT', 'h', 'h2'],
    ['PFCOUNT', 'h', 'h2', 'missing'],
    ['PFCOUNT', 'missing'],
    ['PFCOUNT', 'missing', 'missing2'],
    ['PFMERGE', 'u', 'h', 'h2'],
    ['GET', 'u'],
    ['PFCOUNT', 'u'],
    ['PFMERGE', 'u'],
    ['GET', 'u'],
    ['PFMERGE', 'u', 'missing'],
    ['PFMERGE', 'new'],
    ['GET', 'new'],
    ['PFMERGE', 'h2', 'h'],
    ['GET', 'h2'],
    ['SET', 'ttl', Buffer.alloc(0), 'EX', '1000'],
    ['DEL', 'ttl'],
    ['PFADD', 'ttl', 'x'],
    ['EXPIRE', 'ttl', '1000'],
    ['PFADD', 'ttl', 'y'],
    ['TTL', 'ttl'],
    ['PFCOUNT', 'ttl'],
    ['TTL', 'ttl'],
    ['PFMERGE', 'ttl', 'h'],
    ['TTL', 'ttl'],
    ['PFADD', 'bin', b([0, 1, 2, 0xff]), b([0xfe]), 'a longer element, longer than eight bytes', '1234567'],
    ['GET', 'bin'],
    ['PFCOUNT', 'bin'],
  ],
  'promotion to dense: by size, by a large register, by a dense source; hll-sparse-max-bytes': [
    ['CONFIG', 'GET', 'hll-sparse-max-bytes'],
    ['CONFIG', 'GET', 'hll*'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '-1'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', 'abc'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '1kb'],
    ['CONFIG', 'GET', 'hll-sparse-max-bytes'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '40'],
    ['PFADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    ['PFDEBUG', 'ENCODING', 's'],
    ['PFADD', 's', ...Array.from({ length: 12 }, (_, i) => `e${i}`)],
    ['PFDEBUG', 'ENCODING', 's'],
    ['GET', 's'],
    ['PFCOUNT', 's'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '0'],
    ['PFADD', 'z', 'a'],
    ['PFDEBUG', 'ENCODING', 'z'],
    ['PFADD', 'z2'],
    ['PFMERGE', 'z3', 'z2'],
    ['PFDEBUG', 'ENCODING', 'z3'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'],
    ['PFADD', 'small', 'x'],
    ['PFMERGE', 'small', 's'],
    ['PFDEBUG', 'ENCODING', 'small'],
    ['GET', 'small'],
    ['SET', 'big', Buffer.concat([header(1), b([0x7f, 0xfe, 0xfc])])],
    ['PFDEBUG', 'DECODE', 'big'],
    ['PFCOUNT', 'big'],
    ['PFADD', 'p', ...Array.from({ length: 300 }, (_, i) => `element-${i}`)],
    ['PFDEBUG', 'ENCODING', 'p'],
    ['PFCOUNT', 'p'],
    ['GET', 'p'],
    ['PFADD', 'p', ...Array.from({ length: 3000 }, (_, i) => `more-${i}`)],
    ['PFDEBUG', 'ENCODING', 'p'],
    ['PFCOUNT', 'p'],
    ['GET', 'p'],
    ['PFCOUNT', 'p', 'small', 'h'],
    ['PFADD', 'p', 'more-1'],
    ['PFADD', 'p', 'brand new'],
    ['GET', 'p'],
  ],
  'hand-made values: invalid, corrupted, cached, integer': hllValueSteps(),
  'HyperLogLog commands on other types and argument errors': [
    ['HSET', 'h', 'f', 'v'],
    ['PFADD', 'h', 'a'],
    ['PFCOUNT', 'h'],
    ['PFCOUNT', 'missing', 'h'],
    ['PFMERGE', 'h'],
    ['PFMERGE', 'x', 'h'],
    ['PFDEBUG', 'ENCODING', 'h'],
    ['SET', 's', 'not a hll'],
    ['PFADD', 's', 'a'],
    ['PFCOUNT', 's'],
    ['PFCOUNT', 's', 'missing'],
    ['PFMERGE', 'x', 's'],
    ['EXISTS', 'x'],
    ['PFDEBUG', 'GETREG', 's'],
    ['PFDEBUG', 'GETREG', 'missing'],
    ['PFDEBUG', 'NOSUCH', 'missing'],
    ['PFDEBUG', 'GETREG'],
    ['PFDEBUG', 'GETREG', 'a', 'b'],
    ['PFADD'],
    ['PFCOUNT'],
    ['PFMERGE'],
    ['PFSELFTEST', 'x'],
  ],
};

/** The value in a raw bulk-string reply. */
function bulkValue(reply: string): Buffer {
  const match = /^\$(\d+)\r\n/.exec(reply);
  if (match === null) throw new Error(`not a bulk string: ${JSON.stringify(reply.slice(0, 80))}`);
  return Buffer.from(reply.slice(match[0].length, match[0].length + Number(match[1])), 'latin1');
}

function hllCommand(r: Random): Step {
  const key = `h${r.below(3)}`;
  const roll = r.next();
  if (roll < 0.55) {
    // Elements from pools of several sizes: some keys stay sparse, some turn dense.
    const pool = r.pick([50, 2000, 100_000]);
    return ['PFADD', key, ...Array.from({ length: 1 + r.below(25) }, () => String(r.below(pool)))];
  }
  if (roll < 0.65) return ['PFCOUNT', key];
  if (roll < 0.7) return ['PFCOUNT', 'h0', 'h1', r.pick(['h2', 'missing'])];
  if (roll < 0.78) return ['PFMERGE', key, `h${r.below(3)}`, r.pick(['h0', 'missing'])];
  if (roll < 0.9) return ['GET', key];
  if (roll < 0.93) return ['PFDEBUG', r.pick(['ENCODING', 'DECODE']), key];
  if (roll < 0.96) return ['CONFIG', 'SET', 'hll-sparse-max-bytes', r.pick(['100', '700', '3000', '10000'])];
  return ['DEL', key];
}

function bytes(r: Random): Buffer {
  return Buffer.from(
    Array.from({ length: r.below(12) }, () => r.pick([0x00, 0xff, 0x0f, 0x80, 0x61, r.below(256)])),
  );
}

function bitCommand(r: Random): Step {
  const key = `b${r.below(3)}`;
  const type = (): string => `${r.pick(['i', 'u'])}${1 + r.below(63)}`;
  const offset = (): string => (r.next() < 0.3 ? `#${r.below(12)}` : String(r.below(160)));
  const int = (): string =>
    r.pick([
      '0',
      '1',
      '-1',
      '127',
      '-128',
      '255',
      '1000',
      '-9223372036854775808',
      '9223372036854775807',
      String(r.below(1e6) - 5e5),
    ]);
  switch (r.below(10)) {
    case 0:
      return ['SET', key, bytes(r)];
    case 1:
    case 2:
      return ['SETBIT', key, String(r.below(200)), String(r.below(2))];
    case 3:
      return ['GETBIT', key, String(r.below(200))];
    case 4:
      return [
        'BITOP',
        r.pick(['AND', 'OR', 'XOR']),
        key,
        `b${r.below(3)}`,
        r.pick(['b0', 'b1', 'b2', 'missing']),
      ];
    case 5:
      return ['BITOP', 'NOT', key, `b${r.below(3)}`];
    case 6: {
      const ops: string[] = [];
      for (let n = 1 + r.below(4); n > 0; n--) {
        if (r.next() < 0.3) ops.push('OVERFLOW', r.pick(['WRAP', 'SAT', 'FAIL']));
        const op = r.pick(['GET', 'SET', 'INCRBY']);
        ops.push(op, type(), offset());
        if (op !== 'GET') ops.push(int());
      }
      return ['BITFIELD', key, ...ops];
    }
    case 7: {
      const range = r.next() < 0.5 ? [] : [String(r.below(40) - 20), String(r.below(40) - 20)];
      return [
        'BITCOUNT',
        key,
        ...range,
        ...(range.length > 0 && r.next() < 0.5 ? [r.pick(['BIT', 'BYTE'])] : []),
      ];
    }
    case 8: {
      const start = r.next() < 0.3 ? [] : [String(r.below(100) - 50)];
      const end = start.length > 0 && r.next() < 0.6 ? [String(r.below(100) - 50)] : [];
      const unit = end.length > 0 && r.next() < 0.6 ? [r.pick(['BIT', 'BYTE'])] : [];
      return ['BITPOS', key, String(r.below(2)), ...start, ...end, ...unit];
    }
    default:
      return ['GET', key];
  }
}

describe('bitmaps and HyperLogLogs against redis-server and sluice-server', {
  timeout: TEST_TIMEOUT_MS,
}, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      r = await connectRaw(redis.port);
      s = await connectRaw(sluice.port);
      for (const c of [r, s]) {
        await c.call('FLUSHALL');
        await c.call('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
        if (proto === 3) await c.call('HELLO', '3');
      }
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    async function compare(step: Step, label: string): Promise<void> {
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      const shown = step.map((a) => (typeof a === 'string' ? a : a.toString('latin1')).slice(0, 60));
      expect({ step: shown, reply: actual }, label).toEqual({ step: shown, reply: expected });
    }

    it.each(Object.entries(CASES))('%s', async (name, steps) => {
      for (const step of steps) await compare(step, name);
    });

    it.each([1, 2, 3])('a random sequence of PFADD, PFCOUNT, PFMERGE and GET, seed %i', async (seed) => {
      const rng = random(seed * 7 + proto);
      for (let i = 0; i < 400; i++) await compare(hllCommand(rng), `seed ${seed}, command ${i}`);
      for (const key of ['h0', 'h1', 'h2']) await compare(['GET', key], `seed ${seed}, at the end`);
    });

    it.each([1, 2, 3])(
      'a random sequence of SETBIT, BITOP, BITFIELD, BITCOUNT and BITPOS, seed %i',
      async (seed) => {
        const rng = random(seed * 11 + proto);
        for (let i = 0; i < 500; i++) await compare(bitCommand(rng), `seed ${seed}, command ${i}`);
        for (const key of ['b0', 'b1', 'b2']) await compare(['GET', key], `seed ${seed}, at the end`);
      },
    );

    it('counts the same values copied from redis-server to sluice-server and back with GET and SET', async () => {
      const sizes = { tiny: 3, sparse: 200, dense: 5000 };
      for (const from of [r, s]) {
        for (const [name, n] of Object.entries(sizes)) {
          await from.call('PFADD', name, ...Array.from({ length: n }, (_, i) => `${name}:${i}`));
          // One copy with a stale cached cardinality, one with a fresh one.
          const stale = bulkValue(await from.call('GET', name));
          await from.call('PFCOUNT', name);
          const cached = bulkValue(await from.call('GET', name));
          for (const [key, value] of [
            [`${name}:stale`, stale],
            [`${name}:cached`, cached],
          ] as const) {
            for (const c of [r, s]) expect(await c.call('SET', key, value)).toBe('+OK\r\n');
            await compare(['OBJECT', 'ENCODING', key], key);
            await compare(['PFCOUNT', key], key);
            await compare(['GET', key], key);
            await compare(['PFADD', key, 'one more', 'and another'], key);
            await compare(['GET', key], key);
            await compare(['PFCOUNT', key, 'tiny:stale'], key);
          }
        }
        await compare(['PFMERGE', 'all', 'tiny:cached', 'sparse:stale', 'dense:cached'], 'merge');
        await compare(['GET', 'all'], 'merge');
        await compare(['PFCOUNT', 'all'], 'merge');
        // Bitmaps are plain strings: copied, they read the same.
        await from.call('SETBIT', 'bits', '1000', '1');
        await from.call('BITFIELD', 'bits', 'SET', 'i16', '#3', '-300');
        const bits = bulkValue(await from.call('GET', 'bits'));
        for (const c of [r, s]) await c.call('SET', 'bits', bits);
        await compare(['BITCOUNT', 'bits'], 'bits');
        await compare(['BITPOS', 'bits', '1', '10'], 'bits');
        await compare(['BITFIELD_RO', 'bits', 'GET', 'i16', '#3', 'GET', 'u8', '125'], 'bits');
        for (const c of [r, s]) await c.call('FLUSHALL');
      }
    });
  });

  it('passes PFSELFTEST on both', async () => {
    const [r, s] = await Promise.all([connectRaw(redis.port), connectRaw(sluice.port)]);
    try {
      for (const c of [r, s]) await c.call('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
      expect(await s.call('PFSELFTEST')).toBe(await r.call('PFSELFTEST'));
    } finally {
      await Promise.all([r.close(), s.close()]);
    }
  });
});

describe('hll-sparse-max-bytes in the config file', { timeout: TEST_TIMEOUT_MS }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('sluice-hll-config-');
    const configFile = join(dir, 'hll.conf');
    await writeFile(configFile, 'hll-sparse-max-bytes 60\n');
    [redis, sluice] = await Promise.all([startRedis({ configFile }), startSluice({ configFile })]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
    await removeDir(dir);
  }, HOOK_TIMEOUT_MS);

  it('reads it and promotes by it', async () => {
    const [r, s] = await Promise.all([connectRaw(redis.port), connectRaw(sluice.port)]);
    try {
      for (const step of [
        ['CONFIG', 'GET', 'hll-sparse-max-bytes'],
        ['PFADD', 'h', ...Array.from({ length: 15 }, (_, i) => `x${i}`)],
        ['PFDEBUG', 'ENCODING', 'h'],
        ['GET', 'h'],
      ]) {
        expect(await s.call(...step)).toBe(await r.call(...step));
      }
    } finally {
      await Promise.all([r.close(), s.close()]);
    }
  });
});
