import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

const notInteger = R.err(errorReply('notInteger'));
const overflow = R.err(errorReply('overflow'));
const notFloat = R.err(errorReply('notFloat'));
const nanOrInfinity = R.err(errorReply('nanOrInfinity'));

const LLONG_MAX = '9223372036854775807';
const LLONG_MIN = '-9223372036854775808';

describe('INCR, DECR, INCRBY, DECRBY', () => {
  const { context } = useKeyspace();

  it('a missing key counts as 0', () => {
    const c = context();
    expect(c.call('INCR', 'a')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('DECR', 'b')).toBe(R.int(-1));
    expect(c.call('INCRBY', 'c', '10')).toBe(R.int(10));
    expect(c.call('DECRBY', 'd', '7')).toBe(R.int(-7));
    expect(c.call('GET', 'd')).toBe(R.bulk('-7'));
  });

  it('adds to the stored integer and stores the result as text', () => {
    const c = context();
    c.call('SET', 'n', '41');
    expect(c.call('INCR', 'n')).toBe(R.int(42));
    expect(c.call('INCRBY', 'n', '-50')).toBe(R.int(-8));
    expect(c.call('DECRBY', 'n', '-10')).toBe(R.int(2));
    expect(c.call('DECR', 'n')).toBe(R.int(1));
    expect(c.call('GET', 'n')).toBe(R.bulk('1'));
  });

  it('a stored value that is not a 64-bit integer is notInteger, and is left as it was', () => {
    const c = context();
    for (const value of ['abc', '', '1.5', '01', '+1', ' 1', '1 ', '9223372036854775808', '1e3']) {
      c.call('SET', 'k', value);
      expect(c.call('INCR', 'k'), JSON.stringify(value)).toBe(notInteger);
      expect(c.call('DECRBY', 'k', '1'), JSON.stringify(value)).toBe(notInteger);
      expect(c.commits).toEqual([]);
      expect(c.call('GET', 'k')).toBe(R.bulk(value));
    }
  });

  it('an increment that is not a 64-bit integer is notInteger', () => {
    const c = context();
    c.call('SET', 'k', '5');
    for (const incr of ['abc', '1.5', '', '9223372036854775808', '-9223372036854775809', '0x10']) {
      expect(c.call('INCRBY', 'k', incr), JSON.stringify(incr)).toBe(notInteger);
      expect(c.call('DECRBY', 'k', incr), JSON.stringify(incr)).toBe(notInteger);
    }
    expect(c.call('GET', 'k')).toBe(R.bulk('5'));
  });

  it('reaches both 64-bit edges exactly', () => {
    const c = context();
    expect(c.call('INCRBY', 'max', LLONG_MAX)).toBe(R.int(9223372036854775807n));
    expect(c.call('GET', 'max')).toBe(R.bulk(LLONG_MAX));
    expect(c.call('INCRBY', 'min', LLONG_MIN)).toBe(R.int(-9223372036854775808n));
    expect(c.call('DECRBY', 'q', LLONG_MAX)).toBe(R.int(-9223372036854775807n));
    expect(c.call('DECR', 'q')).toBe(R.int(-9223372036854775808n));
    expect(c.call('GET', 'q')).toBe(R.bulk(LLONG_MIN));
    // Near the edges the arithmetic stays exact (past 2^53).
    c.call('SET', 'big', '9223372036854775000');
    expect(c.call('INCRBY', 'big', '807')).toBe(R.int(9223372036854775807n));
    expect(c.call('INCRBY', 'max', LLONG_MIN)).toBe(R.int(-1));
  });

  it('going past LLONG_MAX or below LLONG_MIN is overflow, and the value is left as it was', () => {
    const c = context();
    c.call('SET', 'max', LLONG_MAX);
    expect(c.call('INCR', 'max')).toBe(overflow);
    expect(c.call('INCRBY', 'max', '1')).toBe(overflow);
    expect(c.call('DECRBY', 'max', '-1')).toBe(overflow);
    expect(c.call('GET', 'max')).toBe(R.bulk(LLONG_MAX));
    c.call('SET', 'min', LLONG_MIN);
    expect(c.call('DECR', 'min')).toBe(overflow);
    expect(c.call('DECRBY', 'min', '1')).toBe(overflow);
    expect(c.call('INCRBY', 'min', '-1')).toBe(overflow);
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'min')).toBe(R.bulk(LLONG_MIN));
    expect(c.call('DECRBY', 'min', '-1')).toBe(R.int(-9223372036854775807n));
  });

  it('DECRBY -9223372036854775808 is decrementOverflow, before the key is even read', () => {
    const c = context();
    const error = R.err(errorReply('decrementOverflow'));
    expect(c.call('DECRBY', 'missing', LLONG_MIN)).toBe(error);
    expect(c.call('EXISTS', 'missing')).toBe(R.int(0));
    c.call('SET', 'text', 'notnum');
    expect(c.call('DECRBY', 'text', LLONG_MIN)).toBe(error);
    c.call('SET', 'zero', '0');
    expect(c.call('DECRBY', 'zero', LLONG_MIN)).toBe(error);
    expect(c.call('GET', 'zero')).toBe(R.bulk('0'));
  });

  it('keeps the expiry of the key', () => {
    const c = context();
    c.call('SET', 'k', '10', 'PX', '5000');
    expect(c.call('INCR', 'k')).toBe(R.int(11));
    expect(c.call('DECRBY', 'k', '3')).toBe(R.int(8));
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });

  it('an expired key counts as missing, and the new value has no expiry', () => {
    const c = context();
    c.call('SET', 'k', '10', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('INCR', 'k')).toBe(R.int(1));
    expect(c.call('PTTL', 'k')).toBe(R.int(-1));
  });
});

