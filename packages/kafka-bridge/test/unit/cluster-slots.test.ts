/**
 * The cluster target's pure parts: hash slots as redis-server computes them, the offset keys of
 * (partition, slot), and how a plan is split by slot.
 */

import { describe, expect, it } from 'vitest';
import { SlotOffsetKeys } from '../../src/offsets.js';
import type { OrderedWrite } from '../../src/plan.js';
import { bySlot } from '../../src/target/cluster-target.js';
import { crc16, keySlot, SLOTS } from '../../src/target/slot.js';

const slot = (key: string) => keySlot(Buffer.from(key));

describe('keySlot', () => {
  it('is CRC16-XMODEM modulo 16384, as CLUSTER KEYSLOT answers', () => {
    // The check value of CRC16-XMODEM, and redis-server 7's CLUSTER KEYSLOT of a few keys.
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(slot('foo')).toBe(12182);
    expect(slot('bar')).toBe(5061);
    expect(slot('hello')).toBe(866);
    expect(slot('somekey')).toBe(11058);
  });

  it('hashes only the hash tag: the bytes between the first { and the next }', () => {
    expect(slot('{user1000}.following')).toBe(slot('user1000'));
    expect(slot('{user1000}.followers')).toBe(slot('user1000'));
    expect(slot('foo{{bar}}zap')).toBe(slot('{bar'));
    expect(slot('foo{bar}{zap}')).toBe(slot('bar'));
    // An empty tag, or none closed: the whole key.
    expect(slot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) & 0x3fff);
    expect(slot('foo{bar')).toBe(crc16(Buffer.from('foo{bar')) & 0x3fff);
  });
});

describe('SlotOffsetKeys', () => {
  it('names one key per slot that hashes to that slot, the same on every start', () => {
    const keys = new SlotOffsetKeys('orders', Buffer.from(''));
    for (let s = 0; s < SLOTS; s++) expect(keySlot(keys.key(3, s))).toBe(s);
    expect(keys.describe(3, 12182)).toMatch(/^__sluice_bridge:offset:\{[0-9a-z]+\}:orders:3$/);
    expect(new SlotOffsetKeys('orders', Buffer.from('')).describe(5, 100)).toBe(keys.describe(5, 100));
  });

  it('works under a key prefix, even one with an unclosed {', () => {
    for (const prefix of ['app:', 'a{b:']) {
      const keys = new SlotOffsetKeys('t', Buffer.from(prefix));
      for (let s = 0; s < SLOTS; s += 97) {
        expect(keySlot(keys.key(0, s))).toBe(s);
        expect(keys.describe(0, s).startsWith(`${prefix}__sluice_bridge:offset:`)).toBe(true);
      }
    }
  });

  it('under a prefix with its own hash tag, every key is in that tag’s slot, and so is the offset key', () => {
    const keys = new SlotOffsetKeys('t', Buffer.from('{app}:'));
    expect(keySlot(keys.key(0, slot('app')))).toBe(slot('app'));
    expect(() => keys.key(0, (slot('app') + 1) % SLOTS)).toThrow(/no offset key hashes to slot/);
  });
});

describe('bySlot', () => {
  const write = (key: string, value: string | null, offset: number): OrderedWrite => ({
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    at: 0,
    offset: BigInt(offset),
  });

  it('keeps the last write of each key, grouped by slot, in record order', () => {
    const works = bySlot([
      write('{a}1', 'x', 10),
      write('{a}2', 'y', 11),
      write('{b}1', 'z', 12),
      write('{a}1', null, 13),
      write('{b}1', 'w', 14),
    ]);
    const show = works.map((w) => ({
      slot: w.slot,
      writes: w.writes.map((x) => `${x.key}=${x.value ?? 'DEL'}@${x.offset}`),
      offsets: w.offsets,
    }));
    // `offsets` keeps every record's offset, to count the records a slot already has.
    expect(show).toEqual([
      { slot: slot('a'), writes: ['{a}2=y@11', '{a}1=DEL@13'], offsets: [10n, 11n, 13n] },
      { slot: slot('b'), writes: ['{b}1=w@14'], offsets: [12n, 14n] },
    ]);
  });
});
