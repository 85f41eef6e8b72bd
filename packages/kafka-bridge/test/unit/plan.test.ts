import { describe, expect, it } from 'vitest';
import type { SourceBatch } from '../../src/kafka/source.js';
import { isReservedKey, OffsetKeys, parseStoredOffset, StoredOffsetError } from '../../src/offsets.js';
import { planRecords } from '../../src/plan.js';

/** A batch of records at offsets 10, 12, 14, … (gaps, as compaction leaves them). */
function records(...list: [string | null, string | null][]): Pick<SourceBatch, 'records' | 'offsetOf'> {
  return {
    records: list.map(([key, value]) => ({
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
    })),
    offsetOf: (i) => BigInt(10 + 2 * i),
  };
}

const NOW = 1_700_000_000_000;

function plan(
  batch: Pick<SourceBatch, 'records' | 'offsetOf'>,
  after: bigint,
  prefix = '',
  skipReserved = true,
) {
  return planRecords(batch, 0, batch.records.length, after, {
    keyPrefix: Buffer.from(prefix),
    skipReserved,
    now: NOW,
  });
}

const text = (buffers: Buffer[]) => buffers.map((b) => b.toString());

describe('planRecords', () => {
  it('keeps the last record of each key: a key is set or deleted, never both', () => {
    const result = plan(
      records(
        ['a', '1'],
        ['b', '1'],
        ['a', null],
        ['b', '2'],
        ['c', null],
        ['c', '3'],
        ['a', '4'],
        ['d', null],
      ),
      -1n,
    );
    const sets = text(result.sets);
    expect(Object.fromEntries(sets.flatMap((v, i) => (i % 2 === 0 ? [[v, sets[i + 1]]] : [])))).toEqual({
      a: '4',
      b: '2',
      c: '3',
    });
    expect(text(result.dels)).toEqual(['d']);
    expect(result.records).toBe(8);
  });

  it('leaves out records at or below the stored offset', () => {
    const batch = records(['a', '1'], ['a', '2'], ['b', '3'], ['c', '4']);
    for (const [after, kept] of [
      [9n, ['a', '2', 'b', '3', 'c', '4']],
      [10n, ['a', '2', 'b', '3', 'c', '4']],
      [11n, ['a', '2', 'b', '3', 'c', '4']],
      [12n, ['b', '3', 'c', '4']],
      [15n, ['c', '4']],
      [16n, []],
    ] as const) {
      const result = plan(batch, after);
      expect(text(result.sets), `after ${after}`).toEqual(kept);
      expect(result.alreadyApplied + result.records).toBe(4);
    }
    // Only part of the batch: records [1, 3).
    const part = planRecords(batch, 1, 3, 12n, { keyPrefix: Buffer.alloc(0), skipReserved: true, now: NOW });
    expect(text(part.sets)).toEqual(['b', '3']);
    expect(part.alreadyApplied).toBe(1);
  });

  it('skips keyless and reserved records, counting each reason with its first offset', () => {
    const result = plan(
      records([null, 'x'], ['__sluice_bridge:offset:t:0', '9'], ['k', 'v'], [null, 'y']),
      -1n,
    );
    expect(text(result.sets)).toEqual(['k', 'v']);
    expect(result.skipped).toEqual(
      new Map([
        ['no_key', { count: 2, firstOffset: 10n }],
        ['reserved_key', { count: 1, firstOffset: 12n }],
      ]),
    );
  });

  it('keeps reserved keys when told to (log mode keeps its offsets elsewhere)', () => {
    const result = plan(records(['__sluice_bridge:x', '9']), -1n, '', false);
    expect(text(result.sets)).toEqual(['__sluice_bridge:x', '9']);
    expect(result.skipped.size).toBe(0);
  });

  it('gives keys their expiry from sluice-expire-at, or sluice-ttl after the record timestamp', () => {
    const at = (ms: number) => Buffer.from(String(ms));
    const result = plan(
      {
        records: [
          { key: Buffer.from('a'), value: Buffer.from('1'), headers: { 'sluice-expire-at': at(NOW + 5000) } },
          {
            key: Buffer.from('b'),
            value: Buffer.from('2'),
            headers: { 'sluice-ttl': at(60_000) },
            timestamp: String(NOW),
          },
          // Both: expire-at wins. A repeated header: its last value.
          {
            key: Buffer.from('c'),
            value: Buffer.from('3'),
            headers: { 'sluice-expire-at': [at(1), at(NOW + 7)], 'sluice-ttl': at(1) },
            timestamp: String(NOW),
          },
          { key: Buffer.from('d'), value: Buffer.from('4'), headers: {} },
        ],
        offsetOf: (i) => BigInt(i),
      },
      -1n,
    );
    expect(result.expiring.map((e) => [e.key.toString(), e.value.toString(), e.at])).toEqual([
      ['a', '1', NOW + 5000],
      ['b', '2', NOW + 60_000],
      ['c', '3', NOW + 7],
    ]);
    expect(text(result.sets)).toEqual(['d', '4']);
  });

  it('deletes a key whose expiry has passed, and a later record without expiry clears it', () => {
    const result = plan(
      {
        records: [
          {
            key: Buffer.from('old'),
            value: Buffer.from('1'),
            headers: { 'sluice-expire-at': Buffer.from(String(NOW)) },
          },
          {
            key: Buffer.from('k'),
            value: Buffer.from('1'),
            headers: { 'sluice-expire-at': Buffer.from(String(NOW + 1)) },
          },
          { key: Buffer.from('k'), value: Buffer.from('2'), headers: {} },
        ],
        offsetOf: (i) => BigInt(i),
      },
      -1n,
    );
    expect(text(result.dels)).toEqual(['old']);
    expect(text(result.sets)).toEqual(['k', '2']);
    expect(result.expiring).toEqual([]);
  });

  it('skips a record with a malformed expiry, so the key keeps its earlier record', () => {
    for (const headers of [
      { 'sluice-expire-at': Buffer.from('soon') },
      { 'sluice-expire-at': Buffer.from('0') },
      { 'sluice-expire-at': Buffer.from('-5') },
      { 'sluice-expire-at': Buffer.from('99999999999999999999') },
      { 'sluice-ttl': Buffer.from('10') }, // no timestamp to count from
    ]) {
      const result = plan(
        {
          records: [
            { key: Buffer.from('k'), value: Buffer.from('good') },
            { key: Buffer.from('k'), value: Buffer.from('bad'), headers },
          ],
          offsetOf: (i) => BigInt(20 + i),
        },
        -1n,
      );
      expect(text(result.sets), JSON.stringify(headers)).toEqual(['k', 'good']);
      expect(result.skipped).toEqual(new Map([['bad_expiry', { count: 1, firstOffset: 21n }]]));
    }
  });

  it('prefixes keys, keeps binary keys and empty values apart from tombstones', () => {
    const binary = Buffer.from([0xff, 0x00, 0x80]);
    const result = plan(
      {
        records: [
          { key: binary, value: Buffer.alloc(0) },
          { key: Buffer.from([0xff, 0x00, 0x81]), value: null },
        ],
        offsetOf: (i) => BigInt(i),
      },
      -1n,
      'p:',
    );
    expect(result.sets).toEqual([Buffer.concat([Buffer.from('p:'), binary]), Buffer.alloc(0)]);
    expect(result.dels).toEqual([Buffer.from([0x70, 0x3a, 0xff, 0x00, 0x81])]);
    expect(result.bytes).toBe(6);
  });
});

describe('offset records', () => {
  it('live under the key prefix, in the reserved namespace', () => {
    const keys = new OffsetKeys('orders', Buffer.from('shop:'));
    expect(keys.describe(3)).toBe('shop:__sluice_bridge:offset:orders:3');
    expect(new OffsetKeys('orders', Buffer.alloc(0)).key(0).toString()).toBe(
      '__sluice_bridge:offset:orders:0',
    );
  });

  it('reserve keys starting with __sluice_bridge:', () => {
    expect(isReservedKey(Buffer.from('__sluice_bridge:x'))).toBe(true);
    expect(isReservedKey(Buffer.from('__sluice_bridge'))).toBe(false);
    expect(isReservedKey(Buffer.from('_sluice_bridge:x'))).toBe(false);
  });

  it('hold a decimal offset, and anything else is an error', () => {
    expect(parseStoredOffset(null, 'k')).toBeNull();
    expect(parseStoredOffset(Buffer.from('9007199254740993'), 'k')).toBe(9_007_199_254_740_993n);
    expect(() => parseStoredOffset('12a', 'k')).toThrow(StoredOffsetError);
    expect(() => parseStoredOffset('-1', 'k')).toThrow(/offset record k holds "-1"/);
  });
});
