import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

const notInteger = R.err(errorReply('notInteger'));
const tooLong = R.err(errorReply('stringTooLong'));
const empty = R.bulk('');

describe('APPEND, STRLEN', () => {
  const { context } = useKeyspace();

  it('APPEND creates a missing key and extends an existing one, answering the new length', () => {
    const c = context();
    expect(c.call('APPEND', 'k', 'abc')).toBe(R.int(3));
    expect(c.commits.length).toBe(1);
    expect(c.call('APPEND', 'k', 'de')).toBe(R.int(5));
    expect(c.call('GET', 'k')).toBe(R.bulk('abcde'));
    expect(c.call('APPEND', 'k', '')).toBe(R.int(5));
  });

  it('APPEND keeps the expiry of the key', () => {
    const c = context();
    c.call('SET', 'k', 'abc', 'PX', '5000');
    expect(c.call('APPEND', 'k', 'de')).toBe(R.int(5));
    expect(c.call('PTTL', 'k')).toBe(R.int(5000));
  });

  it('APPEND refuses to grow a value past proto-max-bulk-len, and leaves it as it was', () => {
    const c = context();
    c.server.config['proto-max-bulk-len'] = 10;
    c.call('SET', 'k', '12345678');
    expect(c.call('APPEND', 'k', 'abc')).toBe(tooLong);
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 'k')).toBe(R.bulk('12345678'));
    // Exactly the limit is allowed.
    expect(c.call('APPEND', 'k', 'ab')).toBe(R.int(10));
    expect(c.call('APPEND', 'k', 'x')).toBe(tooLong);
  });

  it('STRLEN answers the length of the value, 0 for a missing or expired key', () => {
    const c = context();
    expect(c.call('STRLEN', 'k')).toBe(R.int(0));
    c.call('SET', 'k', 'hello');
    expect(c.call('STRLEN', 'k')).toBe(R.int(5));
    c.call('SET', 'b', Buffer.from([0, 0xff, 0]));
    expect(c.call('STRLEN', 'b')).toBe(R.int(3));
    c.call('SET', 'e', 'xy', 'PX', '10000');
    c.now += 20_000;
    expect(c.call('STRLEN', 'e')).toBe(R.int(0));
  });
});

describe('GETRANGE, SUBSTR', () => {
  const { context } = useKeyspace();

  it('answers the bytes from start to end inclusive, negative indexes counting from the end', () => {
    const c = context();
    c.call('SET', 's', 'hello');
    expect(c.call('GETRANGE', 's', '0', '-1')).toBe(R.bulk('hello'));
    expect(c.call('GETRANGE', 's', '1', '3')).toBe(R.bulk('ell'));
    expect(c.call('GETRANGE', 's', '-3', '-1')).toBe(R.bulk('llo'));
    expect(c.call('GETRANGE', 's', '2', '2')).toBe(R.bulk('l'));
    expect(c.call('SUBSTR', 's', '1', '3')).toBe(R.bulk('ell'));
  });

  it('clamps indexes out of range, as redis-server 7.0 does', () => {
    const c = context();
    c.call('SET', 's', 'hello');
    expect(c.call('GETRANGE', 's', '-100', '100')).toBe(R.bulk('hello'));
    expect(c.call('GETRANGE', 's', '4', '100')).toBe(R.bulk('o'));
    // An end before the start of the string clamps to 0: the first byte.
    expect(c.call('GETRANGE', 's', '0', '-100')).toBe(R.bulk('h'));
  });

  it('answers an empty string for empty ranges and missing keys', () => {
    const c = context();
    c.call('SET', 's', 'hello');
    expect(c.call('GETRANGE', 's', '3', '1')).toBe(empty);
    expect(c.call('GETRANGE', 's', '5', '10')).toBe(empty);
    expect(c.call('GETRANGE', 's', '-1', '-2')).toBe(empty);
    expect(c.call('GETRANGE', 's', '-100', '-200')).toBe(empty);
    expect(c.call('GETRANGE', 'missing', '0', '-1')).toBe(empty);
    expect(c.call('SUBSTR', 'missing', '0', '1')).toBe(empty);
    c.call('SET', 'blank', '');
    expect(c.call('GETRANGE', 'blank', '0', '-1')).toBe(empty);
  });

  it('indexes that are not 64-bit integers are notInteger, even for a missing key', () => {
    const c = context();
    c.call('SET', 's', 'hello');
    expect(c.call('GETRANGE', 's', 'a', '1')).toBe(notInteger);
    expect(c.call('GETRANGE', 's', '0', '1.5')).toBe(notInteger);
    expect(c.call('GETRANGE', 's', '0', '9223372036854775808')).toBe(notInteger);
    expect(c.call('GETRANGE', 'missing', 'x', '1')).toBe(notInteger);
    expect(c.call('SUBSTR', 's', '0', 'x')).toBe(notInteger);
    // The largest indexes are fine.
    expect(c.call('GETRANGE', 's', '-9223372036854775808', '9223372036854775807')).toBe(R.bulk('hello'));
  });
});

