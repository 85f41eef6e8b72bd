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

function plan(batch: Pick<SourceBatch, 'records' | 'offsetOf'>, after: bigint, prefix = '') {
  return planRecords(batch, 0, batch.records.length, after, Buffer.from(prefix));
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
    const part = planRecords(batch, 1, 3, 12n, Buffer.alloc(0));
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
