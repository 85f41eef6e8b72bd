import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

const syntax = R.err(errorReply('syntax'));
const notInteger = R.err(errorReply('notInteger'));
const invalidExpire = (name: string) => R.err(errorReply('invalidExpire', name));

describe('SET', () => {
  const { context } = useKeyspace();

  it('stores the value with no expiry, replacing what was there, and records one batch', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v1')).toBe(R.ok);
    expect(c.commits.length).toBe(1);
    expect(c.call('SET', 'k', 'v2')).toBe(R.ok);
    expect(c.call('GET', 'k')).toBe(R.bulk('v2'));
    expect(c.call('PTTL', 'k')).toBe(R.int(-1));
  });

  it('a SET without options drops the expiry the key had', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'EX', '100');
    expect(c.call('SET', 'k', 'w')).toBe(R.ok);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
  });

  it('EX, PX, EXAT and PXAT set the expiry, relative to the command time or absolute', () => {
    const c = context();
    c.call('SET', 'ex', 'v', 'EX', '100');
    expect(c.call('PTTL', 'ex')).toBe(R.int(100_000));
    c.call('SET', 'px', 'v', 'px', '1500');
    expect(c.call('PTTL', 'px')).toBe(R.int(1500));
    const at = Math.floor(c.now / 1000) + 200;
    c.call('SET', 'exat', 'v', 'EXAT', String(at));
    expect(c.call('PEXPIRETIME', 'exat')).toBe(R.int(at * 1000));
    c.call('SET', 'pxat', 'v', 'PXAT', String(c.now + 5000));
    expect(c.call('PEXPIRETIME', 'pxat')).toBe(R.int(c.now + 5000));
  });

  it('a repeated expiry option is accepted and the last value wins, as in redis-server', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v', 'EX', '10', 'EX', '20')).toBe(R.ok);
    expect(c.call('PTTL', 'k')).toBe(R.int(20_000));
    expect(c.call('SET', 'k', 'v', 'NX', 'NX')).toBe(R.nil);
    expect(c.call('SET', 'k', 'v', 'KEEPTTL', 'KEEPTTL')).toBe(R.ok);
    expect(c.call('SET', 'k', 'w', 'GET', 'GET')).toBe(R.bulk('v'));
  });

  it('conflicting options are a syntax error and write nothing', () => {
    const c = context();
    c.call('SET', 'k', 'old');
    for (const options of [
      ['NX', 'XX'],
      ['XX', 'NX'],
      ['EX', '10', 'PX', '10'],
      ['PX', '10', 'EX', '10'],
      ['EX', '10', 'EXAT', '10'],
      ['EXAT', '10', 'PXAT', '10'],
      ['PXAT', '10', 'PX', '10'],
      ['KEEPTTL', 'EX', '10'],
      ['EX', '10', 'KEEPTTL'],
      ['PXAT', '10', 'KEEPTTL'],
    ]) {
      expect(c.call('SET', 'k', 'new', ...options), options.join(' ')).toBe(syntax);
      expect(c.commits).toEqual([]);
    }
    expect(c.call('GET', 'k')).toBe(R.bulk('old'));
  });

  it('an unknown option, or an expiry option without its value, is a syntax error', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v', 'FOO')).toBe(syntax);
    expect(c.call('SET', 'k', 'v', 'EX')).toBe(syntax);
    expect(c.call('SET', 'k', 'v', 'NX', 'PXAT')).toBe(syntax);
    // Options are parsed before the expire time is read: the syntax error comes first.
    expect(c.call('SET', 'k', 'v', 'EX', 'abc', 'FOO')).toBe(syntax);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
  });

  it('an expire time that is not a 64-bit integer is notInteger', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v', 'EX', 'abc')).toBe(notInteger);
    expect(c.call('SET', 'k', 'v', 'PX', '1.5')).toBe(notInteger);
    expect(c.call('SET', 'k', 'v', 'EXAT', '9223372036854775808')).toBe(notInteger);
    expect(c.call('SET', 'k', 'v', 'PXAT', ' 1')).toBe(notInteger);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
  });

  it('zero, negative and overflowing expire times are invalidExpire', () => {
    const c = context();
    for (const option of ['EX', 'PX', 'EXAT', 'PXAT']) {
      expect(c.call('SET', 'k', 'v', option, '0'), option).toBe(invalidExpire('set'));
      expect(c.call('SET', 'k', 'v', option, '-1'), option).toBe(invalidExpire('set'));
    }
    // Seconds past LLONG_MAX / 1000 overflow once converted to milliseconds.
    expect(c.call('SET', 'k', 'v', 'EX', '9223372036854776')).toBe(invalidExpire('set'));
    expect(c.call('SET', 'k', 'v', 'EXAT', '9223372036854776')).toBe(invalidExpire('set'));
    // A relative time overflows once the command time is added.
    expect(c.call('SET', 'k', 'v', 'EX', '9223372036854775')).toBe(invalidExpire('set'));
    expect(c.call('SET', 'k', 'v', 'PX', '9223372036854775807')).toBe(invalidExpire('set'));
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    // The largest absolute time is accepted.
    expect(c.call('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toBe(R.ok);
    expect(c.call('EXISTS', 'k')).toBe(R.int(1));
  });

  // Records keep expiry times as doubles (LLONG_MAX is stored as 2^63); replies clamp at LLONG_MAX.
  it('keeps PXAT 9223372036854775807 exactly, as redis-server does', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PXAT', '9223372036854775807');
    expect(c.call('PEXPIRETIME', 'k')).toBe(R.int(9223372036854775807n));
  });

  it('EXAT or PXAT in the past deletes the key and answers OK', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('SET', 'k', 'v2', 'EXAT', '1')).toBe(R.ok);
    expect(c.commits.length).toBe(1);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    expect(c.call('SET', 'k', 'v3', 'PXAT', String(c.now))).toBe(R.ok);
    expect(c.call('GET', 'k')).toBe(R.nil);
  });

  it('NX writes only a missing key; a refused SET NX records no batch', () => {
    const c = context();
    expect(c.call('SET', 'k', 'first', 'NX')).toBe(R.ok);
    expect(c.commits.length).toBe(1);
    expect(c.call('SET', 'k', 'second', 'nx')).toBe(R.nil);
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'k')).toBe(R.bulk('first'));
  });

  it('XX writes only an existing key', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v', 'XX')).toBe(R.nil);
    expect(c.commits).toEqual([]);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    c.call('SET', 'k', 'v');
    expect(c.call('SET', 'k', 'w', 'XX')).toBe(R.ok);
    expect(c.call('GET', 'k')).toBe(R.bulk('w'));
  });

  it('an expired key counts as missing for NX and XX', () => {
    const c = context();
    c.call('SET', 'k', 'old', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('SET', 'k', 'v', 'XX')).toBe(R.nil);
    expect(c.call('SET', 'k', 'v', 'NX')).toBe(R.ok);
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
  });

  it('GET answers the old value (or null) instead of OK', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v1', 'GET')).toBe(R.nil);
    expect(c.call('SET', 'k', 'v2', 'GET')).toBe(R.bulk('v1'));
    expect(c.call('GET', 'k')).toBe(R.bulk('v2'));
  });

  it('GET with NX or XX answers the old value whether or not the write happens', () => {
    const c = context();
    expect(c.call('SET', 'k', 'v1', 'XX', 'GET')).toBe(R.nil);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    expect(c.call('SET', 'k', 'v1', 'NX', 'GET')).toBe(R.nil);
    expect(c.call('SET', 'k', 'v2', 'NX', 'GET')).toBe(R.bulk('v1'));
    expect(c.call('GET', 'k')).toBe(R.bulk('v1'));
    expect(c.call('SET', 'k', 'v3', 'GET', 'XX')).toBe(R.bulk('v1'));
    expect(c.call('GET', 'k')).toBe(R.bulk('v3'));
  });

  it('KEEPTTL keeps the expiry of an existing key, and sets none on a new one', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '5000');
    expect(c.call('SET', 'k', 'w', 'KEEPTTL')).toBe(R.ok);
    expect(c.call('GET', 'k')).toBe(R.bulk('w'));
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
    expect(c.call('SET', 'fresh', 'v', 'keepttl')).toBe(R.ok);
    expect(c.call('PTTL', 'fresh')).toBe(R.int(-1));
  });

  it('answers null in RESP3 as _', () => {
    const c = context();
    c.session.protocol = 3;
    c.call('SET', 'k', 'v');
    expect(c.call('SET', 'k', 'v', 'NX')).toBe('_\r\n');
    expect(c.call('SET', 'other', 'v', 'GET')).toBe('_\r\n');
  });

  it('stores binary keys and values as they are', () => {
    const c = context();
    const key = Buffer.from([0, 0xff, 0x0d, 0x0a]);
    const value = Buffer.from([0xfe, 0, 0x80]);
    expect(c.call('SET', key, value)).toBe(R.ok);
    expect(c.call('GET', key)).toBe(`$3\r\n${value.toString('latin1')}\r\n`);
  });
});

