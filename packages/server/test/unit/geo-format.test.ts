/**
 * The geo commands' number formats against what C prints on this platform (glibc's printf and llrint,
 * values taken from a C program): `%f` and `%.2f` for the coordinates of an error, `%.17Lf` trimmed for
 * positions, fixedpoint_d2string's 4 decimals for distances. Ties go to the even neighbour; llrint gives
 * LLONG_MIN for NaN and out of range.
 */
import { describe, expect, it } from 'vitest';
import { cFixed, distanceText, humanCoordinate } from '../../src/commands/geo/_format.js';

/** [value, %f, %.2f, %.17Lf] */
const PRINTF: [number, string, string, string][] = [
  [0.125, '0.125000', '0.12', '0.12500000000000000'],
  [0.375, '0.375000', '0.38', '0.37500000000000000'],
  [2.5, '2.500000', '2.50', '2.50000000000000000'],
  [-2.5, '-2.500000', '-2.50', '-2.50000000000000000'],
  [-0, '-0.000000', '-0.00', '-0.00000000000000000'],
  [85.0511287801, '85.051129', '85.05', '85.05112878010000088'],
  [180.0000001, '180.000000', '180.00', '180.00000009999999406'],
  [1e-7, '0.000000', '0.00', '0.00000010000000000'],
  [1.5e-6, '0.000002', '0.00', '0.00000150000000000'],
  [123456.0000005, '123456.000001', '123456.00', '123456.00000050000380725'],
  [13.361389338970184, '13.361389', '13.36', '13.36138933897018433'],
  [-179.99999731779099, '-179.999997', '-180.00', '-179.99999731779098511'],
  [85.05112878, '85.051129', '85.05', '85.05112877999999910'],
  [0.1, '0.100000', '0.10', '0.10000000000000001'],
  [1 / 3, '0.333333', '0.33', '0.33333333333333331'],
  [2.675, '2.675000', '2.67', '2.67499999999999982'],
  [-1e-7, '-0.000000', '-0.00', '-0.00000010000000000'],
  [4503599627370497, '4503599627370497.000000', '4503599627370497.00', '4503599627370497.00000000000000000'],
];

describe('geo number formats', () => {
  it.each(PRINTF)('%s prints as C prints it', (x, f6, f2, f17) => {
    expect(cFixed(x, 6)).toBe(f6);
    expect(cFixed(x, 2)).toBe(f2);
    expect(cFixed(x, 17)).toBe(f17);
  });

  it('prints 1e300 in full, infinities as inf', () => {
    expect(cFixed(1e300, 6)).toBe(
      '1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000',
    );
    expect(cFixed(Number.POSITIVE_INFINITY, 6)).toBe('inf');
    expect(cFixed(Number.NEGATIVE_INFINITY, 6)).toBe('-inf');
  });

  it('trims positions as addReplyHumanLongDouble does, -0 as 0', () => {
    expect(humanCoordinate(13.361389338970184)).toBe('13.36138933897018433');
    expect(humanCoordinate(180)).toBe('180');
    expect(humanCoordinate(0.125)).toBe('0.125');
    expect(humanCoordinate(-0)).toBe('0');
    expect(humanCoordinate(85.05112878)).toBe('85.0511287799999991');
  });

  it('writes distances with 4 decimals after llrint(d * 10^4), ties to even', () => {
    const cases: [number, string][] = [
      [0, '0.0000'],
      [-0, '0.0000'],
      [0.125, '0.1250'],
      [-2.5, '-2.5000'],
      [85.0511287801, '85.0511'],
      [1e-7, '0.0000'],
      [-1e-7, '0.0000'],
      [-179.99999731779099, '-180.0000'],
      [2.675, '2.6750'],
      // d * 10^4 exactly halfway: 12.5, 0.5, 2.5 go down, 3.5 and 20001.5 up.
      [0.00125, '0.0012'],
      [0.00005, '0.0000'],
      [0.00025, '0.0002'],
      [0.00035, '0.0004'],
      [2.00015, '2.0002'],
      [0.00015, '0.0001'],
      [1.00005, '1.0001'],
      // llrint's "integer indefinite": NaN, or past the 64-bit range.
      [Number.NaN, '-922337203685477.5808'],
      [1e300, '-922337203685477.5808'],
      [4503599627370497, '-922337203685477.5808'],
    ];
    for (const [d, text] of cases) expect([d, distanceText(d)]).toEqual([d, text]);
  });
});
