/**
 * Seeded random sequences of string commands sent to redis-server 7 and sluice-server side by side, with
 * every reply compared byte for byte: INCRBYFLOAT over numbers of every form strtold reads (its long
 * double arithmetic and formatting have too many cases to list), and LCS, GETRANGE, SETRANGE, APPEND and
 * INCRBY over short binary strings. Runs only when both targets are enabled.
 */
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Random, random } from './differential.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const EDGES = [
  'inf',
  '-inf',
  'nan',
  '1e',
  ' 1',
  '1 ',
  '.',
  '-',
  'e5',
  '0x',
  '0x1p',
  'infinity',
  'INF',
  '1..2',
  '1e4933',
  '1e4932',
  '1.18973149535723176502e4932',
  '1.18973149535723176508e4932',
  '3.6e-4951',
  '1e-4951',
  '1.9e-4951',
  '1.8e-4951',
  '-0',
  '0',
  '00012.5000',
];

function number(r: Random): string {
  const digits = (n: number): string => Array.from({ length: n }, () => String(r.below(10))).join('');
  const sign = r.pick(['', '', '-', '+']);
  switch (r.below(10)) {
    case 0:
      return sign + digits(1 + r.below(20));
    case 1:
      return `${sign}${digits(1 + r.below(5))}.${digits(r.below(25))}`;
    case 2:
      return `${sign}${digits(1 + r.below(3))}${r.pick(['e', 'E'])}${r.pick(['', '-', '+'])}${r.below(40)}`;
    case 3:
      return `${sign}0x${r.below(1e9).toString(16)}${r.pick(['', '.8', '.ffff'])}${r.pick(['', 'p3', 'p-70', 'P+10'])}`;
    case 4:
      return `${sign}0.${digits(r.below(30))}`;
    case 5:
      return `${sign}${digits(1)}.${digits(3)}e${r.pick(['-', ''])}${r.below(5000)}`;
    case 6:
      return r.pick(EDGES);
    case 7:
      return `${sign}${digits(15)}.${digits(2)}`;
    case 8:
      return `${sign}.${digits(1 + r.below(8))}`;
    default:
      return `${sign}${digits(2)}.${digits(2)}`;
  }
}

function bytes(r: Random): Buffer {
  return Buffer.from(Array.from({ length: r.below(14) }, () => r.pick([0x61, 0x62, 0x63, 0x00, 0xff])));
}

function integer(r: Random): string {
  return r.pick([
    '0',
    '1',
    '-1',
    '3',
    '-3',
    '7',
    '-20',
    '20',
    '9223372036854775807',
    '-9223372036854775808',
    'x',
  ]);
}

function floatCommand(r: Random): (string | Buffer)[] {
  const key = `k${r.below(7)}`;
  return r.next() < 0.15 ? ['SET', key, number(r)] : ['INCRBYFLOAT', key, number(r)];
}

function rangeCommand(r: Random): (string | Buffer)[] {
  const key = r.pick(['a', 'b', 'n']);
  switch (r.below(8)) {
    case 0:
      return ['SET', key, bytes(r)];
    case 1:
      return [
        'LCS',
        'a',
        'b',
        ...(r.next() < 0.5 ? ['IDX'] : []),
        ...(r.next() < 0.3 ? ['MINMATCHLEN', integer(r)] : []),
        ...(r.next() < 0.5 ? ['WITHMATCHLEN'] : []),
        ...(r.next() < 0.2 ? ['LEN'] : []),
      ];
    case 2:
      return ['GETRANGE', key, integer(r), integer(r)];
    case 3:
      return ['SETRANGE', key, r.pick(['0', '1', '5', '20', '-1', 'x']), bytes(r)];
    case 4:
      return ['APPEND', key, bytes(r)];
    case 5:
      return ['INCRBY', key, integer(r)];
    case 6:
      return ['LCS', 'b', 'a', 'IDX', 'WITHMATCHLEN'];
    default:
      return ['SET', key, integer(r)];
  }
}

const both = targets().length === 2;

describe.runIf(both)(
  'random string commands, redis-server and sluice-server side by side',
  {
    timeout: TEST_TIMEOUT_MS,
  },
  () => {
    const redis = useServer('redis');
    const sluice = useServer('sluice');
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      [r, s] = await Promise.all([redis.connect(), sluice.connect()]);
    });

    async function compare(
      seed: number,
      proto: 2 | 3,
      rounds: number,
      make: (r: Random) => (string | Buffer)[],
    ): Promise<void> {
      await Promise.all([r.call('HELLO', String(proto)), s.call('HELLO', String(proto))]);
      const rng = random(seed);
      for (let i = 0; i < rounds; i++) {
        const cmd = make(rng);
        const [expected, actual] = await Promise.all([r.call(...cmd), s.call(...cmd)]);
        const shown = cmd.map((a) => (typeof a === 'string' ? a : a.toString('latin1')));
        expect(actual, `seed ${seed}, command ${i}: ${JSON.stringify(shown)}`).toBe(expected);
      }
    }

    it.each([1, 2, 3, 4, 5])('INCRBYFLOAT and SET, seed %i', async (seed) => {
      await compare(seed, 2, 400, floatCommand);
    });

    it.each([
      [1, 2],
      [2, 3],
      [3, 2],
      [4, 3],
    ] as const)('LCS GETRANGE SETRANGE APPEND INCRBY, seed %i, RESP%i', async (seed, proto) => {
      await compare(seed, proto, 600, rangeCommand);
    });
  },
);
