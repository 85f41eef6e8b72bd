import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

const syntax = R.err(errorReply('syntax'));
const notInteger = R.err(errorReply('notInteger'));

describe('MGET, MSET, MSETNX', () => {
  const { context } = useKeyspace();

  it('MGET answers each value in order, null for missing and expired keys', () => {
    const c = context();
    c.call('SET', 'a', '1');
    c.call('SET', 'b', '2');
    c.call('SET', 'gone', 'x', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('MGET', 'a', 'missing', 'b', 'gone', 'a')).toBe(
      R.array(R.bulk('1'), R.nil, R.bulk('2'), R.nil, R.bulk('1')),
    );
    c.session.protocol = 3;
    expect(c.call('MGET', 'missing')).toBe(R.array('_\r\n'));
  });

  it('MSET sets every pair, later pairs winning, drops expiries, and records one batch', () => {
    const c = context();
    c.call('SET', 'a', 'old', 'EX', '100');
    expect(c.call('MSET', 'a', '1', 'b', '2', 'a', '3')).toBe(R.ok);
    expect(c.commits.length).toBe(1);
    expect(c.call('MGET', 'a', 'b')).toBe(R.array(R.bulk('3'), R.bulk('2')));
    expect(c.call('TTL', 'a')).toBe(R.int(-1));
  });

  it('MSET and MSETNX with a key but no value are wrongArity, and write nothing', () => {
    const c = context();
    expect(c.call('MSET', 'a', '1', 'b')).toBe(R.err(errorReply('wrongArity', 'mset')));
    expect(c.call('MSETNX', 'a', '1', 'b')).toBe(R.err(errorReply('wrongArity', 'msetnx')));
    expect(c.commits).toEqual([]);
    expect(c.call('EXISTS', 'a', 'b')).toBe(R.int(0));
  });

  it('MSETNX sets every pair when none of the keys exists (1), else none (0)', () => {
    const c = context();
    c.call('SET', 'a', 'old');
    expect(c.call('MSETNX', 'c', 'y', 'a', 'x')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('MGET', 'a', 'c')).toBe(R.array(R.bulk('old'), R.nil));
    expect(c.call('MSETNX', 'c', 'y', 'd', 'z')).toBe(R.int(1));
    expect(c.commits.length).toBe(1);
    expect(c.call('MGET', 'c', 'd')).toBe(R.array(R.bulk('y'), R.bulk('z')));
  });

  it('MSETNX treats an expired key as missing', () => {
    const c = context();
    c.call('SET', 'a', 'old', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('MSETNX', 'a', 'new')).toBe(R.int(1));
    expect(c.call('GET', 'a')).toBe(R.bulk('new'));
  });
});

describe('GETSET, GETDEL', () => {
  const { context } = useKeyspace();

  it('GETSET answers the old value (null when missing), stores the new one and drops the expiry', () => {
    const c = context();
    expect(c.call('GETSET', 'k', '1')).toBe(R.nil);
    expect(c.commits.length).toBe(1);
    c.call('SET', 'k', 'old', 'EX', '100');
    expect(c.call('GETSET', 'k', 'new')).toBe(R.bulk('old'));
    expect(c.call('GET', 'k')).toBe(R.bulk('new'));
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
  });

  it('GETDEL answers the value and deletes the key; a missing key is null and writes nothing', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'EX', '100');
    expect(c.call('GETDEL', 'k')).toBe(R.bulk('v'));
    expect(c.commits.length).toBe(1);
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    expect(c.call('GETDEL', 'k')).toBe(R.nil);
    expect(c.commits).toEqual([]);
  });
});