describe('INCRBYFLOAT', () => {
  const { context } = useKeyspace();

  it('adds and answers the sum as a bulk string, trailing zeros removed', () => {
    const c = context();
    expect(c.call('INCRBYFLOAT', 'k', '1.5')).toBe(R.bulk('1.5'));
    expect(c.commits.length).toBe(1);
    expect(c.call('INCRBYFLOAT', 'k', '0.1')).toBe(R.bulk('1.6'));
    expect(c.call('INCRBYFLOAT', 'k', '-1.6')).toBe(R.bulk('0'));
    expect(c.call('INCRBYFLOAT', 'k', '3.0e3')).toBe(R.bulk('3000'));
    expect(c.call('GET', 'k')).toBe(R.bulk('3000'));
    expect(c.call('INCRBYFLOAT', 'v', '0.1')).toBe(R.bulk('0.1'));
    expect(c.call('INCRBYFLOAT', 'v', '0.2')).toBe(R.bulk('0.3'));
    expect(c.call('INCRBYFLOAT', 'u', '-1.5')).toBe(R.bulk('-1.5'));
    expect(c.call('INCRBYFLOAT', 'u', '10.5e-1')).toBe(R.bulk('-0.45'));
  });

  it('reads stored integers, exponents and hexadecimal as strtold does', () => {
    const c = context();
    c.call('SET', 'h', '1e2');
    expect(c.call('INCRBYFLOAT', 'h', '1')).toBe(R.bulk('101'));
    expect(c.call('INCRBYFLOAT', 'h', '.25')).toBe(R.bulk('101.25'));
    expect(c.call('INCRBYFLOAT', 'x', '0x10')).toBe(R.bulk('16'));
    c.call('SET', 'big', LLONG_MAX);
    // Long double keeps 64 bits of significand: 2^63 is exact.
    expect(c.call('INCRBYFLOAT', 'big', '1')).toBe(R.bulk('9223372036854775808'));
  });

  it('the same answer in RESP3: a bulk string', () => {
    const c = context();
    c.session.protocol = 3;
    expect(c.call('INCRBYFLOAT', 'k', '2.5')).toBe(R.bulk('2.5'));
  });

  it('a stored value or an increment that is not a float is notFloat, and nothing is written', () => {
    const c = context();
    for (const value of ['abc', '', ' 1', '1 ', 'nan', '2e', '1e5000']) {
      c.call('SET', 'k', value);
      expect(c.call('INCRBYFLOAT', 'k', '1'), JSON.stringify(value)).toBe(notFloat);
      expect(c.call('GET', 'k')).toBe(R.bulk(value));
    }
    c.call('SET', 'n', '1.5');
    for (const incr of ['abc', '', ' 2', '2 ', 'nan', '2e', '1e5000', '1.5.5']) {
      expect(c.call('INCRBYFLOAT', 'n', incr), JSON.stringify(incr)).toBe(notFloat);
      expect(c.commits).toEqual([]);
    }
    expect(c.call('GET', 'n')).toBe(R.bulk('1.5'));
  });

  it('an infinite sum is nanOrInfinity, and the value is left as it was', () => {
    const c = context();
    c.call('SET', 'k', '1.5');
    expect(c.call('INCRBYFLOAT', 'k', 'inf')).toBe(nanOrInfinity);
    expect(c.call('INCRBYFLOAT', 'k', '-inf')).toBe(nanOrInfinity);
    expect(c.call('INCRBYFLOAT', 'k', '+Infinity')).toBe(nanOrInfinity);
    expect(c.call('GET', 'k')).toBe(R.bulk('1.5'));
    // Past the long double range.
    c.call('SET', 'huge', '1e4932');
    expect(c.call('INCRBYFLOAT', 'huge', '1e4932')).toBe(nanOrInfinity);
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'huge')).toBe(R.bulk('1e4932'));
  });

  it('keeps the expiry of the key', () => {
    const c = context();
    c.call('SET', 'k', '10', 'PX', '5000');
    expect(c.call('INCRBYFLOAT', 'k', '1.5')).toBe(R.bulk('11.5'));
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });
});