describe('SETRANGE', () => {
  const { context } = useKeyspace();

  it('overwrites part of the value and answers the new length', () => {
    const c = context();
    c.call('SET', 's', 'hello');
    expect(c.call('SETRANGE', 's', '1', 'EL')).toBe(R.int(5));
    expect(c.commits.length).toBe(1);
    expect(c.call('GET', 's')).toBe(R.bulk('hELlo'));
    expect(c.call('SETRANGE', 's', '3', 'LO WORLD')).toBe(R.int(11));
    expect(c.call('GET', 's')).toBe(R.bulk('hELLO WORLD'));
  });

  it('pads with zero bytes up to the offset, for a missing key or a shorter value', () => {
    const c = context();
    expect(c.call('SETRANGE', 'nk', '3', 'ab')).toBe(R.int(5));
    expect(c.call('GET', 'nk')).toBe(R.bulk('\0\0\0ab'));
    c.call('SET', 's', 'hi');
    expect(c.call('SETRANGE', 's', '5', 'x')).toBe(R.int(6));
    expect(c.call('GET', 's')).toBe(R.bulk('hi\0\0\0x'));
  });

  it('an empty patch writes nothing: the current length, or 0 without creating the key', () => {
    const c = context();
    expect(c.call('SETRANGE', 'nk', '100', '')).toBe(R.int(0));
    expect(c.commits).toEqual([]);
    expect(c.call('EXISTS', 'nk')).toBe(R.int(0));
    c.call('SET', 's', 'hi');
    expect(c.call('SETRANGE', 's', '100', '')).toBe(R.int(2));
    expect(c.commits).toEqual([]);
    expect(c.call('GET', 's')).toBe(R.bulk('hi'));
  });

  it('keeps the expiry of the key', () => {
    const c = context();
    c.call('SET', 's', 'abc', 'PX', '5000');
    expect(c.call('SETRANGE', 's', '1', 'Z')).toBe(R.int(3));
    expect(c.call('GET', 's')).toBe(R.bulk('aZc'));
    expect(c.call('PTTL', 's')).toBe(R.int(5000));
  });

  it('an offset that is not an integer is notInteger; a negative one is out of range', () => {
    const c = context();
    c.call('SET', 's', 'hi');
    expect(c.call('SETRANGE', 's', 'abc', 'x')).toBe(notInteger);
    expect(c.call('SETRANGE', 's', '1.5', 'x')).toBe(notInteger);
    expect(c.call('SETRANGE', 's', '9223372036854775808', 'x')).toBe(notInteger);
    const outOfRange = R.err(errorReply('offsetOutOfRange'));
    expect(c.call('SETRANGE', 's', '-1', 'x')).toBe(outOfRange);
    // The offset is checked before the patch: even an empty one.
    expect(c.call('SETRANGE', 'nk', '-1', '')).toBe(outOfRange);
    expect(c.call('GET', 's')).toBe(R.bulk('hi'));
  });

  it('refuses a result longer than proto-max-bulk-len, for new and existing keys', () => {
    const c = context();
    c.server.config['proto-max-bulk-len'] = 10;
    expect(c.call('SETRANGE', 'nk', '9', 'ab')).toBe(tooLong);
    expect(c.call('EXISTS', 'nk')).toBe(R.int(0));
    expect(c.call('SETRANGE', 'nk', '8', 'ab')).toBe(R.int(10));
    expect(c.call('SETRANGE', 'nk', '10', 'x')).toBe(tooLong);
    expect(c.call('SETRANGE', 'nk', '9223372036854775807', 'x')).toBe(tooLong);
    expect(c.commits).toEqual([]);
    expect(c.call('STRLEN', 'nk')).toBe(R.int(10));
  });
});

