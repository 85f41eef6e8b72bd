import { describe, expect, it } from 'vitest';
import {
  decodeKey,
  encodeKey,
  encodeRecord,
  expiryOf,
  KeyRange,
  layout,
  MAX_DIRECT_KEY,
  storedKeyEncoder,
  withExpiry,
} from '../../src/keyspace/encoding.js';

const key = (n: number, fill = 0x6b) => Buffer.alloc(n, fill);

describe('key encoding', () => {
  it.each([0, 1, 16, MAX_DIRECT_KEY])('stores a %d-byte key directly, within LMDB limits', (n) => {
    const stored = encodeKey(key(n));
    expect(stored.length).toBe(n + 1);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThanOrEqual(1978);
    expect(decodeKey(stored, undefined)).toEqual(key(n));
  });

  it.each([MAX_DIRECT_KEY + 1, 3000, 1 << 20])('hashes a %d-byte key and keeps it in the record', (n) => {
    const k = key(n);
    const stored = encodeKey(k);
    expect(stored.length).toBe(33);
    const record = encodeRecord(k, 0, k.length, Buffer.from('value'), 0, 5, 0);
    // Buffer.equals: vitest's toEqual walks a 1 MiB buffer byte by byte for seconds.
    expect(decodeKey(stored, record).equals(k)).toBe(true);
    expect(record.subarray(layout(record).valueStart).toString()).toBe('value');
  });

  it('gives different stored keys to different long keys', () => {
    expect(encodeKey(key(3000, 1)).equals(encodeKey(key(3000, 2)))).toBe(false);
  });

  it.each([0, 1, 32, 33, MAX_DIRECT_KEY, MAX_DIRECT_KEY + 1, 3000])(
    "the data databases' key encoder writes a %d-byte KeyRange as encodeKey stores it",
    (n) => {
      // Random bytes, at an offset inside a larger buffer, written at an offset of the target.
      const buf = Buffer.concat([
        Buffer.from('pre'),
        Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255)),
        Buffer.from('post'),
      ]);
      const range = new KeyRange();
      range.buf = buf;
      range.start = 3;
      range.end = 3 + n;
      const target = Buffer.alloc(4000, 0xee);
      const end = storedKeyEncoder.writeKey(range, target, 5);
      expect(target.subarray(5, end)).toEqual(encodeKey(buf, 3, 3 + n));
      expect(target[4]).toBe(0xee);
      expect(target[end]).toBe(0xee);
    },
  );

  it("the data databases' key encoder writes stored keys as they are and reads back copies", () => {
    const stored = encodeKey(Buffer.from('abc'));
    const target = Buffer.alloc(16);
    expect(storedKeyEncoder.writeKey(stored, target, 2)).toBe(2 + stored.length);
    expect(target.subarray(2, 2 + stored.length)).toEqual(stored);
    const read = storedKeyEncoder.readKey(target, 2, 2 + stored.length);
    target.fill(0);
    expect(Buffer.isBuffer(read)).toBe(true);
    expect(read).toEqual(stored);
  });

  it('encodes a key taken from the middle of a buffer', () => {
    const buf = Buffer.from('xxabcxx');
    expect(encodeKey(buf, 2, 5)).toEqual(Buffer.from([0, 0x61, 0x62, 0x63]));
  });
});

describe('records', () => {
  it('round-trips value and expiry', () => {
    const k = Buffer.from('k');
    const r = encodeRecord(k, 0, 1, Buffer.from('hello'), 0, 5, 1795291382123);
    expect(expiryOf(r)).toBe(1795291382123);
    expect(r.subarray(layout(r).valueStart).toString()).toBe('hello');
    const noTtl = withExpiry(r, 0);
    expect(expiryOf(noTtl)).toBe(0);
    expect(noTtl.subarray(layout(noTtl).valueStart).toString()).toBe('hello');
  });

  it('keeps the full key when changing the expiry of a hashed key', () => {
    const k = key(2500);
    const r = withExpiry(encodeRecord(k, 0, k.length, Buffer.from('v'), 0, 1, 0), 42);
    expect(expiryOf(r)).toBe(42);
    expect(decodeKey(encodeKey(k), r)).toEqual(k);
    expect(r.subarray(layout(r).valueStart).toString()).toBe('v');
  });

  it('stores an empty value', () => {
    const r = encodeRecord(Buffer.from('k'), 0, 1, Buffer.alloc(0), 0, 0, 0);
    expect(r.length).toBe(1);
    expect(layout(r).valueStart).toBe(1);
  });
});

describe('protected mode', () => {
  it('treats only loopback addresses as local', async () => {
    const { isLoopback } = await import('../../src/server.js');
    for (const a of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(a), a).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.1.1.1', 'fe80::1', undefined])
      expect(isLoopback(a), String(a)).toBe(false);
  });
});
