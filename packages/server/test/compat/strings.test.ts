/**
 * The string family, byte for byte against redis-server 7 and sluice-server, in RESP2 and RESP3: every
 * command's replies, its error cases and its edges (64-bit overflow, INCRBYFLOAT's long double
 * arithmetic and formatting, SETRANGE's zero padding, GETRANGE's index rules, LCS, what keeps a TTL).
 */
import type { ReplyValue } from '@sluice/protocol';
import type { RawClient } from '@sluice/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { array, bulk, ERR, error, int, nil, OK, parse } from './resp.js';
import { TEST_TIMEOUT_MS, targets, useServer } from './targets.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const LLONG_MAX = '9223372036854775807';
const LLONG_MIN = '-9223372036854775808';
const EMPTY = bulk('');

/** redis-server 7.0's messages for the string family, exactly. */
const E = {
  overflow: error('ERR increment or decrement would overflow'),
  decrementOverflow: error('ERR decrement would overflow'),
  notFloat: error('ERR value is not a valid float'),
  nanOrInfinity: error('ERR increment would produce NaN or Infinity'),
  offset: error('ERR offset is out of range'),
  tooLong: error('ERR string exceeds maximum allowed size (proto-max-bulk-len)'),
  lcsLenAndIdx: error('ERR If you want both the length and indexes, please just use IDX.'),
  lcsMemory: error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len'),
  expire: (command: string) => error(`ERR invalid expire time in '${command}' command`),
} as const;

