import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

const notInteger = R.err(errorReply('notInteger'));
const invalidExpire = (name: string) => R.err(errorReply('invalidExpire', name));

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT', () => {
  const { context } = useKeyspace();

  it('set the expiry relative to the command time or absolute, and answer 1', () => {
    const c = context();
    c.call('MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(c.call('EXPIRE', 'a', '100')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('PEXPIRETIME', 'a')).toBe(R.int(c.now + 100_000));
    expect(c.call('PEXPIRE', 'b', '1500')).toBe(R.int(1));
    expect(c.call('PEXPIRETIME', 'b')).toBe(R.int(c.now + 1500));
    const at = Math.floor(c.now / 1000) + 1000;
    expect(c.call('EXPIREAT', 'c', String(at))).toBe(R.int(1));
    expect(c.call('PEXPIRETIME', 'c')).toBe(R.int(at * 1000));
    expect(c.call('PEXPIREAT', 'd', String(c.now + 7))).toBe(R.int(1));
    expect(c.call('PEXPIRETIME', 'd')).toBe(R.int(c.now + 7));
    expect(c.call('GET', 'd')).toBe(R.bulk('4'));
  });

  it('answer 0 for a missing or expired key, and write nothing', () => {
    const c = context();
    expect(c.call('EXPIRE', 'missing', '10')).toBe(R.int(0));
    expect(c.call('PEXPIREAT', 'missing', '1')).toBe(R.int(0));
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('EXPIRE', 'gone', '100')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('EXISTS', 'gone')).toBe(R.int(0));
  });

  it('a time already past (zero, negative, an old timestamp) deletes the key and answers 1', () => {
    const c = context();
    for (const args of [
      ['EXPIRE', 'k', '0'],
      ['EXPIRE', 'k', '-1'],
      ['PEXPIRE', 'k', '-9223372036854775808'],
      ['EXPIRE', 'k', '-9223372036854775'],
      ['EXPIREAT', 'k', '1'],
      ['PEXPIREAT', 'k', String(c.now)],
    ]) {
      c.call('SET', 'k', 'v');
      expect(c.call(...(args as [string, ...string[]])), args.join(' ')).toBe(R.int(1));
      expect(c.commits.length).toBe(1);
      expect(c.call('EXISTS', 'k'), args.join(' ')).toBe(R.int(0));
    }
  });

  it('NX sets only when the key has no expiry; XX only when it has one', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('EXPIRE', 'k', '100', 'XX')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
    expect(c.call('EXPIRE', 'k', '100', 'NX')).toBe(R.int(1));
    expect(c.call('EXPIRE', 'k', '50', 'nx')).toBe(R.int(0));
    expect(c.call('TTL', 'k')).toBe(R.int(100));
    expect(c.call('EXPIRE', 'k', '50', 'xx')).toBe(R.int(1));
    expect(c.call('TTL', 'k')).toBe(R.int(50));
  });

  it('GT sets only a later time, and never on a key without expiry; LT only an earlier one, or any on a persistent key', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('EXPIRE', 'k', '100', 'GT')).toBe(R.int(0));
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
    expect(c.call('EXPIRE', 'k', '100', 'LT')).toBe(R.int(1));
    expect(c.call('TTL', 'k')).toBe(R.int(100));
    expect(c.call('EXPIRE', 'k', '100', 'GT')).toBe(R.int(0));
    expect(c.call('EXPIRE', 'k', '100', 'LT')).toBe(R.int(0));
    expect(c.call('EXPIRE', 'k', '200', 'LT')).toBe(R.int(0));
    expect(c.call('EXPIRE', 'k', '200', 'gt')).toBe(R.int(1));
    expect(c.call('TTL', 'k')).toBe(R.int(200));
    expect(c.call('EXPIRE', 'k', '50', 'lt')).toBe(R.int(1));
    expect(c.call('TTL', 'k')).toBe(R.int(50));
    // XX with GT: both must hold.
    expect(c.call('PEXPIRE', 'k', '60000', 'XX', 'GT')).toBe(R.int(1));
    expect(c.call('PTTL', 'k')).toBe(R.int(60_000));
  });

  it('NX with XX, GT or LT, and GT with LT, are refused before anything else', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    const nxAndOthers = R.err(errorReply('nxAndOthers'));
    const gtAndLt = R.err(errorReply('gtAndLt'));
    expect(c.call('EXPIRE', 'k', '100', 'NX', 'XX')).toBe(nxAndOthers);
    expect(c.call('EXPIRE', 'k', '100', 'GT', 'NX')).toBe(nxAndOthers);
    expect(c.call('PEXPIREAT', 'k', '100', 'NX', 'LT')).toBe(nxAndOthers);
    expect(c.call('EXPIRE', 'k', '100', 'GT', 'LT')).toBe(gtAndLt);
    expect(c.call('EXPIREAT', 'k', '100', 'XX', 'GT', 'LT')).toBe(gtAndLt);
    expect(c.call('EXPIRE', 'k', 'abc', 'GT', 'LT')).toBe(gtAndLt);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
  });

  it('an unknown option is named in the error, as sent, before the time is parsed', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('EXPIRE', 'k', '100', 'Foo')).toBe(R.err(errorReply('unsupportedOption', 'Foo')));
    expect(c.call('PEXPIRE', 'k', 'abc', 'NX', 'BAR')).toBe(R.err(errorReply('unsupportedOption', 'BAR')));
  });

  it('a time that is not a 64-bit integer is notInteger, even for a missing key', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('EXPIRE', 'k', 'abc')).toBe(notInteger);
    expect(c.call('PEXPIRE', 'k', '1.5')).toBe(notInteger);
    expect(c.call('EXPIREAT', 'k', '9223372036854775808')).toBe(notInteger);
    expect(c.call('PEXPIREAT', 'missing', 'x')).toBe(notInteger);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
  });

  it('a time that overflows once in milliseconds, or once the command time is added, is invalidExpire', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('EXPIRE', 'k', '9223372036854776')).toBe(invalidExpire('expire'));
    expect(c.call('EXPIRE', 'k', '-9223372036854776')).toBe(invalidExpire('expire'));
    expect(c.call('EXPIRE', 'k', '9223372036854775')).toBe(invalidExpire('expire'));
    expect(c.call('EXPIREAT', 'k', '9223372036854776')).toBe(invalidExpire('expireat'));
    expect(c.call('PEXPIRE', 'k', '9223372036854775807')).toBe(invalidExpire('pexpire'));
    // Even for a missing key: the time is checked first.
    expect(c.call('PEXPIRE', 'missing', '9223372036854775807')).toBe(invalidExpire('pexpire'));
    expect(c.commits).toEqual([]);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
    // An absolute time in milliseconds cannot overflow.
    expect(c.call('PEXPIREAT', 'k', '9223372036854775807')).toBe(R.int(1));
    expect(c.call('EXPIREAT', 'k', '9223372036854775')).toBe(R.int(1));
    expect(c.call('EXISTS', 'k')).toBe(R.int(1));
  });
});

describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST', () => {
  const { context } = useKeyspace();

  it('answer -2 for a missing key and -1 for a key without expiry', () => {
    const c = context();
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(c.call(cmd, 'missing'), cmd).toBe(R.int(-2));
    }
    c.call('SET', 'p', 'v');
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(c.call(cmd, 'p'), cmd).toBe(R.int(-1));
    }
  });

  it('answer the time left, and the time of expiry, for a volatile key', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PXAT', String(c.now + 90_000));
    expect(c.call('PTTL', 'k')).toBe(R.int(90_000));
    expect(c.call('TTL', 'k')).toBe(R.int(90));
    expect(c.call('PEXPIRETIME', 'k')).toBe(R.int(c.now + 90_000));
    c.call('SET', 's', 'v', 'PXAT', '4000000000000');
    expect(c.call('EXPIRETIME', 's')).toBe(R.int(4_000_000_000));
    c.now += 30_000;
    expect(c.call('PTTL', 'k')).toBe(R.int(60_000));
    expect(c.call('TTL', 'k')).toBe(R.int(60));
  });

  it('TTL rounds the milliseconds left to the nearest second, half up', () => {
    const c = context();
    c.call('SET', 'a', 'v', 'PX', '1499');
    c.call('SET', 'b', 'v', 'PX', '1500');
    c.call('SET', 'c', 'v', 'PX', '1');
    expect(c.call('TTL', 'a')).toBe(R.int(1));
    expect(c.call('TTL', 'b')).toBe(R.int(2));
    expect(c.call('TTL', 'c')).toBe(R.int(0));
  });

  it('a key past its time counts as missing', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '10000');
    c.now += 10_000;
    expect(c.call('TTL', 'k')).toBe(R.int(-2));
    expect(c.call('PEXPIRETIME', 'k')).toBe(R.int(-2));
  });

  // redis-server 7.0.15 answers EXPIRETIME as (ms + 500) / 1000, rounding to the nearest second.
  it('EXPIRETIME rounds the time of expiry to the nearest second, as redis-server 7.0 does', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PXAT', '4000000000600');
    expect(c.call('EXPIRETIME', 'k')).toBe(R.int(4_000_000_001));
  });

  // Records keep expiry times as doubles (LLONG_MAX is stored as 2^63); replies clamp at LLONG_MAX.
  it('PEXPIRETIME answers PEXPIREAT 9223372036854775807 exactly', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    c.call('PEXPIREAT', 'k', '9223372036854775807');
    expect(c.call('PEXPIRETIME', 'k')).toBe(R.int(9223372036854775807n));
  });

  it('PERSIST removes the expiry (1); a key without one or a missing key answers 0 and writes nothing', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'EX', '100');
    expect(c.call('PERSIST', 'k')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
    expect(c.call('PERSIST', 'k')).toBe(R.int(0));
    expect(c.call('PERSIST', 'missing')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    c.call('SET', 'gone', 'v', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('PERSIST', 'gone')).toBe(R.int(0));
  });
});
