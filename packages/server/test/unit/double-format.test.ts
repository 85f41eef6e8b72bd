import { describe, expect, it } from 'vitest';
import { doubleValue, formatG17, strtod } from '../../src/commands/_double.js';

/** %.17g as the general path computes it: 17 significant digits, trailing zeros and point dropped. */
function g17(x: number): string {
  const s = x.toPrecision(17);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

describe('formatG17', () => {
  it('prints integers up to 2^53 as %.17g does', () => {
    const samples = [1, -1, 7, 10, 99, 100, 12345, -987654321, 2 ** 31, 2 ** 32 + 1, 1e15, 1e15 + 1];
    samples.push(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52, 999999999999999);
    let seed = 1;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 48271) % 2147483647;
      const magnitude = 10 ** (seed % 16);
      samples.push(Math.floor((seed / 2147483647) * magnitude) * (i % 2 === 0 ? 1 : -1) || 1);
    }
    for (const x of samples) expect(formatG17(x)).toBe(g17(x));
  });

  it('prints what is not a safe integer as before', () => {
    expect(formatG17(2 ** 53)).toBe('9007199254740992');
    expect(formatG17(1e17)).toBe('1e+17');
    expect(formatG17(1.5)).toBe('1.5');
    expect(formatG17(0.1)).toBe('0.10000000000000001');
    expect(formatG17(-0)).toBe('-0');
    expect(formatG17(0)).toBe('0');
    expect(formatG17(1e-5)).toBe('1.0000000000000001e-05');
    expect(formatG17(Number.POSITIVE_INFINITY)).toBe('inf');
  });
});

describe('doubleValue', () => {
  it('reads plain integers as strtod does', () => {
    const texts = [
      '0',
      '-0',
      '+0',
      '7',
      '-7',
      '+7',
      '00012',
      '-00012',
      '999999999999999',
      '-999999999999999',
    ];
    texts.push('1000000000000000', '1234567890123456', '-', '+', '', '1e3', '1.5', ' 1', '1 ', '0x10', '--1');
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 48271) % 2147483647;
      const digits = String(seed)
        .repeat(3)
        .slice(0, 1 + (seed % 15));
      texts.push(i % 3 === 0 ? `-${digits}` : digits);
    }
    for (const text of texts) {
      const buf = Buffer.from(text, 'latin1');
      const r = strtod(text);
      const expected =
        text === '' || /^[ \t\n\v\f\r]/.test(text) || r === null || Number.isNaN(r.value) ? null : r.value;
      const got = doubleValue(buf);
      expect(Object.is(got, expected), `${text}: ${got} vs ${expected}`).toBe(true);
    }
  });
});