describe('SETNX, SETEX, PSETEX', () => {
  const { context } = useKeyspace();

  it('SETNX sets a missing key (1) and leaves an existing one (0)', () => {
    const c = context();
    expect(c.call('SETNX', 'k', 'a')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('SETNX', 'k', 'b')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'k')).toBe(R.bulk('a'));
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
  });

  it('SETNX treats an expired key as missing', () => {
    const c = context();
    c.call('SET', 'k', 'old', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('SETNX', 'k', 'new')).toBe(R.int(1));
    expect(c.call('GET', 'k')).toBe(R.bulk('new'));
  });

  it('SETEX sets the value with an expiry in seconds, PSETEX in milliseconds', () => {
    const c = context();
    expect(c.call('SETEX', 'k', '60', 'v')).toBe(R.ok);
    expect(c.call('PTTL', 'k')).toBe(R.int(60_000));
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
    expect(c.call('PSETEX', 'p', '1500', 'w')).toBe(R.ok);
    expect(c.call('PTTL', 'p')).toBe(R.int(1500));
  });

  it('SETEX and PSETEX refuse non-integer, zero, negative and overflowing times, and write nothing', () => {
    const c = context();
    expect(c.call('SETEX', 'k', 'abc', 'v')).toBe(notInteger);
    expect(c.call('PSETEX', 'k', '1.5', 'v')).toBe(notInteger);
    expect(c.call('SETEX', 'k', '0', 'v')).toBe(invalidExpire('setex'));
    expect(c.call('SETEX', 'k', '-5', 'v')).toBe(invalidExpire('setex'));
    expect(c.call('SETEX', 'k', '9223372036854776', 'v')).toBe(invalidExpire('setex'));
    expect(c.call('PSETEX', 'k', '0', 'v')).toBe(invalidExpire('psetex'));
    expect(c.call('PSETEX', 'k', '-1', 'v')).toBe(invalidExpire('psetex'));
    expect(c.call('PSETEX', 'k', '9223372036854775807', 'v')).toBe(invalidExpire('psetex'));
    expect(c.commits).toEqual([]);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
  });
});