describe.each(targets())('string commands against %s', { timeout: TEST_TIMEOUT_MS }, (target) => {
  const t = useServer(target);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let c: RawClient;
    beforeEach(async () => {
      c = await t.connect();
      if (proto === 3) expect(await c.call('HELLO', '3')).toMatch(/^%7\r\n/);
    });

    async function value(...args: string[]): Promise<ReplyValue> {
      return parse(await c.call(...args));
    }

    /** Runs `fn` with proto-max-bulk-len lowered to 1mb (its minimum), restoring the default after. */
    async function withSmallBulkLimit(fn: () => Promise<void>): Promise<void> {
      expect(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toBe(OK);
      try {
        await fn();
      } finally {
        expect(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb')).toBe(OK);
      }
    }

    it.each([
      ['APPEND', 'k'],
      ['DECR'],
      ['DECRBY', 'k'],
      ['GETDEL'],
      ['GETEX'],
      ['GETRANGE', 'k', '0'],
      ['GETSET', 'k'],
      ['INCR', 'k', 'x'],
      ['INCRBY', 'k'],
      ['INCRBYFLOAT', 'k'],
      ['LCS', 'a'],
      ['MSETNX', 'k'],
      ['PSETEX', 'k', '100'],
      ['SETEX', 'k', '100'],
      ['SETNX', 'k'],
      ['SETRANGE', 'k', '0'],
      ['STRLEN'],
      ['SUBSTR', 'k', '0', '1', '2'],
    ])('arity: %s with too few or too many arguments', async (name, ...args) => {
      expect(await c.call(name, ...args)).toBe(ERR.arity(name.toLowerCase()));
    });

    describe('APPEND and STRLEN', () => {
      it('APPEND creates a missing key and returns the new length', async () => {
        expect(await c.call('APPEND', 'k', 'Hello')).toBe(int(5));
        expect(await c.call('APPEND', 'k', ' World')).toBe(int(11));
        expect(await c.call('GET', 'k')).toBe(bulk('Hello World'));
        expect(await c.call('APPEND', 'k', '')).toBe(int(11));
        expect(await c.call('APPEND', 'e', '')).toBe(int(0));
        expect(await c.call('EXISTS', 'e')).toBe(int(1));
      });

      it('APPEND is binary-safe and appends to integers as text', async () => {
        await c.call('SET', 'n', '12');
        expect(await c.call('APPEND', 'n', '3')).toBe(int(3));
        expect(await c.call('INCR', 'n')).toBe(int(124));
        expect(await c.call('APPEND', 'b', Buffer.from([0, 0xff]))).toBe(int(2));
        expect(await c.call('APPEND', 'b', Buffer.from([0x0d, 0x0a, 0]))).toBe(int(5));
        expect(await c.call('GET', 'b')).toBe(bulk(Buffer.from([0, 0xff, 0x0d, 0x0a, 0])));
      });

      it('APPEND keeps the TTL', async () => {
        await c.call('SET', 'k', 'a', 'EX', '100');
        expect(await c.call('APPEND', 'k', 'b')).toBe(int(2));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
      });

      it('APPEND past proto-max-bulk-len fails and leaves the value', async () => {
        await withSmallBulkLimit(async () => {
          const mb = 1024 * 1024;
          expect(await c.call('SET', 'k', 'x'.repeat(mb - 2))).toBe(OK);
          expect(await c.call('APPEND', 'k', 'abc')).toBe(E.tooLong);
          expect(await c.call('STRLEN', 'k')).toBe(int(mb - 2));
          expect(await c.call('APPEND', 'k', 'ab')).toBe(int(mb));
          expect(await c.call('APPEND', 'k', 'a')).toBe(E.tooLong);
        });
      });

      it('STRLEN counts bytes; 0 for a missing key', async () => {
        expect(await c.call('STRLEN', 'missing')).toBe(int(0));
        await c.call('SET', 'k', Buffer.from('héllo', 'utf8'));
        expect(await c.call('STRLEN', 'k')).toBe(int(6));
        await c.call('SET', 'e', '');
        expect(await c.call('STRLEN', 'e')).toBe(int(0));
        await c.call('SET', 'n', '-12345');
        expect(await c.call('STRLEN', 'n')).toBe(int(6));
      });
    });

    describe('INCR DECR INCRBY DECRBY', () => {
      it('a missing key counts as 0; the result is stored as text', async () => {
        expect(await c.call('INCR', 'a')).toBe(int(1));
        expect(await c.call('DECR', 'b')).toBe(int(-1));
        expect(await c.call('INCRBY', 'c', '10')).toBe(int(10));
        expect(await c.call('DECRBY', 'd', '10')).toBe(int(-10));
        expect(await c.call('INCRBY', 'c', '-25')).toBe(int(-15));
        expect(await c.call('DECRBY', 'c', '-20')).toBe(int(5));
        expect(await c.call('INCRBY', 'c', '0')).toBe(int(5));
        expect(await c.call('DECRBY', 'c', '0')).toBe(int(5));
        expect(await c.call('GET', 'c')).toBe(bulk('5'));
        await c.call('SET', 'z', '0');
        expect(await c.call('DECR', 'z')).toBe(int(-1));
        expect(await c.call('GET', 'z')).toBe(bulk('-1'));
      });

      it('exact across 2^53 and up to the 64-bit limits', async () => {
        await c.call('SET', 'k', '9007199254740991');
        expect(await c.call('INCR', 'k')).toBe(int(9007199254740992));
        expect(await c.call('INCR', 'k')).toBe(':9007199254740993\r\n');
        expect(await c.call('GET', 'k')).toBe(bulk('9007199254740993'));
        await c.call('SET', 'k', '9223372036854775806');
        expect(await c.call('INCR', 'k')).toBe(`:${LLONG_MAX}\r\n`);
        await c.call('SET', 'k', '-9223372036854775807');
        expect(await c.call('DECR', 'k')).toBe(`:${LLONG_MIN}\r\n`);
        expect(await c.call('INCRBY', 'k', LLONG_MAX)).toBe(int(-1));
        expect(await c.call('INCRBY', 'fresh', LLONG_MIN)).toBe(`:${LLONG_MIN}\r\n`);
        expect(await c.call('DECRBY', 'fresh2', LLONG_MAX)).toBe(':-9223372036854775807\r\n');
      });

      it('overflow at ±2^63 is an error and leaves the value', async () => {
        await c.call('SET', 'max', LLONG_MAX);
        expect(await c.call('INCR', 'max')).toBe(E.overflow);
        expect(await c.call('INCRBY', 'max', '1')).toBe(E.overflow);
        expect(await c.call('DECRBY', 'max', '-1')).toBe(E.overflow);
        expect(await c.call('GET', 'max')).toBe(bulk(LLONG_MAX));
        await c.call('SET', 'min', LLONG_MIN);
        expect(await c.call('DECR', 'min')).toBe(E.overflow);
        expect(await c.call('INCRBY', 'min', '-1')).toBe(E.overflow);
        expect(await c.call('DECRBY', 'min', '1')).toBe(E.overflow);
        expect(await c.call('GET', 'min')).toBe(bulk(LLONG_MIN));
        await c.call('SET', 'one', '1');
        expect(await c.call('INCRBY', 'one', LLONG_MAX)).toBe(E.overflow);
        await c.call('SET', 'm1', '-2');
        expect(await c.call('INCRBY', 'm1', LLONG_MIN)).toBe(E.overflow);
        expect(await c.call('DECRBY', 'm1', LLONG_MAX)).toBe(E.overflow);
      });

      it('DECRBY -2^63 cannot be negated: its own error, before the key is read', async () => {
        expect(await c.call('DECRBY', 'k', LLONG_MIN)).toBe(E.decrementOverflow);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        await c.call('SET', 'text', 'abc');
        expect(await c.call('DECRBY', 'text', LLONG_MIN)).toBe(E.decrementOverflow);
      });

      it.each([
        'abc',
        '',
        ' 1',
        '1 ',
        '+1',
        '01',
        '-0',
        '1.5',
        '1e3',
        '0x10',
        '9223372036854775808',
        '-9223372036854775809',
        '99999999999999999999',
        '123456789012345678901',
      ])('a stored value %j is not an integer', async (stored) => {
        await c.call('SET', 'k', stored);
        for (const cmd of [['INCR'], ['DECR'], ['INCRBY', '1'], ['DECRBY', '1']] as const) {
          const [name, ...args] = cmd;
          expect(await c.call(name, 'k', ...args)).toBe(ERR.notInteger);
        }
        expect(await c.call('GET', 'k')).toBe(bulk(stored));
      });

      it.each(['abc', '', '1.0', '+5', '05', ' 5', '9223372036854775808'])(
        'an increment %j is not an integer',
        async (arg) => {
          expect(await c.call('INCRBY', 'k', arg)).toBe(ERR.notInteger);
          expect(await c.call('DECRBY', 'k', arg)).toBe(ERR.notInteger);
          expect(await c.call('EXISTS', 'k')).toBe(int(0));
        },
      );

      it('keep the TTL', async () => {
        await c.call('SET', 'k', '5', 'EX', '100');
        expect(await c.call('INCR', 'k')).toBe(int(6));
        expect(await c.call('DECR', 'k')).toBe(int(5));
        expect(await c.call('INCRBY', 'k', '10')).toBe(int(15));
        expect(await c.call('DECRBY', 'k', '3')).toBe(int(12));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
      });

      it('an expired key counts as missing, and the new value has no TTL', async () => {
        await c.call('SET', 'k', '100', 'PX', '30');
        await sleep(80);
        expect(await c.call('INCR', 'k')).toBe(int(1));
        expect(await c.call('TTL', 'k')).toBe(int(-1));
      });
    });

    describe('INCRBYFLOAT', () => {
      it.each([
        [null, '10.5', '10.5'],
        ['10.5', '0.1', '10.6'],
        ['5.0e3', '2.0e2', '5200'],
        ['3.0e3', '1.1', '3001.10000000000000009'],
        ['0.1', '0.2', '0.3'],
        ['10', '-10', '0'],
        ['1', '-1.5', '-0.5'],
        [null, '-0', '0'],
        [null, '-1e-20', '0'],
        [null, '1e-4940', '0'],
        [null, '0.000003814697265625', '0.00000381469726562'],
        [null, '0.000011444091796875', '0.00001144409179688'],
        [null, '1.23456789012345678901', '1.23456789012345679'],
        [null, '1e25', '10000000000000000000000000'],
        [null, '1e30', '1000000000000000000024696061952'],
        [null, '18446744073709551617', '18446744073709551616'],
        [null, '9007199254740993.5', '9007199254740993.5'],
        ['1e20', '0.5', '100000000000000000000'],
        [LLONG_MAX, '1', '9223372036854775808'],
        [null, '0x10', '16'],
        [null, '0x1p-2', '0.25'],
        [null, '+1.5', '1.5'],
        [null, '.5', '0.5'],
        [null, '5.', '5'],
        [null, '1E+2', '100'],
      ])('%s + %s = %s (null: no key)', async (stored, incr, result) => {
        if (stored !== null) await c.call('SET', 'k', stored);
        expect(await c.call('INCRBYFLOAT', 'k', incr)).toBe(bulk(result));
        expect(await c.call('GET', 'k')).toBe(bulk(result));
      });

      it.each([
        'abc',
        '',
        ' 1',
        '1 ',
        '1e',
        '1.5.5',
        '.',
        '-',
        '0x',
        'nan',
        '-nan',
        '1e5000',
        '-1e5000',
        '1e-5000',
        '1\x00',
      ])('an increment %j is not a valid float', async (arg) => {
        await c.call('SET', 'k', '1');
        expect(await c.call('INCRBYFLOAT', 'k', arg)).toBe(E.notFloat);
        expect(await c.call('GET', 'k')).toBe(bulk('1'));
      });

      it('numbers are read up to 5119 characters', async () => {
        await c.call('SET', 'k', `${'0'.repeat(5118)}1`);
        expect(await c.call('INCRBYFLOAT', 'k', '1')).toBe(bulk('2'));
        expect(await c.call('INCRBYFLOAT', 'k', `${'0'.repeat(5118)}1`)).toBe(bulk('3'));
        expect(await c.call('INCRBYFLOAT', 'k', `${'0'.repeat(5119)}1`)).toBe(E.notFloat);
        await c.call('SET', 'k', `${'0'.repeat(5119)}1`);
        expect(await c.call('INCRBYFLOAT', 'k', '1')).toBe(E.notFloat);
      });

      it.each(['abc', '', '1 ', 'nan', '1e5000'])(
        'a stored value %j is not a valid float',
        async (stored) => {
          await c.call('SET', 'k', stored);
          expect(await c.call('INCRBYFLOAT', 'k', '1')).toBe(E.notFloat);
          expect(await c.call('GET', 'k')).toBe(bulk(stored));
        },
      );

      it('an infinite or NaN result is an error and leaves the value', async () => {
        expect(await c.call('INCRBYFLOAT', 'k', 'inf')).toBe(E.nanOrInfinity);
        expect(await c.call('INCRBYFLOAT', 'k', '-Infinity')).toBe(E.nanOrInfinity);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        await c.call('SET', 'k', '1e4932');
        expect(await c.call('INCRBYFLOAT', 'k', '1e4932')).toBe(E.nanOrInfinity);
        expect(await c.call('GET', 'k')).toBe(bulk('1e4932'));
        await c.call('SET', 'k', 'inf');
        expect(await c.call('INCRBYFLOAT', 'k', '-inf')).toBe(E.nanOrInfinity);
        expect(await c.call('INCRBYFLOAT', 'k', '1')).toBe(E.nanOrInfinity);
      });

      it('keeps the TTL', async () => {
        await c.call('SET', 'k', '1.5', 'EX', '100');
        expect(await c.call('INCRBYFLOAT', 'k', '1')).toBe(bulk('2.5'));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
      });
    });

    describe('GETRANGE and SUBSTR', () => {
      it.each([
        ['0', '3', 'This'],
        ['-3', '-1', 'ing'],
        ['0', '-1', 'This is a string'],
        ['10', '100', 'string'],
        ['-100', '3', 'This'],
        ['15', '15', 'g'],
        ['16', '20', ''],
        ['5', '1', ''],
        ['-1', '-5', ''],
        ['-10', '-20', ''],
        ['-20', '-10', 'This is'],
        [LLONG_MIN, LLONG_MAX, 'This is a string'],
        [LLONG_MAX, LLONG_MIN, ''],
      ])('GETRANGE "This is a string" %s %s', async (start, end, expected) => {
        await c.call('SET', 'k', 'This is a string');
        expect(await c.call('GETRANGE', 'k', start, end)).toBe(bulk(expected));
        expect(await c.call('SUBSTR', 'k', start, end)).toBe(bulk(expected));
      });

      it('a missing key or an empty value gives an empty string, never null', async () => {
        expect(await c.call('GETRANGE', 'missing', '0', '-1')).toBe(EMPTY);
        expect(await c.call('SUBSTR', 'missing', '0', '10')).toBe(EMPTY);
        await c.call('SET', 'e', '');
        expect(await c.call('GETRANGE', 'e', '0', '-1')).toBe(EMPTY);
        expect(await c.call('GETRANGE', 'e', '0', '0')).toBe(EMPTY);
      });

      it('binary values and integers', async () => {
        await c.call('SET', 'b', Buffer.from([0, 1, 2, 0xff]));
        expect(await c.call('GETRANGE', 'b', '1', '-1')).toBe(bulk(Buffer.from([1, 2, 0xff])));
        await c.call('SET', 'n', '-12345');
        expect(await c.call('GETRANGE', 'n', '0', '2')).toBe(bulk('-12'));
      });

      it('indexes must be integers, checked before the key', async () => {
        expect(await c.call('GETRANGE', 'missing', 'a', '1')).toBe(ERR.notInteger);
        expect(await c.call('GETRANGE', 'missing', '0', '1.5')).toBe(ERR.notInteger);
        expect(await c.call('SUBSTR', 'missing', '0', '9223372036854775808')).toBe(ERR.notInteger);
      });
    });

    describe('SETRANGE', () => {
      it('overwrites in place and returns the new length', async () => {
        await c.call('SET', 'k', 'Hello World');
        expect(await c.call('SETRANGE', 'k', '6', 'Redis')).toBe(int(11));
        expect(await c.call('GET', 'k')).toBe(bulk('Hello Redis'));
        expect(await c.call('SETRANGE', 'k', '6', 'Sluice!')).toBe(int(13));
        expect(await c.call('GET', 'k')).toBe(bulk('Hello Sluice!'));
        expect(await c.call('SETRANGE', 'k', '0', 'J')).toBe(int(13));
        expect(await c.call('GET', 'k')).toBe(bulk('Jello Sluice!'));
      });

      it('pads with zero bytes past the end, and creates a missing key', async () => {
        expect(await c.call('SETRANGE', 'k', '5', 'x')).toBe(int(6));
        expect(await c.call('GET', 'k')).toBe(bulk('\0\0\0\0\0x'));
        await c.call('SET', 'ab', 'ab');
        expect(await c.call('SETRANGE', 'ab', '4', Buffer.from([0xff, 0]))).toBe(int(6));
        expect(await c.call('GET', 'ab')).toBe(bulk(Buffer.from([0x61, 0x62, 0, 0, 0xff, 0])));
        expect(await c.call('TTL', 'k')).toBe(int(-1));
      });

      it('an empty value changes nothing: 0 (key not created) or the current length', async () => {
        expect(await c.call('SETRANGE', 'k', '5', '')).toBe(int(0));
        expect(await c.call('SETRANGE', 'k', LLONG_MAX, '')).toBe(int(0));
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        await c.call('SET', 'k', 'abc');
        expect(await c.call('SETRANGE', 'k', '10', '')).toBe(int(3));
        expect(await c.call('SETRANGE', 'k', LLONG_MAX, '')).toBe(int(3));
        expect(await c.call('GET', 'k')).toBe(bulk('abc'));
      });

      it('keeps the TTL', async () => {
        await c.call('SET', 'k', 'abc', 'EX', '100');
        expect(await c.call('SETRANGE', 'k', '1', 'X')).toBe(int(3));
        expect(await c.call('GET', 'k')).toBe(bulk('aXc'));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
      });

      it('offset errors: not an integer, negative', async () => {
        expect(await c.call('SETRANGE', 'k', 'x', 'v')).toBe(ERR.notInteger);
        expect(await c.call('SETRANGE', 'k', '1.5', 'v')).toBe(ERR.notInteger);
        expect(await c.call('SETRANGE', 'k', '9223372036854775808', 'v')).toBe(ERR.notInteger);
        expect(await c.call('SETRANGE', 'k', '-1', 'v')).toBe(E.offset);
        expect(await c.call('SETRANGE', 'k', '-1', '')).toBe(E.offset);
        expect(await c.call('SETRANGE', 'k', LLONG_MIN, 'v')).toBe(E.offset);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
      });

      it('a value longer than proto-max-bulk-len is refused, for new and existing keys', async () => {
        expect(await c.call('SETRANGE', 'k', '536870912', 'x')).toBe(E.tooLong);
        expect(await c.call('SETRANGE', 'k', '536870911', 'xy')).toBe(E.tooLong);
        expect(await c.call('SETRANGE', 'k', LLONG_MAX, 'x')).toBe(E.tooLong);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        await c.call('SET', 'k', 'abc');
        expect(await c.call('SETRANGE', 'k', '536870912', 'x')).toBe(E.tooLong);
        expect(await c.call('GET', 'k')).toBe(bulk('abc'));
        await withSmallBulkLimit(async () => {
          expect(await c.call('SETRANGE', 'k', '1048576', 'x')).toBe(E.tooLong);
          expect(await c.call('SETRANGE', 'k', '1048575', 'x')).toBe(int(1048576));
        });
      });
    });

    describe('GETDEL and GETSET', () => {
      it('GETDEL returns the value and deletes the key', async () => {
        await c.call('SET', 'k', 'v', 'EX', '100');
        expect(await c.call('GETDEL', 'k')).toBe(bulk('v'));
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        expect(await c.call('GETDEL', 'k')).toBe(nil(proto));
      });

      it('GETDEL of an expired key is null', async () => {
        await c.call('SET', 'k', 'v', 'PX', '30');
        await sleep(80);
        expect(await c.call('GETDEL', 'k')).toBe(nil(proto));
      });

      it('GETSET returns the old value (null when missing), sets the new one and clears the TTL', async () => {
        expect(await c.call('GETSET', 'k', 'a')).toBe(nil(proto));
        expect(await c.call('GET', 'k')).toBe(bulk('a'));
        await c.call('SET', 'k', 'b', 'EX', '100');
        expect(await c.call('GETSET', 'k', 'c')).toBe(bulk('b'));
        expect(await c.call('GET', 'k')).toBe(bulk('c'));
        expect(await c.call('TTL', 'k')).toBe(int(-1));
        expect(await c.call('GETSET', 'k', '')).toBe(bulk('c'));
        expect(await c.call('GET', 'k')).toBe(EMPTY);
      });
    });

    describe('GETEX', () => {
      it('without options it is GET and leaves the TTL', async () => {
        expect(await c.call('GETEX', 'missing')).toBe(nil(proto));
        await c.call('SET', 'k', 'v', 'EX', '100');
        expect(await c.call('GETEX', 'k')).toBe(bulk('v'));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
      });

      it('EX, PX, EXAT and PXAT set the TTL; PERSIST removes it', async () => {
        await c.call('SET', 'k', 'v');
        expect(await c.call('GETEX', 'k', 'EX', '100')).toBe(bulk('v'));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
        expect(await c.call('GETEX', 'k', 'px', '50000')).toBe(bulk('v'));
        const pttl = await value('PTTL', 'k');
        expect(pttl).toBeGreaterThan(45_000);
        expect(pttl).toBeLessThanOrEqual(50_000);
        expect(await c.call('GETEX', 'k', 'EXAT', String(Math.floor(Date.now() / 1000) + 200))).toBe(
          bulk('v'),
        );
        expect(await value('TTL', 'k')).toBeOneOf([198, 199, 200]);
        expect(await c.call('GETEX', 'k', 'PXAT', String(Date.now() + 300_000))).toBe(bulk('v'));
        expect(await value('TTL', 'k')).toBeOneOf([298, 299, 300]);
        expect(await c.call('GETEX', 'k', 'PERSIST')).toBe(bulk('v'));
        expect(await c.call('TTL', 'k')).toBe(int(-1));
        expect(await c.call('GETEX', 'k', 'PERSIST', 'persist')).toBe(bulk('v'));
        expect(await c.call('GET', 'k')).toBe(bulk('v'));
      });

      it('the same option may repeat; the last value wins', async () => {
        await c.call('SET', 'k', 'v');
        expect(await c.call('GETEX', 'k', 'EX', '10', 'ex', '200')).toBe(bulk('v'));
        expect(await value('TTL', 'k')).toBeOneOf([199, 200]);
      });

      it('EXAT/PXAT in the past return the value and delete the key', async () => {
        await c.call('SET', 'k', 'v');
        expect(await c.call('GETEX', 'k', 'EXAT', '1')).toBe(bulk('v'));
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
        await c.call('SET', 'k', 'w');
        expect(await c.call('GETEX', 'k', 'PXAT', String(Date.now() - 1000))).toBe(bulk('w'));
        expect(await c.call('GET', 'k')).toBe(nil(proto));
      });

      it.each([
        ['EX'],
        ['PX'],
        ['EXAT'],
        ['PXAT'],
        ['PERSIST', 'EX', '10'],
        ['EX', '10', 'PERSIST'],
        ['EX', '10', 'PX', '100'],
        ['EXAT', '9999999999', 'PXAT', '9999999999999'],
        ['NX'],
        ['XX'],
        ['GET'],
        ['KEEPTTL'],
        ['FOO'],
        ['EX', '10', 'FOO'],
      ])('syntax error: GETEX k %s (even for a missing key)', async (...options: string[]) => {
        expect(await c.call('GETEX', 'missing', ...options)).toBe(ERR.syntax);
        await c.call('SET', 'k', 'v');
        expect(await c.call('GETEX', 'k', ...options)).toBe(ERR.syntax);
        expect(await c.call('TTL', 'k')).toBe(int(-1));
      });

      it.each([
        ['EX', '0'],
        ['EX', '-1'],
        ['PX', '0'],
        ['EXAT', '0'],
        ['PXAT', '-1'],
        ['EX', '9223372036854775'],
        ['PX', LLONG_MAX],
        ['EXAT', '9223372036854776'],
      ])('invalid expire time: GETEX k %s %s', async (option, arg) => {
        await c.call('SET', 'k', 'v');
        expect(await c.call('GETEX', 'k', option, arg)).toBe(E.expire('getex'));
        expect(await c.call('TTL', 'k')).toBe(int(-1));
        // A missing key is null before its expire time is looked at.
        expect(await c.call('GETEX', 'missing', option, arg)).toBe(nil(proto));
      });

      it.each([
        ['EX', 'x'],
        ['PX', '1.5'],
        ['EXAT', ''],
        ['PXAT', '9223372036854775808'],
      ])('not an integer: GETEX k %s %j', async (option, arg) => {
        await c.call('SET', 'k', 'v');
        expect(await c.call('GETEX', 'k', option, arg)).toBe(ERR.notInteger);
        expect(await c.call('GETEX', 'missing', option, arg)).toBe(nil(proto));
      });
    });

    describe('SETEX PSETEX SETNX MSETNX', () => {
      it('SETEX and PSETEX set the value with a TTL, replacing the old one', async () => {
        await c.call('SET', 'k', 'old', 'EX', '1000');
        expect(await c.call('SETEX', 'k', '100', 'v')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('v'));
        expect(await value('TTL', 'k')).toBeOneOf([99, 100]);
        expect(await c.call('PSETEX', 'k', '50000', 'w')).toBe(OK);
        expect(await c.call('GET', 'k')).toBe(bulk('w'));
        const pttl = await value('PTTL', 'k');
        expect(pttl).toBeGreaterThan(45_000);
        expect(pttl).toBeLessThanOrEqual(50_000);
      });

      it('PSETEX keys expire', async () => {
        expect(await c.call('PSETEX', 'k', '40', 'v')).toBe(OK);
        await sleep(100);
        expect(await c.call('GET', 'k')).toBe(nil(proto));
      });

      it.each([
        ['SETEX', '0'],
        ['SETEX', '-10'],
        ['SETEX', '9223372036854775'],
        ['PSETEX', '0'],
        ['PSETEX', '-1'],
        ['PSETEX', LLONG_MAX],
      ])('invalid expire time: %s k %s v', async (name, arg) => {
        expect(await c.call(name, 'k', arg, 'v')).toBe(E.expire(name.toLowerCase()));
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
      });

      it.each([
        ['SETEX', 'x'],
        ['SETEX', '1.5'],
        ['PSETEX', ''],
        ['PSETEX', '9223372036854775808'],
      ])('not an integer: %s k %j v', async (name, arg) => {
        expect(await c.call(name, 'k', arg, 'v')).toBe(ERR.notInteger);
        expect(await c.call('EXISTS', 'k')).toBe(int(0));
      });

      it('SETNX sets only a missing (or expired) key', async () => {
        expect(await c.call('SETNX', 'k', 'a')).toBe(int(1));
        expect(await c.call('SETNX', 'k', 'b')).toBe(int(0));
        expect(await c.call('GET', 'k')).toBe(bulk('a'));
        await c.call('SET', 'e', 'old', 'PX', '30');
        await sleep(80);
        expect(await c.call('SETNX', 'e', 'new')).toBe(int(1));
        expect(await c.call('GET', 'e')).toBe(bulk('new'));
        expect(await c.call('TTL', 'e')).toBe(int(-1));
      });

      it('MSETNX sets every key or none', async () => {
        expect(await c.call('MSETNX', 'a', '1', 'b', '2')).toBe(int(1));
        expect(await c.call('MSETNX', 'c', '3', 'b', '4')).toBe(int(0));
        expect(await c.call('EXISTS', 'c')).toBe(int(0));
        expect(await c.call('GET', 'b')).toBe(bulk('2'));
        expect(await c.call('MSETNX', 'd', '1', 'd', '2')).toBe(int(1));
        expect(await c.call('GET', 'd')).toBe(bulk('2'));
        await c.call('SET', 't', 'v', 'EX', '100');
        expect(await c.call('MSETNX', 't', 'x', 'u', 'y')).toBe(int(0));
        expect(await c.call('EXISTS', 'u')).toBe(int(0));
      });

      it('MSETNX with an odd number of arguments', async () => {
        expect(await c.call('MSETNX', 'a', '1', 'b')).toBe(ERR.arity('msetnx'));
        expect(await c.call('EXISTS', 'a')).toBe(int(0));
      });
    });

    describe('LCS', () => {
      beforeEach(async () => {
        expect(await c.call('MSET', 'key1', 'ohmytext', 'key2', 'mynewtext')).toBe(OK);
      });

      /** LCS's IDX reply: a map in RESP3, a flat array in RESP2. */
      const idx = (matches: string, len: number): string =>
        `${proto === 3 ? '%2' : '*4'}\r\n${bulk('matches')}${matches}${bulk('len')}${int(len)}`;
      const range = (a: number, b: number): string => array(int(a), int(b));

      it('the subsequence, and its length', async () => {
        expect(await c.call('LCS', 'key1', 'key2')).toBe(bulk('mytext'));
        expect(await c.call('LCS', 'key2', 'key1')).toBe(bulk('mytext'));
        expect(await c.call('LCS', 'key1', 'key2', 'LEN')).toBe(int(6));
        expect(await c.call('lcs', 'key1', 'key2', 'len', 'len')).toBe(int(6));
        expect(await c.call('LCS', 'key1', 'key1')).toBe(bulk('ohmytext'));
      });

      it('IDX: matching runs from last to first', async () => {
        expect(await c.call('LCS', 'key1', 'key2', 'IDX')).toBe(
          idx(array(array(range(4, 7), range(5, 8)), array(range(2, 3), range(0, 1))), 6),
        );
        expect(await c.call('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
          idx(array(array(range(4, 7), range(5, 8), int(4))), 6),
        );
        expect(await c.call('LCS', 'key1', 'key2', 'withmatchlen', 'IDX', 'minmatchlen', '-5')).toBe(
          idx(array(array(range(4, 7), range(5, 8), int(4)), array(range(2, 3), range(0, 1), int(2))), 6),
        );
        expect(await c.call('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '10')).toBe(idx(array(), 6));
      });

      it('WITHMATCHLEN and MINMATCHLEN without IDX change nothing', async () => {
        expect(await c.call('LCS', 'key1', 'key2', 'WITHMATCHLEN', 'MINMATCHLEN', '5')).toBe(bulk('mytext'));
      });

      it('binary values and missing keys (empty strings)', async () => {
        await c.call('SET', 'b1', Buffer.from([0, 1, 2, 0xff, 3]));
        await c.call('SET', 'b2', Buffer.from([9, 0, 2, 3, 0xff]));
        expect(await c.call('LCS', 'b1', 'b2')).toBe(bulk(Buffer.from([0, 2, 3])));
        expect(await c.call('LCS', 'key1', 'missing')).toBe(EMPTY);
        expect(await c.call('LCS', 'missing', 'other', 'LEN')).toBe(int(0));
        expect(await c.call('LCS', 'missing', 'key1', 'IDX')).toBe(idx(array(), 0));
      });

      it('errors', async () => {
        expect(await c.call('LCS', 'key1', 'key2', 'LEN', 'IDX')).toBe(E.lcsLenAndIdx);
        expect(await c.call('LCS', 'key1', 'key2', 'MINMATCHLEN')).toBe(ERR.syntax);
        expect(await c.call('LCS', 'key1', 'key2', 'MINMATCHLEN', 'x')).toBe(ERR.notInteger);
        expect(await c.call('LCS', 'key1', 'key2', 'FOO')).toBe(ERR.syntax);
        expect(await c.call('LCS', 'key1', 'key2', 'IDX', 'FOO')).toBe(ERR.syntax);
      });

      it('refuses a table larger than proto-max-bulk-len', async () => {
        await withSmallBulkLimit(async () => {
          await c.call('SET', 'a', 'a'.repeat(600));
          await c.call('SET', 'b', 'a'.repeat(600));
          expect(await c.call('LCS', 'a', 'b', 'LEN')).toBe(E.lcsMemory);
          await c.call('SET', 'b', 'a'.repeat(400));
          expect(await c.call('LCS', 'a', 'b', 'LEN')).toBe(int(400));
        });
      });
    });
  });
});