describe('LCS', () => {
  const { context } = useKeyspace();

  /** The IDX reply of redis-server: matches as [[aStart, aEnd], [bStart, bEnd], (len)], then len. */
  function idx(matches: number[][], len: number, withLen = false): string {
    const ms = matches.map(([a0, a1, b0, b1]) =>
      R.array(
        R.array(R.int(a0 as number), R.int(a1 as number)),
        R.array(R.int(b0 as number), R.int(b1 as number)),
        ...(withLen ? [R.int((a1 as number) - (a0 as number) + 1)] : []),
      ),
    );
    return R.array(R.bulk('matches'), R.array(...ms), R.bulk('len'), R.int(len));
  }

  it('answers the longest common subsequence, or its length with LEN', () => {
    const c = context();
    c.call('SET', 'k1', 'ohmytext');
    c.call('SET', 'k2', 'mynewtext');
    expect(c.call('LCS', 'k1', 'k2')).toBe(R.bulk('mytext'));
    expect(c.call('LCS', 'k1', 'k2', 'len')).toBe(R.int(6));
    c.call('SET', 'a', 'abcdefgh');
    c.call('SET', 'b', 'xbcyzfgh');
    expect(c.call('LCS', 'a', 'b')).toBe(R.bulk('bcfgh'));
  });

  it('a missing key counts as an empty string', () => {
    const c = context();
    c.call('SET', 'k1', 'ohmytext');
    expect(c.call('LCS', 'k1', 'missing')).toBe(empty);
    expect(c.call('LCS', 'missing', 'other', 'LEN')).toBe(R.int(0));
    expect(c.call('LCS', 'k1', 'missing', 'IDX')).toBe(idx([], 0));
  });

  it('IDX lists the matching runs from the end, as redis-server does', () => {
    const c = context();
    c.call('SET', 'k1', 'ohmytext');
    c.call('SET', 'k2', 'mynewtext');
    expect(c.call('LCS', 'k1', 'k2', 'IDX')).toBe(
      idx(
        [
          [4, 7, 5, 8],
          [2, 3, 0, 1],
        ],
        6,
      ),
    );
    c.call('SET', 'a', 'abcdefgh');
    c.call('SET', 'b', 'xbcyzfgh');
    expect(c.call('LCS', 'a', 'b', 'IDX')).toBe(
      idx(
        [
          [5, 7, 5, 7],
          [1, 2, 1, 2],
        ],
        5,
      ),
    );
    c.call('SET', 'c', 'aaa');
    c.call('SET', 'd', 'aa');
    expect(c.call('LCS', 'c', 'd', 'IDX')).toBe(idx([[1, 2, 0, 1]], 2));
  });

  it('MINMATCHLEN drops shorter runs; WITHMATCHLEN adds each run length', () => {
    const c = context();
    c.call('SET', 'k1', 'ohmytext');
    c.call('SET', 'k2', 'mynewtext');
    expect(c.call('LCS', 'k1', 'k2', 'IDX', 'MINMATCHLEN', '4')).toBe(idx([[4, 7, 5, 8]], 6));
    expect(c.call('LCS', 'k1', 'k2', 'IDX', 'WITHMATCHLEN')).toBe(
      idx(
        [
          [4, 7, 5, 8],
          [2, 3, 0, 1],
        ],
        6,
        true,
      ),
    );
    expect(c.call('LCS', 'k1', 'k2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
      idx([[4, 7, 5, 8]], 6, true),
    );
    // A negative MINMATCHLEN counts as 0: every run.
    expect(c.call('LCS', 'k1', 'k2', 'IDX', 'MINMATCHLEN', '-5')).toBe(
      idx(
        [
          [4, 7, 5, 8],
          [2, 3, 0, 1],
        ],
        6,
      ),
    );
    // Without IDX the options change nothing.
    expect(c.call('LCS', 'k1', 'k2', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(R.bulk('mytext'));
  });

  it('IDX is a map in RESP3', () => {
    const c = context();
    c.session.protocol = 3;
    c.call('SET', 'k1', 'ohmytext');
    c.call('SET', 'k2', 'mynewtext');
    expect(c.call('LCS', 'k1', 'k2', 'IDX', 'MINMATCHLEN', '4')).toBe(
      `%2\r\n${R.bulk('matches')}${R.array(R.array(R.array(R.int(4), R.int(7)), R.array(R.int(5), R.int(8))))}${R.bulk('len')}${R.int(6)}`,
    );
  });

  it('unknown options and MINMATCHLEN without a value are syntax errors; LEN with IDX is refused', () => {
    const c = context();
    c.call('SET', 'k1', 'ohmytext');
    c.call('SET', 'k2', 'mynewtext');
    const syntax = R.err(errorReply('syntax'));
    expect(c.call('LCS', 'k1', 'k2', 'FOO')).toBe(syntax);
    expect(c.call('LCS', 'k1', 'k2', 'MINMATCHLEN')).toBe(syntax);
    expect(c.call('LCS', 'k1', 'k2', 'LEN', 'IDX', 'FOO')).toBe(syntax);
    expect(c.call('LCS', 'k1', 'k2', 'MINMATCHLEN', 'x')).toBe(notInteger);
    expect(c.call('LCS', 'k1', 'k2', 'LEN', 'IDX')).toBe(R.err(errorReply('lcsLenAndIdx')));
  });

  it('refuses when its table of (len1 + 1) × (len2 + 1) 4-byte cells exceeds proto-max-bulk-len', () => {
    const c = context();
    c.call('SET', 'k1', 'ohmytext');
    c.call('SET', 'k2', 'mynewtext');
    // 9 × 10 cells of 4 bytes: 360 bytes.
    c.server.config['proto-max-bulk-len'] = 359;
    expect(c.call('LCS', 'k1', 'k2')).toBe(R.err(errorReply('lcsMemory')));
    expect(c.call('LCS', 'k1', 'k2', 'LEN')).toBe(R.err(errorReply('lcsMemory')));
    c.server.config['proto-max-bulk-len'] = 360;
    expect(c.call('LCS', 'k1', 'k2', 'LEN')).toBe(R.int(6));
  });
});