describe('GETEX', () => {
  const { context } = useKeyspace();

  it('without options answers the value and writes nothing', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '5000');
    expect(c.call('GETEX', 'k')).toBe(R.bulk('v'));
    expect(c.commits).toEqual([]);
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
    expect(c.call('GETEX', 'missing')).toBe(R.nil);
  });

  it('EX, PX, EXAT and PXAT set the expiry', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('GETEX', 'k', 'EX', '100')).toBe(R.bulk('v'));
    expect(c.commits.length).toBe(1);
    expect(c.call('PTTL', 'k')).toBe(R.int(100_000));
    expect(c.call('GETEX', 'k', 'px', '50000')).toBe(R.bulk('v'));
    expect(c.call('PTTL', 'k')).toBe(R.int(50_000));
    const at = Math.floor(c.now / 1000) + 300;
    expect(c.call('GETEX', 'k', 'EXAT', String(at))).toBe(R.bulk('v'));
    expect(c.call('PEXPIRETIME', 'k')).toBe(R.int(at * 1000));
    expect(c.call('GETEX', 'k', 'PXAT', String(c.now + 1234))).toBe(R.bulk('v'));
    expect(c.call('PEXPIRETIME', 'k')).toBe(R.int(c.now + 1234));
    expect(c.call('GET', 'k')).toBe(R.bulk('v'));
  });

  it('PERSIST removes the expiry; on a key without one it writes nothing', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'EX', '100');
    expect(c.call('GETEX', 'k', 'PERSIST')).toBe(R.bulk('v'));
    expect(c.commits.length).toBe(1);
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
    expect(c.call('GETEX', 'k', 'persist')).toBe(R.bulk('v'));
    expect(c.commits).toEqual([]);
  });

  it('EXAT or PXAT in the past answers the value and deletes the key', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('GETEX', 'k', 'EXAT', '1')).toBe(R.bulk('v'));
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
    c.call('SET', 'k', 'w');
    expect(c.call('GETEX', 'k', 'PXAT', String(c.now))).toBe(R.bulk('w'));
    expect(c.call('EXISTS', 'k')).toBe(R.int(0));
  });

  it('the same option may repeat, the last value winning', () => {
    const c = context();
    c.call('SET', 'k', 'v');
    expect(c.call('GETEX', 'k', 'EX', '10', 'EX', '20')).toBe(R.bulk('v'));
    expect(c.call('PTTL', 'k')).toBe(R.int(20_000));
    expect(c.call('GETEX', 'k', 'PERSIST', 'PERSIST')).toBe(R.bulk('v'));
    expect(c.call('TTL', 'k')).toBe(R.int(-1));
  });

  it('two different options, SET-only options, unknown ones, and a missing value are syntax errors', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '5000');
    for (const options of [
      ['EX', '10', 'PX', '10'],
      ['PXAT', '10', 'EXAT', '10'],
      ['PERSIST', 'EX', '10'],
      ['EX', '10', 'PERSIST'],
      ['NX'],
      ['XX'],
      ['KEEPTTL'],
      ['GET'],
      ['FOO'],
      ['EX'],
    ]) {
      expect(c.call('GETEX', 'k', ...options), options.join(' ')).toBe(syntax);
    }
    // Options are checked before the key is looked up.
    expect(c.call('GETEX', 'missing', 'FOO')).toBe(syntax);
    expect(c.commits).toEqual([]);
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });

  it('refuses expire times that are not integers, zero, negative or overflowing', () => {
    const c = context();
    c.call('SET', 'k', 'v', 'PX', '5000');
    const invalid = R.err(errorReply('invalidExpire', 'getex'));
    expect(c.call('GETEX', 'k', 'EX', 'abc')).toBe(notInteger);
    expect(c.call('GETEX', 'k', 'PXAT', '1.5')).toBe(notInteger);
    for (const option of ['EX', 'PX', 'EXAT', 'PXAT']) {
      expect(c.call('GETEX', 'k', option, '0'), option).toBe(invalid);
      expect(c.call('GETEX', 'k', option, '-1'), option).toBe(invalid);
    }
    expect(c.call('GETEX', 'k', 'EX', '9223372036854776')).toBe(invalid);
    expect(c.call('GETEX', 'k', 'EXAT', '9223372036854776')).toBe(invalid);
    expect(c.call('GETEX', 'k', 'PX', '9223372036854775807')).toBe(invalid);
    expect(c.commits).toEqual([]);
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });

  it('a missing key is null before its expire time is even looked at', () => {
    const c = context();
    expect(c.call('GETEX', 'missing', 'EX', 'abc')).toBe(R.nil);
    expect(c.call('GETEX', 'missing', 'PX', '0')).toBe(R.nil);
    c.session.protocol = 3;
    expect(c.call('GETEX', 'missing', 'PERSIST')).toBe('_\r\n');
  });
});
